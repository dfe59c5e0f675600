"""End to end, as a user types it: the real tfgen CLI, real terraform, the real
AWS provider, state in the embedded emulator's S3 and its lock in DynamoDB.

Every call carries a timeout (TFGEN_TIMEOUT for terraform, and one for the
whole tfgen process), so a provider waiting on the emulator fails the test with
a message instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfgen import sandbox
from tfgen.bootstrap import lock_holders

from .conftest import (
    E2E,
    CLIResult,
    explain_failure,
    make_project,
    network_only_inventory,
    plain_terraform_env,
    root_session,
    run_tfgen,
    state_backend,
)

pytestmark = pytest.mark.e2e

TABLE = "clientnest-tfstate-lock"
REGION = "us-east-1"


@pytest.fixture
def e2e_project(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    # The network slice of the repo's inventory: these tests are about the CLI's
    # mechanics (state, lock, gate, bundle); test_platform_e2e applies the rest.
    project = make_project(tmp_path, network_only_inventory())
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str, ok: bool = True) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools))
    if ok:
        assert result.returncode == 0, explain_failure(project, args, result, 6000)
    return result


def running_sandbox(project: Path) -> sandbox.Sandbox:
    running = sandbox.status(project / ".tfgen")
    assert running is not None
    return running


def manifest(project: Path, env: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((project / ".tfgen" / "plans" / env / "manifest.json").read_text())
    return data


EXPECTED = {
    # env: (VPC CIDR, Name tag prefix, NAT gateways, AZs)
    "dev": ("10.0.0.0/16", "ClientNest-Dev", 1, 2),
    "staging": ("10.1.0.0/16", "ClientNest-Staging", 1, 2),
    "prod": ("10.2.0.0/16", "ClientNest-Prod", 3, 3),
}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_environment_lifecycle(env: str, e2e_project: Path, e2e_tools: E2E) -> None:
    """generate ➜ init ➜ plan ➜ scan ➜ apply ➜ clean second plan ➜ destroy."""
    project = e2e_project
    tfgen(project, e2e_tools, "generate", env)
    tfgen(project, e2e_tools, "init", env, "--sandbox")
    planned = tfgen(project, e2e_tools, "plan", env, "--sandbox")
    assert "Gate: open" in planned.stdout
    first = manifest(project, env)
    assert first["changes"]["add"] > 20 and first["changes"]["destroy"] == 0  # type: ignore[index]
    bundle = project / ".tfgen" / "plans" / env
    for name in ("tfplan", "plan.json", "checkov.json", "checkov.junit.xml", "checkov.sarif", "summary.md"):
        assert (bundle / name).is_file(), name
    assert json.loads((bundle / "checkov.sarif").read_text())["version"] == "2.1.0"
    # Where the time went: terraform's parts, checkov's import (while terraform
    # planned) and scan, and tfgen's own.
    parts = json.loads((bundle / "timings.json").read_text())["parts_s"]
    assert {"start-up", "generate", "terraform plan", "terraform show -json", "checkov import",
            "checkov scan", "gate and reports"} <= set(parts)
    assert parts["terraform plan"] > parts["gate and reports"] >= 0
    scanned = tfgen(project, e2e_tools, "scan", env, "--sandbox")
    assert " waived, 0 blocking)" in scanned.stdout and "Gate: open" in scanned.stdout

    tfgen(project, e2e_tools, "apply", env, "--sandbox", "--auto-approve")

    # The state really lives in the emulator's S3, locked through its DynamoDB.
    # ...of the environment's own account, in that account's state bucket.
    session = root_session(project, env)
    bucket = state_backend(project, env).bucket
    state = json.loads(
        session.client("s3").get_object(Bucket=bucket, Key=f"tfgen/{env}/terraform.tfstate")["Body"].read()
    )
    assert state["serial"] >= 1 and state["resources"]
    digest = session.client("dynamodb").get_item(
        TableName=TABLE, Key={"LockID": {"S": f"{bucket}/tfgen/{env}/terraform.tfstate-md5"}}
    )
    assert "Item" in digest
    assert lock_holders(session, TABLE) == []

    # What the seed's template asks for exists in the emulated account.
    cidr, prefix, nat_count, az_count = EXPECTED[env]
    ec2 = session.client("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": [cidr]}])["Vpcs"]
    assert len(vpcs) == 1
    vpc_id = vpcs[0]["VpcId"]
    assert {"Key": "Name", "Value": f"{prefix}-VPC"} in vpcs[0]["Tags"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    public = [s for s in subnets if s["MapPublicIpOnLaunch"]]
    assert (len(public), len(subnets)) == (az_count, 2 * az_count)
    assert len({s["AvailabilityZone"] for s in public}) == az_count
    nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]
    assert len([n for n in nats if n["State"] == "available"]) == nat_count
    outputs = json.loads(tfgen(project, e2e_tools, "output", env, "--json", "--sandbox").stdout)
    assert outputs["vpc_id"]["value"] == vpc_id
    assert sorted(outputs["public_subnet_ids"]["value"]) == sorted(s["SubnetId"] for s in public)

    second = tfgen(project, e2e_tools, "plan", env, "--sandbox")
    assert "Plan: 0 to add, 0 to change, 0 to destroy" in second.stdout
    assert manifest(project, env)["changes"] == {"add": 0, "change": 0, "destroy": 0}

    tfgen(project, e2e_tools, "destroy", env, "--sandbox", "--auto-approve")
    assert ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": [cidr]}])["Vpcs"] == []
    assert lock_holders(session, TABLE) == []


def test_expert_runs_plain_terraform_in_envs(e2e_project: Path, e2e_tools: E2E, tmp_path: Path) -> None:
    """The committed backend.tf works as is: `terraform init && terraform plan` in envs/dev."""
    project = e2e_project
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")
    running = running_sandbox(project)
    # An expert with credentials of the environment's account (nonprod).
    env = plain_terraform_env(e2e_tools, tmp_path, running.account_env("111111111111", REGION))
    env_dir = project / "envs" / "dev"
    # The only sandbox-specific input is path-style S3 addressing, given at init.
    init = subprocess.run(
        [e2e_tools.terraform, "init", "-input=false", "-no-color", "-backend-config=use_path_style=true"],
        cwd=env_dir, env=env, capture_output=True, text=True, timeout=600,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    plan = subprocess.run(
        [e2e_tools.terraform, "plan", "-input=false", "-no-color", "-detailed-exitcode"],
        cwd=env_dir, env=env, capture_output=True, text=True, timeout=600,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr  # 0 = no changes: same state as tfgen's
    assert "No changes." in plan.stdout
    assert "sandbox" not in (env_dir / "backend.tf").read_text()


def test_stale_plan_and_gate_are_refused(e2e_project: Path, e2e_tools: E2E) -> None:
    project = e2e_project
    inventory = project / "inventory.yaml"
    original = inventory.read_text()
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")

    inventory.write_text(original.replace("Owner: cloud-engineering", "Owner: platform"))
    stale = tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve", ok=False)
    assert stale.returncode == 1, stale.output
    assert "changed since the plan" in stale.stderr and "inventory.yaml" in stale.stderr
    assert "tfgen plan dev --sandbox" in stale.stderr

    # Without flow logs, the VPC fails CKV2_AWS_11 and nothing waives it:
    # plan says so (exit 3), apply refuses (exit 3).
    no_flow_logs = original.replace("flow_logs:\n      enabled: true", "flow_logs:\n      enabled: false")
    assert no_flow_logs != original
    inventory.write_text(no_flow_logs)
    gated_plan = tfgen(project, e2e_tools, "plan", "dev", "--sandbox", ok=False)
    assert gated_plan.returncode == 3, gated_plan.output
    assert "Gate: refused" in gated_plan.stdout
    gated = tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve", ok=False)
    assert gated.returncode == 3, gated.output
    assert "CKV2_AWS_11 module.network.aws_vpc.this" in gated.stderr
    session = root_session(project, "dev")
    assert session.client("ec2").describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"] == []


def _start_tfgen(project: Path, tools: E2E, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tfgen", *args],
        cwd=project,
        env={**os.environ, **_env(tools), "TFGEN_TIMEOUT": "600"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def test_concurrent_applies_one_waits_or_fails_state_intact(e2e_project: Path, e2e_tools: E2E) -> None:
    project = e2e_project
    tfgen(project, e2e_tools, "plan", "staging", "--sandbox")
    runs = [_start_tfgen(project, e2e_tools, "apply", "staging", "--sandbox", "--auto-approve") for _ in range(2)]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert codes == [0, 1], "\n=====\n".join(output[-2500:] for output in outputs)
    loser = outputs[[run.returncode for run in runs].index(1)]
    assert (
        "another tfgen run is working on 'staging'" in loser
        or "state is locked by another run" in loser
        or "already applied" in loser
        or "Saved plan is stale" in loser
    ), loser
    session = root_session(project, "staging")
    assert lock_holders(session, TABLE) == []
    again = tfgen(project, e2e_tools, "plan", "staging", "--sandbox")
    assert "Plan: 0 to add, 0 to change, 0 to destroy" in again.stdout


def test_interrupted_apply_releases_the_lock(e2e_project: Path, e2e_tools: E2E) -> None:
    project = e2e_project
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    run = _start_tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")
    assert run.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 300
    for line in run.stdout:
        seen.append(line)
        if "Creating..." in line or time.monotonic() > deadline:
            break
    session = root_session(project, "dev")
    assert lock_holders(session, TABLE), "the apply should hold the lock while it runs"
    run.send_signal(signal.SIGINT)
    rest, _ = run.communicate(timeout=600)
    output = "".join(seen) + rest
    assert run.returncode == 1, output
    assert "interrupted" in output
    assert "the saved plan is stale now: run `tfgen plan dev --sandbox` again" in output
    assert lock_holders(session, TABLE) == []
    # The interrupted plan is never applied a second time.
    stale = tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve", ok=False)
    assert stale.returncode == 1 and "did not finish" in stale.stderr, stale.output
    # State is intact and usable: a new plan finishes what the interrupted apply left.
    again = tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    assert "Gate: open" in again.stdout
    tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")
    final = tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    assert "Plan: 0 to add, 0 to change, 0 to destroy" in final.stdout
