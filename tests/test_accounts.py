"""Accounts: each root pinned to its AWS account, at every layer.

The inventory names the accounts; every provider block refuses other accounts;
tfgen asks STS who the credentials are before terraform starts and refuses
another account's (exit 2), naming both; each account keeps its roots' state.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen import sandbox
from tfgen.cli import app
from tfgen.inventory import load_inventory

from .conftest import E2E, REPO, make_project, run_tfgen

ACCOUNTS = """\
project: shop
state: {bucket: shop-tfstate, lock_table: shop-lock, region: eu-west-1}
accounts:
  test: {id: "111111111111"}
  live: {id: "222222222222", role: "arn:aws:iam::222222222222:role/deployer"}
account_defaults: {region: eu-west-1}
defaults:
  region: eu-west-1
  network:
    cidr: 10.0.0.0/16
    public_subnets: [10.0.1.0/24, 10.0.2.0/24]
    private_subnets: [10.0.11.0/24, 10.0.12.0/24]
environments:
  qa: {account: test}
  prod: {account: live, depends_on: [qa]}
"""


def _validate(project: Path, text: str) -> tuple[int, str]:
    (project / "inventory.yaml").write_text(text)
    result = CliRunner().invoke(app, ["-i", str(project / "inventory.yaml"), "validate"])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('test: {id: "111111111111"}', 'test: {id: "12345"}',
         "inventory.yaml:4: accounts.test.id: '12345' is not an AWS account id (12 digits)"),
        ('test: {id: "111111111111"}', "test: {id: 111111111111}",
         "inventory.yaml:4: accounts.test.id: write the account id in quotes: '123456789012'"),
        ('live: {id: "222222222222"', 'live: {id: "111111111111"',
         "inventory.yaml:5: accounts.live.id: account 'test' has the same id 111111111111"),
    ],
)
def test_account_ids_are_checked_with_their_line(project: Path, old: str, new: str, expected: str) -> None:
    code, output = _validate(project, ACCOUNTS.replace(old, new))
    assert code == 2, output
    assert expected in output, output


def test_an_environment_names_a_known_account(project: Path) -> None:
    code, output = _validate(project, ACCOUNTS.replace("qa: {account: test}", "qa: {account: tset}"))
    assert code == 2
    assert "inventory.yaml:14: environments.qa.account: no account 'tset' (known: test, live)" in output
    code, output = _validate(project, ACCOUNTS.replace("qa: {account: test}", "qa: {}"))
    assert code == 2
    assert "environments.qa: name the account it lives in (one of: test, live)" in output


def test_a_role_lives_in_its_own_account(project: Path) -> None:
    code, output = _validate(project, ACCOUNTS.replace("iam::222222222222:role", "iam::333333333333:role"))
    assert code == 2
    assert "accounts.live.role: the role must be in the account itself (222222222222)" in output


def test_dependencies_name_roots_and_make_no_cycle(project: Path) -> None:
    code, output = _validate(project, ACCOUNTS.replace("depends_on: [qa]", "depends_on: [uat]"))
    assert code == 2 and "environments.prod.depends_on[0]: no root 'uat'" in output
    cyclic = ACCOUNTS.replace("qa: {account: test}", "qa: {account: test, depends_on: [prod]}")
    code, output = _validate(project, cyclic)
    assert code == 2 and "depends_on makes a cycle:" in output


def test_without_accounts_a_warning_not_an_error(project: Path) -> None:
    text = ACCOUNTS.split("accounts:")[0] + "defaults:" + ACCOUNTS.split("\ndefaults:")[1]
    text = text.replace("{account: test}", "{}").replace("{account: live, depends_on: [qa]}", "{}")
    code, output = _validate(project, text)
    assert code == 0, output
    assert "warning:" in output and "no `accounts`" in output and "unpinned" in output


def test_list_prints_every_root_accounts_first(project: Path) -> None:
    (project / "inventory.yaml").write_text(ACCOUNTS)
    runner = CliRunner()
    listed = runner.invoke(app, ["-i", str(project / "inventory.yaml"), "list"])
    assert listed.exit_code == 0 and listed.output.split() == ["account-test", "account-live", "qa", "prod"]
    as_json = json.loads(runner.invoke(app, ["-i", str(project / "inventory.yaml"), "list", "--json"]).output)
    assert as_json[3] == {
        "name": "prod",
        "kind": "environment",
        "account_id": "222222222222",
        "region": "eu-west-1",
        "depends_on": ["account-live", "qa"],
    }
    assert as_json[0]["kind"] == "account" and as_json[0]["depends_on"] == []


def test_every_provider_is_pinned_and_state_lives_in_its_account(project: Path) -> None:
    (project / "inventory.yaml").write_text(ACCOUNTS)
    result = CliRunner().invoke(app, ["-i", str(project / "inventory.yaml"), "generate"])
    assert result.exit_code == 0, result.output
    prod = (project / "envs" / "prod" / "providers.tf").read_text()
    assert 'allowed_account_ids = ["222222222222"]' in prod
    assert 'role_arn     = "arn:aws:iam::222222222222:role/deployer"' in prod
    backend = (project / "envs" / "prod" / "backend.tf").read_text()
    assert 'bucket         = "shop-tfstate-live"' in backend and "assume_role" in backend
    qa = (project / "envs" / "qa" / "providers.tf").read_text()
    assert 'allowed_account_ids = ["111111111111"]' in qa and "assume_role" not in qa
    assert 'bucket         = "shop-tfstate-test"' in (project / "envs" / "qa" / "backend.tf").read_text()
    assert (project / "envs" / "account-live" / "providers.tf").is_file()


def test_the_repository_has_a_nonprod_and_a_prod_account() -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    assert {name: a.id for name, a in inventory.accounts.items()} == {
        "nonprod": "111111111111",
        "prod": "222222222222",
    }
    assert {r.name: r.account.name for r in inventory.roots() if r.account} == {
        "account-nonprod": "nonprod",
        "account-prod": "prod",
        "dev": "nonprod",
        "staging": "nonprod",
        "prod": "prod",
    }


# --- against the emulator ----------------------------------------------------


@pytest.fixture
def emulated(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path)
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def _as_account(project: Path, tools: E2E, account_id: str, *args: str) -> subprocess.CompletedProcess[str]:
    """tfgen without --sandbox, its AWS being the emulator, with credentials of `account_id`."""
    running = sandbox.start(project / ".tfgen")
    env = running.account_env(account_id, "us-east-1") | _env(tools)
    return subprocess.run(
        [sys.executable, "-m", "tfgen", *args], cwd=project, env=env,
        capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )


@pytest.mark.e2e
def test_prod_with_nonprods_credentials_is_refused_before_terraform_runs(emulated: Path, e2e_tools: E2E) -> None:
    refused = _as_account(emulated, e2e_tools, "111111111111", "plan", "prod")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert (
        "the AWS credentials act in account 111111111111 (the inventory's 'nonprod') as"
        " arn:aws:sts::111111111111:assumed-role/" in refused.stderr
    )
    assert "but 'prod' is pinned to account 'prod' (222222222222); terraform was not started" in refused.stderr
    assert "terraform init" not in refused.stdout
    assert not (emulated / ".tfgen" / "terraform" / "prod").exists()


@pytest.mark.e2e
def test_an_apply_with_another_accounts_credentials_is_refused(emulated: Path, e2e_tools: E2E) -> None:
    project = emulated
    planned = run_tfgen(project, "plan", "dev", "--sandbox", env=_env(e2e_tools))
    assert planned.returncode == 0, planned.output
    manifest_path = project / ".tfgen" / "plans" / "dev" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["account_id"] == "111111111111"
    # A plan made on the sandbox is refused on "AWS" before anyone is asked who the
    # credentials are: that needs no credentials at all.
    other = _as_account(project, e2e_tools, "222222222222", "apply", "dev", "--auto-approve")
    assert other.returncode == 1, other.stdout + other.stderr
    assert "was made for sandbox pid" in other.stderr and "not aws account 111111111111" in other.stderr
    # A plan made on AWS in nonprod, applied with prod's credentials: the account check.
    manifest_path.write_text(json.dumps(manifest | {"target_id": "aws account 111111111111"}))
    refused = _as_account(project, e2e_tools, "222222222222", "apply", "dev", "--auto-approve")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "act in account 222222222222 (the inventory's 'prod')" in refused.stderr
    assert "but 'dev' is pinned to account 'nonprod' (111111111111)" in refused.stderr


@pytest.mark.e2e
def test_each_account_of_the_sandbox_keeps_its_own_state(emulated: Path, e2e_tools: E2E) -> None:
    project = emulated
    boot = run_tfgen(project, "bootstrap", "--sandbox", env=_env(e2e_tools))
    assert boot.returncode == 0, boot.output
    running = sandbox.status(project / ".tfgen")
    assert running is not None
    nonprod = running.account_session("111111111111", "us-east-1").client("s3")
    prod = running.account_session("222222222222", "us-east-1").client("s3")
    assert [b["Name"] for b in nonprod.list_buckets()["Buckets"]] == ["clientnest-tfstate-use1-nonprod"]
    assert [b["Name"] for b in prod.list_buckets()["Buckets"]] == ["clientnest-tfstate-use1-prod"]
