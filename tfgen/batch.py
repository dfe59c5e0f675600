"""plan, apply, drift and report over several roots, with one combined bundle.

Each command is the single-root stage of ``runner`` run on every root by
``orchestrate``, then its combined reports written by ``run_bundle``. A
``plan`` run records its roots in ``.tfgen/runs/last-plan.json``, so that
``apply --all`` applies exactly the saved plans of the preceding ``plan --all``
(each refused if stale, as a single ``apply`` would).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen.errors import InputError
from tfgen.orchestrate import RootResult, Status, exit_code, run_roots
from tfgen.plan_bundle import Manifest
from tfgen.project import Project
from tfgen.roots import Root
from tfgen.run_bundle import Scanned, new_run_id, write_run_bundle
from tfgen.runner import EnvironmentRunner, PlanOutcome
from tfgen.ui import UI, BufferedUI

# Makes the runner of one root, writing to the given UI.
RunnerFor = Callable[[str, UI], EnvironmentRunner]

LAST_PLAN = "last-plan.json"


@dataclass(frozen=True)
class BatchResult:
    """A run over several roots: each root's result, the bundle, the exit code."""

    results: list[RootResult]
    folder: Path
    summary: dict[str, Any]
    exit_code: int


def plan_all(
    roots: Sequence[Root],
    runner_for: RunnerFor,
    project: Project,
    *,
    target: str,
    parallelism: int,
    ui: UI,
    detailed: bool,
) -> BatchResult:
    """Plan and scan every root; record them for ``apply --all``."""

    def work(root: Root, root_ui: BufferedUI) -> RootResult:
        runner = runner_for(root.name, root_ui)
        with runner.exclusive():
            outcome = runner.plan()
        for line in runner.summary_lines(outcome):
            root_ui.info(line)
        return _plan_result(root, outcome)

    results = run_roots(roots, work, parallelism=parallelism, ui=ui, verb="planning")
    batch = _bundle("plan", results, runner_for, project, target=target, detailed=detailed)
    record = {"run_id": batch.summary["run_id"], "target": target, "roots": [r.name for r in roots]}
    (project.work_dir / "runs" / LAST_PLAN).write_text(json.dumps(record, indent=2) + "\n")
    return batch


def planned_roots(project: Project, target: str) -> list[str]:
    """The roots of the last ``plan --all``/``plan ROOT...`` run against ``target``.

    Raises:
        InputError: no run was recorded, or it was against another target.
    """
    path = project.work_dir / "runs" / LAST_PLAN
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(
            "no plan run to apply", hint="run `tfgen plan --all` first, then `tfgen apply --all`"
        ) from None
    if record.get("target") != target:
        raise InputError(
            f"the last plan run was against {record.get('target')}, not {target}",
            hint="plan again against this target",
        )
    return [str(name) for name in record.get("roots", [])]


def apply_all(
    roots: Sequence[Root],
    runner_for: RunnerFor,
    project: Project,
    *,
    target: str,
    parallelism: int,
    ui: UI,
) -> BatchResult:
    """Apply each root's saved plan, in dependency order; stale or gated plans are refused."""

    def work(root: Root, root_ui: BufferedUI) -> RootResult:
        runner = runner_for(root.name, root_ui)
        with runner.exclusive():
            manifest: Manifest = runner.apply(confirm=lambda _: True)
        counts = manifest.changes
        return RootResult(root, "ok", f"applied ({_counts(counts)})", changes=counts, gate="open")

    results = run_roots(roots, work, parallelism=parallelism, ui=ui, verb="applying")
    return _bundle("apply", results, runner_for, project, target=target, detailed=False)


