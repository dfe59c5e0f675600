"""Runs over every root on the sandbox: plan --all, apply --all, a gated root, drift.

A small platform (the repository's accounts and environments, each with a VPC
without NAT or flow logs) keeps each apply to seconds; what is tested is the
run: the DAG, the combined bundle, the exit codes, drift found and cleared.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import E2E, CLIResult, make_project, network_only_inventory, root_session, run_tfgen
from .test_reports import assert_valid_sarif

pytestmark = pytest.mark.e2e


def small_platform() -> str:
    data = yaml.safe_load(network_only_inventory())
    data["defaults"]["network"] = {"nat_gateways": "none", "flow_logs": {"enabled": False}}
    data["waivers"] = [
        {"check": "CKV2_AWS_11", "resource": "all", "reason": "throwaway test VPCs need no flow logs"}
    ]
    return yaml.safe_dump(data, sort_keys=False)


@pytest.fixture
def platform(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path, small_platform())
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str, code: int = 0) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools), timeout=1800)
    assert result.returncode == code, f"tfgen {' '.join(args)}:\n{result.output[-6000:]}{_failed_logs(project)}"
    return result


def _failed_logs(project: Path) -> str:
    """The end of each failed root's log in the last run (the run's output shows the last root's)."""
    runs = project / ".tfgen" / "runs"
    if not runs.is_dir():
        return ""
    run = last_run(project)
    summary = json.loads((run / "summary.json").read_text()) if (run / "summary.json").is_file() else {}
    failed = [r["name"] for r in summary.get("roots", []) if r["status"] == "failed"]
    return "".join(f"\n--- {name}.log ---\n{(run / f'{name}.log').read_text()[-3000:]}" for name in failed)


def last_run(project: Path) -> Path:
    runs = sorted(p for p in (project / ".tfgen" / "runs").iterdir() if p.is_dir())
    return runs[-1]


ROOTS = ["account-nonprod", "account-prod", "dev", "staging", "prod"]


def test_plan_all_then_apply_all_in_dag_order_with_one_combined_bundle(platform: Path, e2e_tools: E2E) -> None:
    planned = tfgen(platform, e2e_tools, "plan", "--all", "--sandbox", "--parallelism", "2", "--detailed-exitcode", code=2)
    # Grouped per root: each root's block starts with its own headline.
    for name in ROOTS:
        assert f"{name}: " in planned.stdout
    run = last_run(platform)
    summary = json.loads((run / "summary.json").read_text())
    assert [r["name"] for r in summary["roots"]] == ROOTS
    assert {r["name"]: r["status"] for r in summary["roots"]} == {
        "account-nonprod": "ok", "account-prod": "ok", "dev": "changes", "staging": "changes", "prod": "changes",
    }
    assert summary["exit_code"] == 2
    markdown = (run / "summary.md").read_text()
    assert "```mermaid" in markdown and "account_nonprod --> dev" in markdown and "account_prod --> prod" in markdown
    assert "| `staging` | environment | 🟡 changes" in markdown
    suites = ET.parse(run / "checkov.junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == [f"checkov: {name}" for name in ROOTS]
    sarif = json.loads((run / "checkov.sarif").read_text())
    assert_valid_sarif(sarif)
    assert [r["automationDetails"]["id"] for r in sarif["runs"]] == [f"tfgen/{name}/" for name in ROOTS]
    # Results point at the HCL: the module's resource block, then the root's module call.
    located = [res for r in sarif["runs"] for res in r["results"] if res["ruleId"] == "CKV_AWS_130"]
    assert located and located[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "modules/network/main.tf"
    assert located[0]["locations"][1]["physicalLocation"]["artifactLocation"]["uri"].startswith("envs/")

    applied = tfgen(platform, e2e_tools, "apply", "--all", "--sandbox", "--auto-approve", "--json")
    assert {r["name"]: r["status"] for r in json.loads(applied.stdout)["roots"]} == dict.fromkeys(ROOTS, "ok")
    again = tfgen(platform, e2e_tools, "plan", "--all", "--sandbox", "--detailed-exitcode", "--json")
    assert all(r["changes"] == {"add": 0, "change": 0, "destroy": 0} for r in json.loads(again.stdout)["roots"])


def test_a_gated_root_makes_the_run_exit_3_and_the_others_are_still_planned(platform: Path, e2e_tools: E2E) -> None:
    inventory = platform / "inventory.yaml"
    data = yaml.safe_load(inventory.read_text())
    data["waivers"][0]["environments"] = ["dev", "prod"]  # staging's VPC now fails CKV2_AWS_11
    inventory.write_text(yaml.safe_dump(data, sort_keys=False))
    tfgen(platform, e2e_tools, "plan", "--all", "--sandbox", code=3)
    summary = json.loads((last_run(platform) / "summary.json").read_text())
    statuses = {r["name"]: (r["status"], r["gate"]) for r in summary["roots"]}
    assert statuses["staging"] == ("gated", "refused (1 unwaived)")
    assert statuses["dev"] == ("changes", "open") and statuses["prod"] == ("changes", "open")
    junit = ET.parse(last_run(platform) / "checkov.junit.xml").getroot()
    assert junit.get("failures") == "1"


def test_drift_reports_exactly_what_changed_behind_terraforms_back(platform: Path, e2e_tools: E2E) -> None:
    tfgen(platform, e2e_tools, "plan", "dev", "--sandbox")
    tfgen(platform, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")
    tfgen(platform, e2e_tools, "drift", "dev", "--sandbox")  # exit 0: nothing drifted yet

    ec2 = root_session(platform, "dev").client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"][0]
    ec2.create_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "Owner", "Value": "someone-by-hand"}])
    default_sg = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(
        GroupId=default_sg["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    state_before = json.loads((platform / ".tfgen" / "plans" / "dev" / "manifest.json").read_text())

    drifted = tfgen(platform, e2e_tools, "drift", "dev", "--sandbox", code=2)
    report = json.loads((platform / ".tfgen" / "drift" / "dev" / "drift.json").read_text())
    assert sorted(r["address"] for r in report["resources"]) == [
        "module.network.aws_default_security_group.this[0]",
        "module.network.aws_vpc.this",
    ]
    vpc_drift = next(r for r in report["resources"] if r["address"] == "module.network.aws_vpc.this")
    # Owner is a default tag (tags_all); the resource's own tags had none.
    assert {"path": "tags.Owner", "before": None, "after": "someone-by-hand"} in vpc_drift["attributes"]
    assert "drift" in drifted.stdout
    for name in ("drift.md", "drift.junit.xml", "drift.sarif"):
        assert (platform / ".tfgen" / "drift" / "dev" / name).is_file()
    assert_valid_sarif(json.loads((platform / ".tfgen" / "drift" / "dev" / "drift.sarif").read_text()))
    # Drift changes neither the saved plan bundle nor the state.
    assert json.loads((platform / ".tfgen" / "plans" / "dev" / "manifest.json").read_text()) == state_before

    tfgen(platform, e2e_tools, "plan", "dev", "--sandbox")
    tfgen(platform, e2e_tools, "apply", "dev", "--sandbox", "--auto-approve")
    tfgen(platform, e2e_tools, "drift", "dev", "--sandbox")
