"""The scheduler of runs over several roots: order, parallelism, skips, exit codes.

The work here is a small function of the test (it sleeps, records, fails on
demand); it stands in for nothing terraform does. The same commands with real
terraform on the sandbox are in test_runs_e2e.py.
"""

from __future__ import annotations

import threading
import time

import pytest

from tfgen.dag import in_order, select
from tfgen.errors import InputError, RunError
from tfgen.orchestrate import RootResult, exit_code, run_roots
from tfgen.roots import Root
from tfgen.ui import UI, BufferedUI


def root(name: str, *depends_on: str) -> Root:
    return Root(name=name, kind="environment", key=name, region="us-east-1", account=None, depends_on=depends_on)


ROOTS = [
    root("account-a"),
    root("account-b"),
    root("dev", "account-a"),
    root("staging", "account-a", "dev"),
    root("prod", "account-b"),
]


def test_select_orders_by_dependency_and_refuses_unknown_roots() -> None:
    assert [r.name for r in select(ROOTS, [])] == ["account-a", "account-b", "dev", "prod", "staging"]
    assert [r.name for r in select(ROOTS, ["staging", "dev"])] == ["dev", "staging"]
    with pytest.raises(InputError, match="no root 'qa'"):
        select(ROOTS, ["qa"])


def test_in_order_keeps_the_given_order_among_independent_roots() -> None:
    assert [r.name for r in in_order([ROOTS[4], ROOTS[1]])] == ["account-b", "prod"]


class Recorder:
    def __init__(self, fail: set[str] = frozenset(), gate: set[str] = frozenset(), pause: float = 0.05):
        self.fail, self.gate, self.pause = fail, gate, pause
        self.started: list[str] = []
        self.finished: list[str] = []
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, r: Root, ui: BufferedUI) -> RootResult:
        with self.lock:
            self.started.append(r.name)
            self.running += 1
            self.most = max(self.most, self.running)
        ui.step(f"working on {r.name}")
        ui.info(f"line one of {r.name}")
        time.sleep(self.pause)
        ui.info(f"line two of {r.name}")
        with self.lock:
            self.running -= 1
            self.finished.append(r.name)
        if r.name in self.fail:
            raise RunError(f"{r.name} broke")
        return RootResult(r, "gated" if r.name in self.gate else "changes", changes={"add": 1})


def test_every_root_runs_after_its_dependencies_at_most_n_at_once() -> None:
    work = Recorder()
    results = run_roots(ROOTS, work, parallelism=2, ui=UI(), verb="testing")
    assert [r.status for r in results] == ["changes"] * 5
    for r in ROOTS:
        for dependency in r.depends_on:
            assert work.finished.index(dependency) < work.started.index(r.name)
    assert work.most == 2
    # Each root's output is its own block, in order, never mixed with another's.
    assert results[3].output.splitlines()[-2:] == ["line one of staging", "line two of staging"]


def test_a_failure_skips_its_dependents_and_the_rest_goes_on() -> None:
    work = Recorder(fail={"dev"})
    results = {r.root.name: r for r in run_roots(ROOTS, work, parallelism=3, ui=UI(), verb="testing")}
    assert results["dev"].status == "failed" and "dev broke" in results["dev"].message
    assert results["staging"].status == "skipped" and results["staging"].message == "not run: dev failed"
    assert "staging" not in work.started
    assert results["prod"].status == "changes"
    assert exit_code(list(results.values())) == 1


def test_the_most_severe_result_wins() -> None:
    def result(status: str) -> RootResult:
        return RootResult(root("x"), status)  # type: ignore[arg-type]

    assert exit_code([result("ok"), result("failed"), result("gated")]) == 3
    assert exit_code([result("ok"), result("failed"), result("changes")], detailed=True) == 1
    assert exit_code([result("ok"), result("changes")], detailed=True) == 2
    assert exit_code([result("ok"), result("changes")]) == 0
    assert exit_code([result("ok"), result("drift")], detailed=True) == 2


def test_a_gated_root_stops_its_dependents_but_not_the_others() -> None:
    work = Recorder(gate={"account-a"})
    results = {r.root.name: r for r in run_roots(ROOTS, work, parallelism=2, ui=UI(), verb="testing")}
    assert results["account-a"].status == "gated"
    assert results["dev"].status == "skipped" and results["staging"].status == "skipped"
    assert results["prod"].status == "changes"
    assert exit_code(list(results.values())) == 3
