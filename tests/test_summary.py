from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tfgen.gate import evaluate
from tfgen.scan import Finding, ScanResult, load_scan_result
from tfgen.summary import PlanChanges, console_summary, plan_changes, render_summary

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Waiver:
    check: str
    resource: str
    reason: str
    carried_by: str = "inventory"


def change(address: str, *actions: str, mode: str = "managed") -> dict[str, Any]:
    return {"address": address, "mode": mode, "change": {"actions": list(actions)}}


@pytest.fixture
def fixture_plan() -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((DATA / "plan-scan.json").read_text())
    return plan


@pytest.fixture
def scan() -> ScanResult:
    return load_scan_result(DATA / "scan-report")


def test_plan_changes_of_the_fixture(fixture_plan: dict[str, Any]) -> None:
    changes = plan_changes(fixture_plan)
    assert (changes.to_add, changes.to_change, changes.to_destroy) == (6, 0, 0)
    assert changes.replaced == []
    assert changes.resources == [
        ("aws_vpc.main", "create"),
        ('module.web.aws_cloudwatch_log_group.app["api"]', "create"),
        ('module.web.aws_cloudwatch_log_group.app["worker"]', "create"),
        ("module.web.aws_s3_bucket.logs[0]", "create"),
        ("module.web.aws_s3_bucket.logs[1]", "create"),
        ("module.web.aws_security_group.ssh", "create"),
    ]
    assert changes.headline == "Plan: 6 to add, 0 to change, 0 to destroy."


def test_plan_changes_counts_a_replace_as_add_and_destroy() -> None:
    plan = {
        "resource_changes": [
            change("aws_instance.b", "create", "delete"),
            change("aws_instance.a", "delete", "create"),
            change("aws_vpc.main", "update"),
            change("aws_s3_bucket.old", "delete"),
            change("aws_s3_bucket.new", "create"),
            change("aws_subnet.same", "no-op"),
            change("data.aws_region.current", "read", mode="data"),
            change("aws_thing.read_during_apply", "read"),
        ]
    }
    changes = plan_changes(plan)
    assert (changes.to_add, changes.to_change, changes.to_destroy) == (3, 1, 3)
    assert changes.replaced == ["aws_instance.a", "aws_instance.b"]
    assert changes.resources == [
        ("aws_instance.a", "replace"),
        ("aws_instance.b", "replace"),
        ("aws_s3_bucket.new", "create"),
        ("aws_s3_bucket.old", "delete"),
        ("aws_vpc.main", "update"),
    ]


def test_plan_without_changes() -> None:
    changes = plan_changes({"format_version": "1.2"})
    assert changes == PlanChanges()
    assert changes.headline == "Plan: 0 to add, 0 to change, 0 to destroy."


def test_render_summary_refused(fixture_plan: dict[str, Any], scan: ScanResult) -> None:
    waivers = [
        Waiver("CKV_AWS_18", "module.web.aws_s3_bucket.logs", "logs of logs | not needed"),
        Waiver("CKV_AWS_999", "all", "stale"),
    ]
    gate = evaluate(scan, waivers)
    files = {"sarif": Path("plans/dev/checkov.sarif"), "json": Path("plans/dev/checkov.json")}
    text = render_summary("dev", "sandbox", plan_changes(fixture_plan), gate, scan, files)

    assert text.startswith("## tfgen plan: `dev` (sandbox)\n")
    assert "| Check | Name | Resource |\n" in text
    assert "\nPlan: 6 to add, 0 to change, 0 to destroy.\n" in text
    assert "| create | `module.web.aws_s3_bucket.logs[0]` |" in text
    assert "16 passed, 22 failed (2 waived, 20 blocking), 0 skipped." in text
    assert (
        "| `CKV_AWS_24` | Ensure no security groups allow ingress from 0.0.0.0:0 to port 22 "
        "| `module.web.aws_security_group.ssh` |\n" in text
    )
    assert (
        "| `CKV_AWS_18` | `module.web.aws_s3_bucket.logs[1]` | inventory | logs of logs \\| not needed |"
        in text
    )
    assert "- `CKV_AWS_999` on `all`" in text
    assert "**Gate: refused — 20 unwaived failure(s)**" in text
    assert text.index("- checkov JSON: `plans/dev/checkov.json`") < text.index("- checkov SARIF")
    # Same inputs, same text: it goes into PR comments and diffs.
    assert text == render_summary("dev", "sandbox", plan_changes(fixture_plan), gate, scan, files)


def test_render_summary_open_and_capped() -> None:
    plan = {"resource_changes": [change(f"aws_s3_bucket.b[{i}]", "delete") for i in range(205)]}
    finding = Finding(
        "CKV_AWS_24", "ssh", "aws_security_group.x", "https://docs.example/ckv-aws-24"
    )
    scan = ScanResult(passed=[finding], failed=[])
    text = render_summary("prod", "aws", plan_changes(plan), evaluate(scan, []), scan, {})
    assert "Plan: 0 to add, 0 to change, 205 to destroy." in text
    assert text.count("| delete |") == 200
    assert "... and 5 more" in text
    assert "1 passed, 0 failed (0 waived, 0 blocking), 0 skipped." in text
    assert "Blocking failures" not in text and "Waived failures" not in text
    assert "**Gate: open**" in text
    assert "Reports:" not in text


def test_render_summary_lists_replacements() -> None:
    plan = {"resource_changes": [change("aws_instance.a", "delete", "create")]}
    scan = ScanResult()
    text = render_summary("dev", "aws", plan_changes(plan), evaluate(scan, []), scan, {})
    assert "Plan: 1 to add, 0 to change, 1 to destroy.\n1 of them replaced" in text
    assert "| replace | `aws_instance.a` |" in text


def test_guideline_links_and_backticks_in_addresses() -> None:
    odd = Finding("CKV_X_1", "n", 'aws_s3_bucket.b["a`b"]', "https://docs.example/x1")
    scan = ScanResult(failed=[odd, Finding("CKV_X_2", "m", "aws_s3_bucket.c")])
    text = render_summary("dev", "aws", PlanChanges(), evaluate(scan, []), scan, {})
    assert (
        '| `CKV_X_1` | n | `` aws_s3_bucket.b["a`b"] `` | [docs](https://docs.example/x1) |' in text
    )
    assert "| `CKV_X_2` | m | `aws_s3_bucket.c` | — |" in text


def test_console_summary(fixture_plan: dict[str, Any], scan: ScanResult) -> None:
    waivers = [Waiver("CKV_AWS_24", "module.web.aws_security_group.ssh", "bastion")]
    gate = evaluate(scan, [*waivers, Waiver("CKV_AWS_1", "all", "stale")])
    files = {"summary": Path("b/summary.md"), **scan.report_files}
    assert console_summary(plan_changes(fixture_plan), gate, scan, files) == [
        "Plan: 6 to add, 0 to change, 0 to destroy.",
        "checkov: 16 passed, 22 failed (1 waived, 21 blocking), 0 skipped",
        "Gate: refused — 21 unwaived failure(s)",
        "1 waiver(s) matched no failure in this plan (listed in summary.md)",
        f"reports: {DATA / 'scan-report'}, b",
    ]
