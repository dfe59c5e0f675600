"""Readable summaries of a plan bundle: Markdown for CI, short lines for the terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.gate import GateResult, WaiverLike
from tfgen.scan import Finding, ScanResult

MAX_RESOURCE_ROWS = 200

# terraform's action lists in `show -json`; both orders of delete and create
# are a replace (destroy-before-create, or create_before_destroy).
_ACTIONS = {
    ("create",): "create",
    ("update",): "update",
    ("delete",): "delete",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
}
_NOT_CHANGES = {("no-op",), ("read",)}
_REPORT_LABELS = {
    "json": "checkov JSON",
    "junit": "checkov JUnit XML",
    "sarif": "checkov SARIF 2.1.0",
    "plan": "plan JSON",
    "summary": "this summary",
}


@dataclass(frozen=True)
class PlanChanges:
    """What a plan does to managed resources.

    Attributes:
        to_add: Resources created, replaced ones included, as terraform counts.
        to_change: Resources updated in place.
        to_destroy: Resources destroyed, replaced ones included.
        replaced: Addresses of the replaced resources, sorted.
        resources: ``(address, action)`` for each changed resource, sorted by
            address; action is create, update, delete, replace, or terraform's
            own word for anything else.
    """

    to_add: int = 0
    to_change: int = 0
    to_destroy: int = 0
    replaced: list[str] = field(default_factory=list)
    resources: list[tuple[str, str]] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The plan's counts in terraform's own words."""
        return (
            f"Plan: {self.to_add} to add, {self.to_change} to change, {self.to_destroy} to destroy."
        )


def plan_changes(plan: Mapping[str, Any]) -> PlanChanges:
    """Count and list the changes to managed resources in a plan.

    Args:
        plan: The parsed output of ``terraform show -json <planfile>``.

    Returns:
        The counts and the changed resources; data sources, reads and no-ops
        are left out.
    """
    counts = {"create": 0, "update": 0, "delete": 0}
    replaced: list[str] = []
    resources: list[tuple[str, str]] = []
    for change in plan.get("resource_changes", []):
        actions = tuple(change["change"]["actions"])
        if change.get("mode") == "data" or actions in _NOT_CHANGES:
            continue
        address = change["address"]
        action = _ACTIONS.get(actions, "-".join(actions))
        if action == "replace":
            counts["create"] += 1
            counts["delete"] += 1
            replaced.append(address)
        elif action in counts:
            counts[action] += 1
        resources.append((address, action))
    return PlanChanges(
        to_add=counts["create"],
        to_change=counts["update"],
        to_destroy=counts["delete"],
        replaced=sorted(replaced),
        resources=sorted(resources),
    )


