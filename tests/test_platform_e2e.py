"""The whole ClientNest platform on the embedded emulator: every root, applied once.

With the repository's inventory unmodified, `tfgen plan --all` then `tfgen apply
--all` take both account baselines and the three environments, each in its own
emulated account; a second `plan --all` changes nothing at all and gets the same
verdict; then every root is destroyed, leaving empty states. Nothing is switched
off and no diff is excused: the sandbox server extends moto with what it lacked
(tfgen/moto_ext), and a diff our modules cause is a bug in them.

The platform is applied once for the whole module (the tests run in file order
on the one project): applying it is most of this suite's time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tfgen.compose import compose_root
from tfgen.gate import waiver_covers
from tfgen.inventory import load_inventory
from tfgen.project import Project

from .conftest import (
    E2E,
    CLIResult,
    explain_failure,
    make_project,
    root_session,
    run_tfgen,
    state_backend,
)

pytestmark = pytest.mark.e2e

ACCOUNTS = {"account-nonprod": "111111111111", "account-prod": "222222222222"}
ENVIRONMENTS = ["dev", "staging", "prod"]
ROOTS = [*ACCOUNTS, *ENVIRONMENTS]

# What each environment must at least plan: one resource of every section.
PLATFORM = (
    "module.service.aws_ecs_service.this",
    "module.service.aws_appautoscaling_target.this",
    "module.service.aws_lb.this",
    "module.database.aws_db_instance.this",
    "module.cache.aws_elasticache_replication_group.this",
    "module.cache.aws_elasticache_user_group.this",
    "module.frontend.aws_cloudfront_distribution.this",
    "module.frontend.aws_cloudfront_response_headers_policy.this",
    "module.functions.aws_lambda_function.this",
    "module.messaging.aws_sqs_queue.this",
    "module.observability.aws_cloudwatch_dashboard.this",
    "module.secrets.aws_secretsmanager_secret.this",
    "module.tables.aws_dynamodb_table.this",
    "module.data.aws_glue_job.this",
    "module.data.aws_athena_workgroup.this",
    "module.data.aws_kinesis_firehose_delivery_stream.this",
    "module.ml.aws_sagemaker_endpoint.this",
)
# And each account baseline.
BASELINE = (
    "module.alerts.aws_sns_topic.this",
    "module.audit.aws_cloudtrail.this",
    "module.config.aws_config_configuration_recorder.this",
    "module.threat_detection.aws_guardduty_detector.this",
    "module.threat_detection.aws_securityhub_account.this",
    "module.identity.aws_iam_account_password_policy.this",
    "module.ci.aws_iam_openid_connect_provider.github",
    "module.guardrails.aws_ebs_encryption_by_default.this",
    "module.budgets.aws_budgets_budget.account",
)


@dataclass
class Platform:
    """The applied project, and what its first plan and apply said."""

    project: Path
    tools: E2E
    first_plan: dict[str, Any] = field(default_factory=dict)  # root -> plan.json
    first_findings: dict[str, dict[str, set[tuple[str, ...]]]] = field(default_factory=dict)
    second_findings: dict[str, dict[str, set[tuple[str, ...]]]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform, "TFGEN_TIMEOUT": "1500"}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str, code: int = 0) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools), timeout=3600)
    assert result.returncode == code, explain_failure(project, args, result, 12000)
    return result


def _plan(project: Path, root: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / ".tfgen" / "plans" / root / "plan.json").read_text())
    return data


def _changes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        rc for rc in plan.get("resource_changes", [])
        if rc["mode"] == "managed" and rc["change"]["actions"] not in (["no-op"], ["read"])
    ]


def _describe(change: dict[str, Any]) -> str:
    before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return f"{change['address']} {change['change']['actions']} {changed}"


def _findings(project: Path, root: str) -> dict[str, set[tuple[str, ...]]]:
    """The gate's view of the root's last scan (its SARIF): blocking, and waived by whom.

    ``carried`` findings are (check, resource, carrier), the carrier being
    ``module <name>`` or ``section <key>``.
    """
    sarif = json.loads((project / ".tfgen" / "plans" / root / "checkov.sarif").read_text())
    found: dict[str, set[tuple[str, ...]]] = {"blocking": set(), "inventory": set(), "carried": set()}
    for result in sarif["runs"][0]["results"]:
        finding = (result["ruleId"], result["partialFingerprints"]["tfgenResource/v1"].split(":", 1)[1])
        suppressions = result.get("suppressions") or []
        if not suppressions:
            found["blocking"].add(finding)
        elif suppressions[0]["properties"]["carriedBy"] == "inventory":
            found["inventory"].add(finding)
        else:
            found["carried"].add((*finding, suppressions[0]["properties"]["carriedBy"]))
    return found


def _state_resources(project: Path, root: str) -> list[Any]:
    """The resources in the root's state, in its account's bucket (none when absent)."""
    s3 = root_session(project, root).client("s3")
    try:
        body = s3.get_object(Bucket=state_backend(project, root).bucket, Key=f"tfgen/{root}/terraform.tfstate")["Body"].read()
    except s3.exceptions.NoSuchKey:
        return []
    resources: list[Any] = json.loads(body).get("resources", [])
    return resources


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, e2e_tools: E2E) -> Iterator[Platform]:
    project = make_project(tmp_path_factory.mktemp("platform"))
    applied = Platform(project, e2e_tools)
    started = time.monotonic()
    tfgen(project, e2e_tools, "plan", "--all", "--sandbox", "--parallelism", "2")
    applied.timings["plan --all"] = time.monotonic() - started
    for root in ROOTS:
        applied.first_plan[root] = _plan(project, root)
        applied.first_findings[root] = _findings(project, root)
    started = time.monotonic()
    tfgen(project, e2e_tools, "apply", "--all", "--sandbox", "--auto-approve", "--parallelism", "2")
    applied.timings["apply --all"] = time.monotonic() - started
    yield applied
    print("platform: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in applied.timings.items()))
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def test_every_root_plans_its_whole_platform_past_the_gate(platform: Platform) -> None:
    for root in ROOTS:
        findings = platform.first_findings[root]
        assert findings["blocking"] == set(), f"{root}: {sorted(findings['blocking'])}"
        planned = {rc["address"].split("[")[0] for rc in _changes(platform.first_plan[root])}
        expected = set(BASELINE if root in ACCOUNTS else PLATFORM)
        assert not expected - planned, f"{root} does not plan {sorted(expected - planned)}"


def test_apply_all_puts_each_root_in_its_own_account(platform: Platform) -> None:
    for root in ROOTS:
        types = {r["type"] for r in _state_resources(platform.project, root)}
        expected = {a.split(".")[2] for a in (BASELINE if root in ACCOUNTS else PLATFORM)}
        assert not expected - types, f"{root}'s state lacks {sorted(expected - types)}"
    for root, account in ACCOUNTS.items():
        session = root_session(platform.project, root)
        assert session.client("sts").get_caller_identity()["Account"] == account
        # One baseline per account: its own trail and its own detector, nobody else's.
        trails = session.client("cloudtrail").describe_trails()["trailList"]
        assert [t["TrailARN"].split(":")[4] for t in trails] == [account]
        assert len(session.client("guardduty").list_detectors()["DetectorIds"]) == 1


def test_prods_resilience_parts_exist_in_its_account(platform: Platform) -> None:
    # What the sandbox must keep of prod's backup, DR, Service Connect and SLO
    # alarms for the second plan to be clean, read back as AWS would answer.
    session = root_session(platform.project, "prod")
    vault = session.client("backup").describe_backup_vault(BackupVaultName="clientnest-prod")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 7, 400)
    copy_vault = session.client("backup", region_name="us-west-2").describe_backup_vault(BackupVaultName="clientnest-prod")
    assert copy_vault["Locked"]
    rule = session.client("s3").get_bucket_replication(Bucket="clientnest-prod-uploads")["ReplicationConfiguration"]["Rules"][0]
    assert rule["Destination"]["Bucket"] == "arn:aws:s3:::clientnest-prod-uploads-us-west-2"
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    replicated = session.client("rds", region_name="us-west-2").describe_db_instance_automated_backups(
        DBInstanceIdentifier="clientnest-prod-postgres"
    )["DBInstanceAutomatedBackups"]
    assert [b["Status"] for b in replicated] == ["replicating"]
    namespaces = session.client("servicediscovery").list_namespaces()["Namespaces"]
    assert [(n["Name"], n["Type"]) for n in namespaces] == [("clientnest-prod", "HTTP")]
    composite = session.client("cloudwatch").describe_alarms(AlarmNames=["clientnest-prod-slo-api-availability"])
    assert 'ALARM("clientnest-prod-slo-api-availability-fast-long")' in composite["CompositeAlarms"][0]["AlarmRule"]


def test_a_second_plan_changes_nothing_and_gets_the_same_verdict(platform: Platform) -> None:
    started = time.monotonic()
    again = tfgen(platform.project, platform.tools, "plan", "--all", "--sandbox", "--detailed-exitcode", "--json")
    platform.timings["re-plan --all"] = time.monotonic() - started
    roots = json.loads(again.stdout)["roots"]
    assert [r["name"] for r in roots] == ROOTS
    for root in ROOTS:
        changes = [_describe(change) for change in _changes(_plan(platform.project, root))]
        assert changes == [], f"the second plan of {root} changes:\n" + "\n".join(changes)
        now, before = _findings(platform.project, root), platform.first_findings[root]
        platform.second_findings[root] = now
        assert now["blocking"] == set(), f"{root}: {sorted(now['blocking'])}"
        # The inventory's own waivers cover the same findings; only what modules and
        # sections waive as checkov misreading a plan may appear once resources exist.
        assert now["inventory"] == before["inventory"], root


def test_every_waiver_a_module_carries_covers_a_finding(platform: Platform) -> None:
    # A module's waiver that covers nothing is stale, or names a resource wrongly.
    # Each must cover a finding of some root that calls the module, in the plan of
    # an empty state or of the applied one, whichever waiver the gate matched first
    # (the inventory's own come first).
    assert platform.second_findings, "needs the second plan's findings"
    inventory = load_inventory(platform.project / "inventory.yaml")
    carried: dict[tuple[str, str, str], bool] = {}
    for root in ROOTS:
        found = [
            SimpleNamespace(check_id=finding[0], resource=finding[1])
            for scans in (platform.first_findings, platform.second_findings)
            for kind in scans[root].values()
            for finding in kind
        ]
        for waiver in compose_root(inventory, root, Project(platform.project)).carried_waivers:
            if waiver.carried_by.startswith("module "):
                key = (waiver.carried_by.removeprefix("module "), waiver.check, waiver.resource.split(".", 2)[2])
                covers = any(waiver_covers(waiver, finding) for finding in found)  # type: ignore[arg-type]
                carried[key] = carried.get(key, False) or covers
    unused = [f"modules/{module}/waivers.yaml: {check} {resource}" for (module, check, resource), used in carried.items()
              if not used]
    assert carried and unused == []


def test_destroy_every_root_leaves_empty_states(platform: Platform) -> None:
    started = time.monotonic()
    for root in reversed(ROOTS):  # environments before their account's baseline
        tfgen(platform.project, platform.tools, "destroy", root, "--sandbox", "--auto-approve")
        assert _state_resources(platform.project, root) == [], root
    platform.timings["destroy"] = time.monotonic() - started
