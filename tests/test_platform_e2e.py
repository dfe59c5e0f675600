"""The whole ClientNest platform on the embedded emulator, one environment per test.

Each environment, with the repository's inventory unmodified: the plan passes the
gate and lists nothing the emulator cannot create, the apply succeeds, a second
plan changes nothing at all, and the destroy leaves an empty state. Nothing is
switched off and no diff is excused: the sandbox server extends moto with what
it lacked (tfgen/moto_ext), and a diff our modules cause is a bug in them.

Each test runs in its own scratch project with its own emulator; an apply of a
whole environment takes several minutes on a small machine.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
)


@pytest.fixture
def platform_project(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path)
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform, "TFGEN_TIMEOUT": "1500"}
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


def _describe(change: dict[str, Any]) -> str:
    before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return f"{change['address']} {change['change']['actions']} {changed}"


def _state_resources(project: Path, env: str) -> list[Any]:
    """The resources in the environment's state in the emulator's S3 (none when absent)."""
    s3 = root_session(project, env).client("s3")
    try:
        body = s3.get_object(Bucket=state_backend(project, env).bucket, Key=f"tfgen/{env}/terraform.tfstate")["Body"].read()
    except s3.exceptions.NoSuchKey:
        return []
    resources: list[Any] = json.loads(body).get("resources", [])
    return resources


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_environment_applies_replans_with_no_changes_and_destroys(
    env: str, platform_project: Path, e2e_tools: E2E
) -> None:
    project = platform_project
    planned = tfgen(project, e2e_tools, "plan", env, "--sandbox")
    assert "Gate: open" in planned.stdout
    assert "Sandbox: the emulator cannot create" not in planned.stdout
    assert f"next: tfgen apply {env} --sandbox" in planned.stdout
    addresses = {rc["address"].split("[")[0] for rc in _changes(_plan(project, env))}
    assert not set(PLATFORM) - addresses

    timings = {}
    started = time.monotonic()
    tfgen(project, e2e_tools, "apply", env, "--sandbox", "--auto-approve")
    timings["apply"] = time.monotonic() - started
    assert {r["type"] for r in _state_resources(project, env)} >= {a.split(".")[2] for a in PLATFORM}

    started = time.monotonic()
    replanned = tfgen(project, e2e_tools, "plan", env, "--sandbox")
    timings["re-plan"] = time.monotonic() - started
    changes = [_describe(change) for change in _changes(_plan(project, env))]
    assert changes == [], "the second plan changes:\n" + "\n".join(changes)
    assert "Plan: 0 to add, 0 to change, 0 to destroy" in replanned.stdout

    started = time.monotonic()
    tfgen(project, e2e_tools, "destroy", env, "--sandbox", "--auto-approve")
    timings["destroy"] = time.monotonic() - started
    assert _state_resources(project, env) == []
    print(f"{env}: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in timings.items()))