def render_summary(
    env: str,
    target: str,
    changes: PlanChanges,
    gate: GateResult,
    scan: ScanResult,
    report_files: Mapping[str, Path],
) -> str:
    """Render a plan bundle as Markdown, for a CI job summary or a PR comment.

    Args:
        env: The environment, e.g. ``dev``.
        target: Where the plan runs: ``sandbox`` or ``aws``.
        changes: The plan's changes (see ``plan_changes``).
        gate: The gate's verdict on the scan.
        scan: checkov's findings.
        report_files: Report kind (``json``, ``junit``, ``sarif``) -> path to show.

    Returns:
        The summary, ending with a newline; the same inputs give the same text.
    """
    lines = [f"## tfgen plan: {_code(env)} ({target})", "", changes.headline]
    if changes.replaced:
        lines.append(
            f"{len(changes.replaced)} of them replaced (each counted as one add and one destroy)."
        )
    if changes.resources:
        shown = changes.resources[:MAX_RESOURCE_ROWS]
        lines += ["", *_table(["Action", "Resource"], [[a, _code(r)] for r, a in shown])]
        if len(changes.resources) > len(shown):
            lines += ["", f"... and {len(changes.resources) - len(shown)} more"]

    lines += ["", "### checkov", "", _scan_counts(gate, scan) + "."]
    if gate.blocking:
        blocking = _by_resource(gate.blocking)
        header = ["Check", "Name", "Resource"]
        rows = [[_code(f.check_id), _check_name(f), _code(f.resource)] for f in blocking]
        # checkov has guideline links only when it may download them; offline
        # (tfgen's way) a column of dashes would only take room.
        if any(f.guideline for f in blocking):
            header.append("Guideline")
            for row, f in zip(rows, blocking, strict=True):
                row.append(f"[docs]({f.guideline})" if f.guideline else "—")
        lines += ["", "#### Blocking failures", "", *_table(header, rows)]
    if gate.waived:
        waived = sorted(gate.waived, key=lambda fw: (fw[0].resource, fw[0].check_id))
        rows = [[_code(f.check_id), _code(f.resource), w.carried_by, w.reason] for f, w in waived]
        header = ["Check", "Resource", "Waived by", "Reason"]
        lines += ["", "#### Waived failures", "", *_table(header, rows)]
    if gate.unused_waivers:
        lines += ["", "Waivers that matched no failure (stale or mistyped?):", ""]
        lines += [f"- {_code(w.check)} on {_code(w.resource)}" for w in _sorted_waivers(gate)]

    lines += ["", f"**{_verdict(gate)}**"]
    if report_files:
        lines += ["", "Reports:", ""]
        lines += [
            f"- {_REPORT_LABELS.get(kind, kind)}: {_code(str(path))}"
            for kind, path in sorted(report_files.items())
        ]
    return "\n".join(lines) + "\n"


def console_summary(
    changes: PlanChanges,
    gate: GateResult,
    scan: ScanResult,
    report_files: Mapping[str, Path],
) -> list[str]:
    """Summarise a plan bundle in a few lines for the terminal.

    Args:
        changes: The plan's changes (see ``plan_changes``).
        gate: The gate's verdict on the scan.
        scan: checkov's findings.
        report_files: Report kind -> path to show; their folders are listed.

    Returns:
        Plain lines (no markup) such as ``Plan: 12 to add, 0 to change, 0 to destroy.``
    """
    lines = [changes.headline, "checkov: " + _scan_counts(gate, scan), _verdict(gate)]
    if gate.unused_waivers:
        # One line: an environment without some modules leaves many waivers idle.
        lines.append(
            f"{len(gate.unused_waivers)} waiver(s) matched no failure in this plan"
            " (listed in summary.md)"
        )
    report_dirs = sorted({str(path.parent) for path in report_files.values()})
    if report_dirs:
        lines.append("reports: " + ", ".join(report_dirs))
    return lines


def _scan_counts(gate: GateResult, scan: ScanResult) -> str:
    return (
        f"{len(scan.passed)} passed, {len(scan.failed)} failed "
        f"({len(gate.waived)} waived, {len(gate.blocking)} blocking), "
        f"{len(scan.skipped)} skipped"
    )


def _verdict(gate: GateResult) -> str:
    if gate.allowed:
        return "Gate: open"
    return f"Gate: refused — {len(gate.blocking)} unwaived failure(s)"


def _check_name(finding: Finding) -> str:
    if finding.skip_comment is None:
        return finding.check_name
    return f"{finding.check_name} (not run by checkov: {finding.skip_comment})"


def _by_resource(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.resource, f.check_id))


def _sorted_waivers(gate: GateResult) -> list[WaiverLike]:
    return sorted(gate.unused_waivers, key=lambda w: (w.check, w.resource))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        _row(header),
        _row(["---"] * len(header)),
        *(_row(row) for row in rows),
    ]


def _row(cells: list[str]) -> str:
    # A bare "|" would end the cell, even inside backticks.
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _code(text: str) -> str:
    # A for_each key may hold backticks: the fence must outrun any run inside.
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = "" if fence == "`" else " "
    return f"{fence}{pad}{text}{pad}{fence}"
