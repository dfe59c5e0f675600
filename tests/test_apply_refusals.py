"""Every way `tfgen apply` refuses a saved plan, end to end on the sandbox.

A small root (a VPC without NAT or flow logs) keeps each apply to seconds; the
refusals are about the plan bundle and the state, not about what is in them.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tfgen.file_lock import locked

from .conftest import (
    E2E,
    CLIResult,
    explain_failure,
    make_project,
    network_only_inventory,
    root_session,
    run_tfgen,
    state_backend,
)

pytestmark = pytest.mark.e2e

TABLE = "clientnest-tfstate-lock"


def small_inventory() -> str:
    data = yaml.safe_load(network_only_inventory())
    data["defaults"]["network"] = {"nat_gateways": "none", "flow_logs": {"enabled": False}}
    data["environments"] = {"dev": data["environments"]["dev"]}
    data["waivers"] = [w for w in data["waivers"] if "network" in w["resource"]]
    data["waivers"].append(
        {"check": "CKV2_AWS_11", "resource": "all", "reason": "a throwaway test VPC needs no flow logs"}
    )
    return yaml.safe_dump(data, sort_keys=False)


@pytest.fixture
def small(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path, small_inventory())
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str, code: int = 0) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools))
    assert result.returncode == code, explain_failure(project, args, result)
    return result


def apply(project: Path, tools: E2E, code: int = 0) -> CLIResult:
    return tfgen(project, tools, "apply", "dev", "--sandbox", "--auto-approve", code=code)


def bundle(project: Path) -> Path:
    return project / ".tfgen" / "plans" / "dev"


def test_a_changed_bundle_or_source_is_refused_and_waivers_alone_are_not(small: Path, e2e_tools: E2E) -> None:
    project = small
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")

    def refused(what: str) -> str:
        result = apply(project, e2e_tools, code=1)
        assert what in result.stderr, result.output
        assert "tfgen plan dev --sandbox" in result.stderr
        assert "terraform apply" not in result.output
        return result.stderr

    # A module file changed since the plan.
    module = project / "modules" / "network" / "main.tf"
    original = module.read_text()
    module.write_text(original + "\n# edited\n")
    refused("changed since the plan: modules/network/main.tf")
    module.write_text(original)

    # A generated file edited by hand.
    main_tf = project / "envs" / "dev" / "main.tf"
    generated = main_tf.read_text()
    main_tf.write_text(generated.replace('cidr ', 'cidr  ', 1))
    refused("envs/dev/main.tf")
    main_tf.write_text(generated)

    # The plan or its scan replaced: the gate's verdict was about other files.
    for name in ("tfplan", "checkov.json", "plan.json"):
        path = bundle(project) / name
        kept = path.read_bytes()
        path.write_bytes(kept + b" ")
        refused(f"{name} is not the file that was planned and scanned")
        path.write_bytes(kept)

    # The saved plan file gone.
    (bundle(project) / "tfplan").rename(bundle(project) / "tfplan.kept")
    refused("the saved plan file of 'dev' is missing")
    (bundle(project) / "tfplan.kept").rename(bundle(project) / "tfplan")

    # Made for another target: real AWS instead of the sandbox...
    to_aws = run_tfgen(project, "apply", "dev", "--auto-approve", env=_env(e2e_tools))
    assert to_aws.returncode == 1 and "was made for sandbox pid" in to_aws.stderr, to_aws.output

    # Waivers only: `tfgen scan` judges the same plan again, which stays appliable.
    inventory = project / "inventory.yaml"
    data = yaml.safe_load(inventory.read_text())
    data["waivers"].append({"check": "CKV_AWS_999", "resource": "all", "reason": "a new waiver, nothing else"})
    inventory.write_text(yaml.safe_dump(data, sort_keys=False))
    stale_scan = apply(project, e2e_tools, code=1)
    assert "waivers of 'dev' changed since its plan was scanned" in stale_scan.stderr
    assert "tfgen scan dev --sandbox" in stale_scan.stderr
    tfgen(project, e2e_tools, "scan", "dev", "--sandbox")
    apply(project, e2e_tools)

    # Once applied, never again.
    again = apply(project, e2e_tools, code=1)
    assert "was already applied at" in again.stderr


def test_a_restarted_sandbox_is_another_target(small: Path, e2e_tools: E2E) -> None:
    project = small
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    tfgen(project, e2e_tools, "sandbox", "stop")
    result = apply(project, e2e_tools, code=1)
    assert "was made for sandbox pid" in result.stderr and "not sandbox pid" in result.stderr


def test_a_changed_state_makes_the_plan_stale(small: Path, e2e_tools: E2E) -> None:
    project = small
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    kept = project / "kept-bundle"
    shutil.copytree(bundle(project), kept)
    apply(project, e2e_tools)  # the state moves on...
    shutil.rmtree(bundle(project))
    shutil.copytree(kept, bundle(project))  # ...and an old plan comes back
    result = apply(project, e2e_tools, code=1)
    assert "the state of 'dev' changed since the plan (serial None ➜ " in result.stderr, result.output


def test_a_held_state_lock_waits_fails_and_tfgen_unlock_frees_it(small: Path, e2e_tools: E2E) -> None:
    project = small
    tfgen(project, e2e_tools, "plan", "dev", "--sandbox")
    dynamodb = root_session(project, "dev").client("dynamodb")
    lock_id = str(uuid.uuid4())
    path = f"{state_backend(project, 'dev').bucket}/tfgen/dev/terraform.tfstate"
    info = {"ID": lock_id, "Operation": "OperationTypeApply", "Info": "", "Who": "ci@gone-runner",
            "Version": "1.11.4", "Created": "2026-11-29T10:00:00Z", "Path": path}
    dynamodb.put_item(TableName=TABLE, Item={"LockID": {"S": path}, "Info": {"S": json.dumps(info)}})

    waited = tfgen(project, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve", "--lock-timeout", "3s", code=1)
    assert "the state is locked by another run" in waited.stderr and "ci@gone-runner" in waited.stderr
    assert f"tfgen unlock dev {lock_id} --sandbox" in waited.stderr
    assert "still held after --lock-timeout 3s" in waited.stderr

    wrong = tfgen(project, e2e_tools, "unlock", "dev", "not-that-id", "--sandbox", "--auto-approve", code=2)
    assert f"held: {lock_id}" in wrong.stderr
    freed = tfgen(project, e2e_tools, "unlock", "dev", lock_id, "--sandbox", "--auto-approve")
    assert "ci@gone-runner" in freed.stdout and "OperationTypeApply" in freed.stdout
    assert "successfully unlocked" in freed.stdout and "\x1b[" not in freed.stdout  # no terminal, no colour
    # Nothing was applied while the lock was held: the same plan applies now.
    apply(project, e2e_tools)


def test_one_tfgen_run_per_root(small: Path, e2e_tools: E2E) -> None:
    project = small
    holder = {"command": "tfgen apply dev --sandbox", "pid": 4242, "since": "2026-11-29T10:00:00+00:00"}
    with locked(project / ".tfgen" / "locks" / "dev.lock", holder=holder):
        busy = tfgen(project, e2e_tools, "plan", "dev", "--sandbox", code=1)
        rewriting = tfgen(project, e2e_tools, "generate", code=1)  # the root being applied
        checking = tfgen(project, e2e_tools, "generate", "--check", code=1)  # reads only
    assert "another tfgen run is working on 'dev': `tfgen apply dev --sandbox` (pid 4242" in busy.stderr
    assert "another tfgen run is working on 'dev'" in rewriting.stderr
    assert "differs: envs/dev/main.tf" in checking.stdout and "another" not in checking.stderr
    assert not (bundle(project) / "manifest.json").exists()