def drift_all(
    roots: Sequence[Root],
    runner_for: RunnerFor,
    project: Project,
    *,
    target: str,
    parallelism: int,
    ui: UI,
) -> BatchResult:
    """A refresh-only plan of every root; exit 2 when anything drifted."""

    def work(root: Root, root_ui: BufferedUI) -> RootResult:
        runner = runner_for(root.name, root_ui)
        with runner.exclusive():
            report = runner.drift()
        root_ui.info(report.headline)
        for resource in report.resources:
            root_ui.info(f"  {resource.address}: {', '.join(a.path for a in resource.attributes)}")
        status: Status = "drift" if report.drifted else "ok"
        return RootResult(root, status, report.headline, detail=report)

    results = run_roots(roots, work, parallelism=parallelism, ui=ui, verb="checking drift")
    batch = _bundle("drift", results, runner_for, project, target=target, detailed=True)
    for result in results:
        drift_md = project.work_dir / "drift" / result.root.name / "drift.md"
        if drift_md.is_file():
            with (batch.folder / "summary.md").open("a", encoding="utf-8") as summary:
                summary.write("\n" + drift_md.read_text(encoding="utf-8"))
    return batch


def report_all(
    roots: Sequence[Root], runner_for: RunnerFor, project: Project, *, target: str
) -> BatchResult:
    """Combine the roots' saved plan bundles (made by separate jobs) into one run bundle."""
    results = []
    for root in roots:
        runner = runner_for(root.name, BufferedUI())
        try:
            outcome = runner.saved_outcome()
        except InputError as exc:
            results.append(RootResult(root, "failed", exc.message))
            continue
        except Exception as exc:  # a missing or broken bundle: this root has no plan
            results.append(RootResult(root, "failed", f"no usable plan bundle: {exc}"))
            continue
        results.append(_plan_result(root, outcome))
    return _bundle("report", results, runner_for, project, target=target, detailed=False)


def _plan_result(root: Root, outcome: PlanOutcome) -> RootResult:
    changes = outcome.changes
    counts = {"add": changes.to_add, "change": changes.to_change, "destroy": changes.to_destroy}
    gate = outcome.gate
    verdict = "open" if gate.allowed else f"refused ({len(gate.blocking)} unwaived)"
    status: Status
    if not gate.allowed:
        status = "gated"
    elif any(counts.values()):
        status = "changes"
    else:
        status = "ok"
    return RootResult(root, status, changes.headline, changes=counts, gate=verdict, detail=outcome)


def _bundle(
    command: str,
    results: list[RootResult],
    runner_for: RunnerFor,
    project: Project,
    *,
    target: str,
    detailed: bool,
) -> BatchResult:
    run_id = new_run_id(command)
    folder = project.work_dir / "runs" / run_id
    scanned = {}
    for result in results:
        outcome = result.detail
        if isinstance(outcome, PlanOutcome):
            scanned[result.root.name] = Scanned(
                scan=outcome.scan,
                gate=outcome.gate,
                summary=outcome.bundle.summary.read_text(encoding="utf-8")
                if outcome.bundle.summary.is_file()
                else "",
                root_dir=project.env_dir(result.root.name),
            )
    summary = write_run_bundle(
        folder,
        run_id=run_id,
        command=command,
        target=target,
        results=results,
        scanned=scanned,
        project_root=project.root,
        detailed=detailed,
    )
    return BatchResult(results, folder, summary, exit_code(results, detailed=detailed))


def _counts(counts: dict[str, int]) -> str:
    added, changed, destroyed = (counts.get(k, 0) for k in ("add", "change", "destroy"))
    return f"{added} added, {changed} changed, {destroyed} destroyed"


def final_table(results: Sequence[RootResult]) -> list[str]:
    """The run's last lines: every root with its status, changes and gate verdict."""
    width = max((len(r.root.name) for r in results), default=4)
    lines = [f"{'root'.ljust(width)}  {'status'.ljust(11)}  {'changes'.ljust(17)}  gate"]
    for r in results:
        changes = "-"
        if r.changes is not None:
            added, changed, destroyed = (r.changes.get(k, 0) for k in ("add", "change", "destroy"))
            changes = f"+{added} ~{changed} -{destroyed}"
        name, status = r.root.name.ljust(width), r.status.ljust(11)
        lines.append(f"{name}  {status}  {changes.ljust(17)}  {r.gate or '-'}")
    return lines
