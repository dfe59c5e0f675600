"""The combined bundle of a run over several roots: ``.tfgen/runs/<run-id>/``.

- ``summary.md``: a Mermaid graph of the roots' DAG with each root's result
  (GitHub renders it), one table over all roots, then each root's own summary;
- ``checkov.junit.xml``: one test suite per root, waived findings skipped;
- ``checkov.sarif``: one SARIF run per root, results located in the HCL;
- ``summary.json``: the same for machines (``--json`` prints it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen.gate import GateResult
from tfgen.locations import Locator
from tfgen.orchestrate import RootResult, exit_code
from tfgen.reports import junit_document, junit_suite, sarif_document, sarif_run
from tfgen.scan import ScanResult

_ICONS = {
    "ok": "✅",
    "changes": "🟡",
    "drift": "🟠",
    "gated": "⛔",
    "failed": "❌",
    "skipped": "⏭️",
    "interrupted": "⏹️",
}


@dataclass(frozen=True)
class Scanned:
    """What a root's plan bundle holds for the combined reports."""

    scan: ScanResult
    gate: GateResult
    summary: str
    root_dir: Path


def new_run_id(command: str) -> str:
    """A sortable, unique id: ``20261129T181500Z-plan-1a2b``."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{now}-{command}-{secrets.token_hex(2)}"


def write_run_bundle(
    folder: Path,
    *,
    run_id: str,
    command: str,
    target: str,
    results: Sequence[RootResult],
    scanned: dict[str, Scanned],
    project_root: Path,
    detailed: bool = False,
) -> dict[str, Any]:
    """Write the combined reports of a run into ``folder``; return ``summary.json``'s content.

    Args:
        folder: ``.tfgen/runs/<run-id>/`` (created).
        run_id: The run's id.
        command: ``plan``, ``apply``, ``drift``, ``report``.
        target: ``sandbox`` or ``aws``.
        results: One per root, in dependency order.
        scanned: The scans of the roots that have one, by root name.
        project_root: The project folder, for the SARIF locations.
        detailed: Whether the run's exit code is ``--detailed-exitcode``'s.
    """
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        "run_id": run_id,
        "command": command,
        "target": target,
        "exit_code": exit_code(results, detailed=detailed),
        "roots": [
            {
                "name": r.root.name,
                "kind": r.root.kind,
                "account_id": r.root.account.id if r.root.account else None,
                "depends_on": list(r.root.depends_on),
                "status": r.status,
                "message": r.message,
                "changes": r.changes,
                "gate": r.gate,
                "seconds": round(r.seconds, 1),
            }
            for r in results
        ],
    }
    _write(folder / "summary.json", json.dumps(summary, indent=2) + "\n")
    _write(folder / "summary.md", render_markdown(command, target, results, scanned))
    suites = [junit_suite(name, s.scan, s.gate) for name, s in scanned.items()]
    (folder / "checkov.junit.xml").write_bytes(junit_document(suites))
    runs = [
        sarif_run(
            name,
            s.scan,
            s.gate,
            locate=Locator(project_root, s.root_dir),
            plan_uri=f".tfgen/plans/{name}/plan.json",
        )
        for name, s in scanned.items()
    ]
    (folder / "checkov.sarif").write_bytes(sarif_document(runs))
    for result in results:
        _write(folder / f"{result.root.name}.log", result.output)
    return summary


def render_markdown(
    command: str, target: str, results: Sequence[RootResult], scanned: dict[str, Scanned]
) -> str:
    """The run's summary: the DAG, a table of every root, then each root's own summary."""
    lines = [f"## tfgen {command}: {len(results)} root(s) ({target})", "", "```mermaid", "graph LR"]
    names = {r.root.name for r in results}
    for r in results:
        label = f"{r.root.name}<br/>{_ICONS[r.status]} {r.status}"
        if r.changes:
            c = r.changes
            label += f"<br/>+{c.get('add', 0)} ~{c.get('change', 0)} -{c.get('destroy', 0)}"
        lines.append(f'  {_node(r.root.name)}["{label}"]')
    for r in results:
        lines += [
            f"  {_node(dependency)} --> {_node(r.root.name)}"
            for dependency in r.root.depends_on
            if dependency in names
        ]
    lines += ["```", "", "| root | kind | status | changes | gate | time |", "|---" * 6 + "|"]
    for r in results:
        changes = (
            f"{r.changes.get('add', 0)} to add, {r.changes.get('change', 0)} to change,"
            f" {r.changes.get('destroy', 0)} to destroy"
            if r.changes is not None
            else "—"
        )
        # What went wrong, said; a plan's own "Plan: ..." line is the changes column.
        said = r.message and r.status not in ("ok", "changes")
        status = f"{_ICONS[r.status]} {r.status}" + (f": {_cell(r.message)}" if said else "")
        lines.append(
            f"| `{r.root.name}` | {r.root.kind} | {status} | {changes} | {r.gate or '—'}"
            f" | {r.seconds:.0f} s |"
        )
    for r in results:
        own = scanned.get(r.root.name)
        if own is not None:
            # Each root's summary, its headings one level down.
            lines += ["", re.sub(r"^(#+) ", r"#\1 ", own.summary.rstrip("\n"), flags=re.MULTILINE)]
    return "\n".join(lines) + "\n"


def _node(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")[:200]


def _write(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
