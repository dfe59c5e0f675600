"""Run one command over several roots: in dependency order, in parallel, one block each.

A root starts once the roots it depends on (among those the command runs) have
succeeded; when one fails, is refused by the gate or is skipped, its dependents
are skipped and the independent roots go on. Up to ``parallelism`` roots run at
once, each on a thread of its own with its own ``BufferedUI``: its output is
printed as one block when it is done, never interleaved line by line, and a
status line per running root shows what each is doing. One Ctrl-C reaches every
running terraform (``terraform.forwarding_signals``), each stops cleanly and
releases its lock, and no further root starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.live import Live
from rich.table import Table

from tfgen.dag import dependencies_within
from tfgen.errors import (
    EXIT_GATE_REFUSED,
    EXIT_OK,
    EXIT_RUN_FAILED,
    InterruptedRunError,
    TfgenError,
)
from tfgen.roots import Root
from tfgen.terraform import RUNNING, forwarding_signals
from tfgen.ui import UI, BufferedUI

Status = Literal["ok", "changes", "drift", "gated", "failed", "skipped", "interrupted"]
# What lets a root's dependents go on.
_SUCCESS = ("ok", "changes", "drift")


@dataclass
class RootResult:
    """What a command did to one root.

    Attributes:
        root: The root.
        status: ``ok`` (nothing to do or done), ``changes`` (a plan with
            changes), ``drift`` (drift found), ``gated`` (the gate refused),
            ``failed``, ``skipped`` (a dependency did not succeed) or
            ``interrupted``.
        message: Why it failed or was skipped; what it did otherwise.
        changes: The plan's counts (add, change, destroy), when there is a plan.
        gate: The gate's verdict in words, when there was a scan.
        seconds: How long the root took.
        output: Everything it printed.
        detail: The command's own result for the root (a plan outcome...).
    """

    root: Root
    status: Status
    message: str = ""
    changes: dict[str, int] | None = None
    gate: str | None = None
    seconds: float = 0.0
    output: str = ""
    detail: Any = field(default=None, repr=False)

    @property
    def exit_code(self) -> int:
        """The root's part of the command's exit code."""
        if self.status == "gated":
            return EXIT_GATE_REFUSED
        if self.status in ("failed", "skipped", "interrupted"):
            return EXIT_RUN_FAILED
        return EXIT_OK


# The work a command does on one root; it returns the root's result (the status
# and what to report), or raises a TfgenError, which makes the root "failed".
Work = Callable[[Root, BufferedUI], RootResult]


def exit_code(results: Sequence[RootResult], *, detailed: bool = False) -> int:
    """The command's exit code: the most severe root's, 3 (gate) over 1 (failure) over 0.

    With ``detailed``, 2 when some root has changes (or drift) and none failed.
    """
    codes = {result.exit_code for result in results}
    if EXIT_GATE_REFUSED in codes:
        return EXIT_GATE_REFUSED
    if EXIT_RUN_FAILED in codes:
        return EXIT_RUN_FAILED
    if detailed and any(result.status in ("changes", "drift") for result in results):
        return 2
    return EXIT_OK


def run_roots(
    roots: Sequence[Root],
    work: Work,
    *,
    parallelism: int,
    ui: UI,
    verb: str,
) -> list[RootResult]:
    """Run ``work`` on every root of ``roots``, in dependency order, ``parallelism`` at once.

    Args:
        roots: The roots, already in dependency order (see ``dag.select``).
        work: What to do with one root.
        parallelism: How many roots may run at the same time (1 or more).
        ui: Where blocks and the status line go.
        verb: The command in words, for the status line ("planning").

    Returns:
        One result per root, in the order of ``roots``.
    """
    results: dict[str, RootResult] = {}
    uis: dict[str, BufferedUI] = {}
    running: dict[Future[RootResult], Root] = {}
    pending = list(roots)
    with (
        forwarding_signals(),
        ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool,
        _Status(ui, uis, verb) as status,
    ):
        while pending or running:
            for root in list(pending):
                blocked = _blocked(root, roots, results)
                if blocked is None and len(running) >= parallelism:
                    continue
                if blocked is not None or RUNNING.stopping.is_set():
                    pending.remove(root)
                    results[root.name] = _not_run(root, blocked)
                    status.block(results[root.name])
                    continue
                if blocked is None and all(d in results for d in dependencies_within(root, roots)):
                    pending.remove(root)
                    uis[root.name] = BufferedUI()
                    running[pool.submit(_attempt, work, root, uis[root.name])] = root
            if not running:
                continue
            status.refresh()
            done, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                root = running.pop(future)
                results[root.name] = future.result()
                uis.pop(root.name, None)
                status.block(results[root.name])
    return [results[root.name] for root in roots]


def _blocked(root: Root, roots: Sequence[Root], results: dict[str, RootResult]) -> str | None:
    """Why ``root`` cannot run (a dependency that did not succeed), or None."""
    for dependency in dependencies_within(root, roots):
        done = results.get(dependency)
        if done is not None and done.status not in _SUCCESS:
            return f"{dependency} {done.status}"
    return None


def _not_run(root: Root, blocked: str | None) -> RootResult:
    if blocked is not None:
        return RootResult(root, "skipped", f"not run: {blocked}")
    return RootResult(root, "interrupted", "not started: the run was interrupted")


def _attempt(work: Work, root: Root, ui: BufferedUI) -> RootResult:
    started = time.monotonic()
    try:
        result = work(root, ui)
    except InterruptedRunError as exc:
        ui.error(exc.message, exc.hint)
        result = RootResult(root, "interrupted", exc.message)
    except TfgenError as exc:
        ui.error(exc.message, exc.hint)
        result = RootResult(root, "failed", exc.message)
    result.seconds = time.monotonic() - started
    result.output = ui.text()
    return result


class _Status:
    """A live line per running root on a terminal; one line as each starts elsewhere."""

    def __init__(self, ui: UI, uis: dict[str, BufferedUI], verb: str) -> None:
        self.ui = ui
        # Quiet (--json): stdout is for the data; the blocks go to stderr.
        self.console = ui.err if ui.quiet else ui.out
        self.uis = uis
        self.verb = verb
        self.live: Live | None = None
        self.announced: set[str] = set()

    def __enter__(self) -> _Status:
        if self.console.is_terminal:
            self.live = Live(self._table(), console=self.console, transient=True, auto_refresh=True)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._table())
            return
        for name in list(self.uis):
            if name not in self.announced:
                self.announced.add(name)
                self.ui.step(f"{name}: {self.verb}")

    def block(self, result: RootResult) -> None:
        """Print one root's whole output, under a line saying how it ended."""
        headline = f"{result.root.name}: {result.status}"
        if result.message:
            headline += f" — {result.message}"
        printer = self.live.console if self.live is not None else self.console
        printer.rule(headline, style="cyan" if result.status in _SUCCESS else "red")
        if result.output:
            printer.out(result.output.rstrip("\n"), highlight=False)

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        for name, root_ui in self.uis.items():
            table.add_row(f"[bold]{name}[/]", f"{self.verb}: {root_ui.status}")
        return table
