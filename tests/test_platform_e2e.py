"""The whole ClientNest platform on the embedded emulator.

Every environment plans with the full inventory and passes the gate. Then dev is
applied with everything the emulator can create, re-planned, and destroyed.
What the emulator cannot do is named here, with the error it gives; nothing is
skipped silently:

- EMULATOR_CANNOT_APPLY: sections switched off for the applied run (their
  resources stay planned, validated and scanned in every environment);
- EMULATOR_DIFFS: attributes the emulator does not read back, so they show as a
  change on the second plan. Any other change there is a bug in our modules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tfgen import sandbox

from .conftest import E2E, CLIResult, explain_failure, make_project, run_tfgen

pytestmark = pytest.mark.e2e

EMULATOR_CANNOT_APPLY = {
    "cache": (
        "ElastiCache replication group: moto 5.2 never creates the member clusters"
        " (CacheClusterNotFound) and the group stays in 'deleting' on destroy"
    ),
    "frontend": (
        "CloudFront response headers policy: moto 5.2 has no CreateResponseHeadersPolicy"
        " (StatusCode: 404, 'XML syntax error on line 2')"
    ),
}

# Parts of a section the emulator cannot run, switched off by the inventory in the
# applied run (same wording: the reason), without switching off the section.
EMULATOR_CANNOT_APPLY_AUTOSCALING = (
    "ECS service auto scaling target: moto 5.2 has no Application Auto Scaling"
    " ListTagsForResource (HTTP 500, NotImplementedError), so the target cannot be read"
    " back; the applied run sets min_count == max_count, which creates no target"
)

# (resource type, attribute) ➜ what the emulator does
EMULATOR_DIFFS: dict[tuple[str, str], str] = {
    ("aws_lambda_function", "dead_letter_config"): "moto drops DeadLetterConfig (never stored)",
    ("aws_ecs_service", "availability_zone_rebalancing"): "moto does not return it",
    ("aws_db_instance", "performance_insights_enabled"): "moto does not store Performance Insights",
    ("aws_db_instance", "performance_insights_kms_key_id"): "moto does not store Performance Insights",
    ("aws_db_instance", "performance_insights_retention_period"): "moto does not store Performance Insights",
    ("aws_db_parameter_group", "parameter"): "moto returns parameters without Source; the provider skips them",
    ("aws_vpc_security_group_ingress_rule", "description"): (
        "moto reads rule descriptions only from CIDR ranges, not from referenced security groups"
    ),
    ("aws_vpc_security_group_egress_rule", "description"): (
        "moto reads rule descriptions only from CIDR ranges, not from referenced security groups"
    ),
}


@pytest.fixture
def platform_project(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path)
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform, "TFGEN_TIMEOUT": "900"}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools), timeout=1800)
    assert result.returncode == 0, explain_failure(project, args, result, 8000)
    return result


def _plan(project: Path, env: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / ".tfgen" / "plans" / env / "plan.json").read_text())
    return data


def _changes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        rc for rc in plan.get("resource_changes", [])
        if rc["mode"] == "managed" and rc["change"]["actions"] not in (["no-op"], ["read"])
    ]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_environment_plans_and_passes_the_gate(env: str, platform_project: Path, e2e_tools: E2E) -> None:
    result = tfgen(platform_project, e2e_tools, "plan", env, "--sandbox")
    assert "Gate: open" in result.stdout
    planned = {rc["address"].split("[")[0] for rc in _changes(_plan(platform_project, env))}
    for resource in (
        "module.service.aws_ecs_service.this",
        "module.service.aws_lb.this",
        "module.database.aws_db_instance.this",
        "module.cache.aws_elasticache_replication_group.this",
        "module.frontend.aws_cloudfront_distribution.this",
        "module.functions.aws_lambda_function.this",
        "module.messaging.aws_sqs_queue.this",
        "module.observability.aws_cloudwatch_dashboard.this",
        "module.secrets.aws_secretsmanager_secret.this",
    ):
        assert resource in planned, resource

    # The emulator cannot create the cache, the CDN's headers policy or the
    # scaling targets: the plan says so, and a sandbox apply refuses before
    # touching anything, rather than stopping half done minutes later.
    assert "Sandbox: the emulator cannot create" in result.stdout
    assert "module.cache.aws_elasticache_user_group.this" in result.stdout
    assert "next: tfgen apply" not in result.stdout
    refused = run_tfgen(platform_project, "apply", env, "--sandbox", "--auto-approve", env=_env(e2e_tools))
    assert refused.returncode == 1, refused.output
    assert "nothing was applied" in refused.stderr
    assert "switch off `frontend`" in refused.stderr
    assert "terraform apply" not in refused.output
    assert _state_resources(platform_project, env) == []


def _state_resources(project: Path, env: str) -> list[Any]:
    """The resources in the environment's state in the emulator's S3 (none when absent)."""
    running = sandbox.status(project / ".tfgen")
    assert running is not None
    s3 = running.boto3_session("us-east-1").client("s3")
    try:
        body = s3.get_object(Bucket="clientnest-tfstate-use1", Key=f"tfgen/{env}/terraform.tfstate")["Body"].read()
    except s3.exceptions.NoSuchKey:
        return []
    resources: list[Any] = json.loads(body).get("resources", [])
    return resources


def test_dev_platform_applies_replans_clean_and_destroys(platform_project: Path, e2e_tools: E2E) -> None:
    project = platform_project
    inventory = project / "inventory.yaml"
    data = yaml.safe_load(inventory.read_text())
    dev = data["environments"]["dev"]
    for section in EMULATOR_CANNOT_APPLY:
        dev[section] = {"enabled": False}
    services = data["defaults"]["compute"]["services"]
    dev["compute"] = {"services": {name: {"max_count": svc["min_count"]} for name, svc in services.items()}}
    inventory.write_text(yaml.safe_dump(data, sort_keys=False))

    planned = tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    assert "Sandbox: the emulator cannot create" not in planned.stdout
    applied = {rc["address"] for rc in _changes(_plan(project, "dev"))}
    tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")

    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    unexpected = []
    for rc in _changes(_plan(project, "dev")):
        before, after = rc["change"]["before"] or {}, rc["change"]["after"] or {}
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and k != "tags_all")
        if rc["change"]["actions"] != ["update"] or not all(
            (rc["type"], attribute) in EMULATOR_DIFFS for attribute in changed
        ):
            unexpected.append(f"{rc['address']} {rc['change']['actions']} {changed}")
    assert unexpected == [], "changes on the second plan that the emulator does not explain:\n" + "\n".join(unexpected)

    tfgen(project, e2e_tools, "destroy", "dev", "--sandbox", "--auto-approve")
    print(f"applied {len(applied)} resources on the emulator")
