"""The CLI as typed: exit codes, messages, and no tracebacks for user mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfgen import __version__
from tfgen.cli import app

runner = CliRunner()


def tfgen(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_version_and_help() -> None:
    code, out = tfgen("--version")
    assert (code, out.strip()) == (0, f"tfgen {__version__}")
    code, out = tfgen("-h")
    assert code == 0
    for command in (
        "validate",
        "generate",
        "plan",
        "apply",
        "destroy",
        "bootstrap",
        "sandbox",
        "scan",
    ):
        assert command in out


def test_validate_ok(project: Path) -> None:
    code, out = tfgen("-i", str(project / "inventory.yaml"), "validate")
    assert code == 0, out
    assert "ok (5 roots: account-nonprod, account-prod, dev, staging, prod)" in out


def test_validate_reports_every_problem_with_exit_2(project: Path) -> None:
    inventory = project / "inventory.yaml"
    inventory.write_text(
        inventory.read_text()
        .replace("cidr: 10.1.0.0/16", "cidr: 10.1.0.0/16\n      nat: yes")
        .replace("bucket: clientnest-tfstate-use1", "bucket: ClientNest_State")
    )
    code, out = tfgen("-i", str(inventory), "validate")
    assert code == 2
    assert "inventory has 2 problem(s)" in out
    assert f"{inventory}:11: state.bucket: 'ClientNest_State' is not a valid S3 bucket name" in out
    assert "environments.staging.network.nat: unknown key" in out


def test_missing_inventory_is_bad_input(tmp_path: Path) -> None:
    code, out = tfgen("-i", str(tmp_path / "nope.yaml"), "validate")
    assert code == 2
    assert "no such file" in out


def test_unknown_environment_is_bad_input(project: Path) -> None:
    code, out = tfgen("-i", str(project / "inventory.yaml"), "plan", "qa")
    assert code == 2
    assert "no root 'qa' (known: account-nonprod, account-prod, dev, staging, prod)" in out


def test_generate_then_check(project: Path) -> None:
    inventory = str(project / "inventory.yaml")
    code, out = tfgen("-i", inventory, "generate")
    assert code == 0, out
    # 6 .tf files per root, per environment a function zip and the data section's ETL zip
    # and job script, 7 workflows
    assert "46 written" in out
    code, out = tfgen("-i", inventory, "generate", "--check")
    assert code == 0, out
    (project / "envs" / "prod" / "main.tf").write_text("# edited by hand\n")
    code, out = tfgen("-i", inventory, "generate", "--check")
    assert code == 1
    assert "differs: envs/prod/main.tf" in out
    assert "1 generated file(s) differ" in out


@pytest.mark.parametrize("command", ["apply", "destroy"])
def test_apply_and_destroy_refuse_at_once_without_a_terminal(project: Path, command: str) -> None:
    code, out = tfgen("-i", str(project / "inventory.yaml"), command, "dev", "--sandbox")
    assert code == 2
    assert "pass --auto-approve" in out
    assert not (project / ".tfgen" / "sandbox.json").exists()  # refused before starting anything


def test_apply_without_a_saved_plan(project: Path) -> None:
    code, out = tfgen("-i", str(project / "inventory.yaml"), "apply", "dev", "--auto-approve")
    assert code == 1
    assert "no saved plan for 'dev'" in out
    assert "tfgen plan dev" in out


def test_bad_provider_mirror_is_bad_input(project: Path, tmp_path: Path) -> None:
    code, out = tfgen(
        "-i", str(project / "inventory.yaml"), "--provider-mirror", str(tmp_path), "generate"
    )
    assert code == 2
    assert "holds no registry.terraform.io folder" in out
