from __future__ import annotations

from dataclasses import dataclass

import pytest

from tfgen.gate import GateResult, evaluate, waiver_covers
from tfgen.scan import Finding, ScanResult


@dataclass(frozen=True)
class Waiver:
    check: str
    resource: str
    reason: str = "accepted for the test"
    carried_by: str = "inventory"


SSH = Finding("CKV_AWS_24", "no 0.0.0.0/0 to port 22", "module.web.aws_security_group.ssh")
LOGS_0 = Finding("CKV_AWS_18", "access logging", "module.web.aws_s3_bucket.logs[0]")
LOGS_1 = Finding("CKV_AWS_18", "access logging", "module.web.aws_s3_bucket.logs[1]")
APP_API = Finding("CKV_AWS_158", "KMS", 'module.web.aws_cloudwatch_log_group.app["api"]')
VPC = Finding("CKV2_AWS_11", "flow logs", "aws_vpc.main")


def gate(*waivers: Waiver) -> GateResult:
    return evaluate(ScanResult(failed=[SSH, LOGS_0, LOGS_1, APP_API, VPC]), waivers)


@pytest.mark.parametrize(
    ("resource", "finding", "covered"),
    [
        ("module.web.aws_s3_bucket.logs[0]", LOGS_0, True),
        ("module.web.aws_s3_bucket.logs[0]", LOGS_1, False),
        ("module.web.aws_s3_bucket.logs", LOGS_0, True),
        ("module.web.aws_s3_bucket.logs", LOGS_1, True),
        ("module.web.aws_cloudwatch_log_group.app", APP_API, True),
        ("all", LOGS_1, True),
        # A longer name sharing the prefix is another resource.
        ("module.web.aws_s3_bucket.log", LOGS_0, False),
        # A module address is not a resource: it waives nothing inside.
        ("module.web", LOGS_0, False),
        ("module", LOGS_0, False),
    ],
)
def test_waiver_resource_matching(resource: str, finding: Finding, covered: bool) -> None:
    assert waiver_covers(Waiver(finding.check_id, resource), finding) is covered


def test_waiver_covers_only_its_check() -> None:
    assert not waiver_covers(Waiver("CKV_AWS_19", "all"), LOGS_0)


def test_instances_of_module_instances() -> None:
    finding = Finding("CKV_AWS_158", "KMS", 'module.outer["a"].module.inner.aws_x.this[0]')
    assert waiver_covers(
        Waiver("CKV_AWS_158", 'module.outer["a"].module.inner.aws_x.this'), finding
    )
    assert not waiver_covers(Waiver("CKV_AWS_158", "module.outer"), finding)


def test_no_waivers_blocks_every_failure() -> None:
    result = gate()
    assert result.blocking == [SSH, LOGS_0, LOGS_1, APP_API, VPC]
    assert result.waived == [] and result.unused_waivers == []
    assert not result.allowed


def test_waivers_by_exact_address_unindexed_address_and_all() -> None:
    ssh = Waiver("CKV_AWS_24", "module.web.aws_security_group.ssh", "bastion, ticket OPS-1")
    logs = Waiver("CKV_AWS_18", "module.web.aws_s3_bucket.logs")
    kms = Waiver("CKV_AWS_158", "all")
    flow = Waiver("CKV2_AWS_11", "aws_vpc.main")
    result = gate(ssh, logs, kms, flow)
    assert result.allowed
    assert result.blocking == []
    assert result.waived == [
        (SSH, ssh),
        (LOGS_0, logs),
        (LOGS_1, logs),
        (APP_API, kms),
        (VPC, flow),
    ]
    assert result.unused_waivers == []


def test_unused_waivers_are_reported_and_the_rest_still_blocks() -> None:
    stale = Waiver("CKV_AWS_24", "module.old.aws_security_group.ssh")
    typo = Waiver("CKV_AWS_81", "all")
    logs = Waiver("CKV_AWS_18", "module.web.aws_s3_bucket.logs[1]")
    result = gate(stale, logs, typo)
    assert result.unused_waivers == [stale, typo]
    assert result.waived == [(LOGS_1, logs)]
    assert result.blocking == [SSH, LOGS_0, APP_API, VPC]
    assert not result.allowed


def test_first_covering_waiver_wins_and_later_ones_are_unused() -> None:
    exact = Waiver("CKV_AWS_24", "module.web.aws_security_group.ssh")
    broad = Waiver("CKV_AWS_24", "all")
    result = gate(exact, broad)
    assert result.waived == [(SSH, exact)]
    assert result.unused_waivers == [broad]


def test_a_clean_scan_opens_the_gate() -> None:
    assert evaluate(ScanResult(passed=[SSH]), []).allowed


def test_a_modules_idle_waiver_is_not_called_stale() -> None:
    scan = ScanResult(failed=[Finding("CKV_AWS_1", "x", "module.a.aws_s3_bucket.b")])
    idle = Waiver("CKV2_AWS_35", "module.network.aws_route.private_nat_gateway", "no NAT here", "module network")
    mine = Waiver("CKV_AWS_9", "all", "typo in the check id")
    gate = evaluate(scan, [idle, mine])
    assert gate.unused_waivers == [mine]
