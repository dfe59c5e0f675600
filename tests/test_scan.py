"""checkov, run for real on real plans (see tests/data/README.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tfgen.checkov_tool import CHECKOV_VERSION, ENV_CHECKOV, find_checkov, scan_env
from tfgen.errors import RunError
from tfgen.scan import PlanScan, ScanResult, _python_of, checkov_view, load_scan_result, run_checkov

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def checkov() -> Path:
    # Shared across runs and sessions: the first one installs (about a minute).
    cache_dir = Path(os.environ.get("TFGEN_CACHE_DIR", Path.home() / ".cache" / "tfgen"))
    return find_checkov(cache_dir, on_install=print)


def _copy_plan(name: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(DATA / name, dest / "plan.json"))


@pytest.fixture(scope="module")
def scanned(checkov: Path, tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    bundle = tmp_path_factory.mktemp("bundle")
    return run_checkov(checkov, _copy_plan("plan-scan.json", bundle), bundle / "scan")


def test_the_json_report_is_kept_and_nothing_else(scanned: ScanResult) -> None:
    files = scanned.report_files
    assert {k: p.name for k, p in files.items()} == {"json": "checkov.json"}
    assert json.loads(files["json"].read_text())["summary"]["checkov_version"] == CHECKOV_VERSION
    assert scanned.checkov_version == CHECKOV_VERSION
    # checkov's scratch folder (its copy of the plan, its home) is gone.
    assert [p.name for p in files["json"].parent.iterdir()] == ["checkov.json"]


# Each way a setting outside tfgen could skip or filter a check, and so open the
# gate. The plan fails CKV_AWS_24 (SSH open to the world); it must still fail.
CHECKOV_CONFIG = "skip-check:\n  - CKV_AWS_24\n"


def _still_fails_ssh(checkov: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    result = run_checkov(checkov, _copy_plan("plan-scan.json", bundle), bundle / "scan")
    assert "CKV_AWS_24" in {f.check_id for f in result.failed}
    assert result.skipped == []


@pytest.mark.parametrize(
    "variable, value",
    [
        ("CKV_SKIP_CHECK", "CKV_AWS_24"),
        ("CKV_CHECK", "CKV_AWS_1"),
        ("CKV_FRAMEWORK", "kubernetes"),
        ("CKV_SKIP_FRAMEWORK", "terraform_plan"),
        ("CHECKOV_CHECK_FAIL_LEVEL", "CRITICAL"),
        ("BC_API_KEY", "not-a-key"),
    ],
)
def test_checkov_settings_in_the_environment_are_ignored(
    variable: str, value: str, checkov: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    _still_fails_ssh(checkov, tmp_path)


@pytest.mark.parametrize("name", [".checkov.yaml", ".checkov.yml"])
def test_a_checkov_config_in_the_working_folder_is_ignored(
    name: str, checkov: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / name).write_text(CHECKOV_CONFIG)
    # Also beside the plan and its reports: tfgen's bundle folder.
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / name).write_text(CHECKOV_CONFIG)
    monkeypatch.chdir(cwd)
    _still_fails_ssh(checkov, tmp_path)


@pytest.mark.parametrize("name", [".checkov.yaml", ".checkov.yml"])
def test_a_checkov_config_in_the_home_folder_is_ignored(
    name: str, checkov: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / name).write_text(CHECKOV_CONFIG)
    monkeypatch.setenv("HOME", str(home))
    _still_fails_ssh(checkov, tmp_path)


def test_open_ssh_fails_on_the_module_address(scanned: ScanResult) -> None:
    ssh = [f for f in scanned.failed if f.check_id == "CKV_AWS_24"]
    assert [f.resource for f in ssh] == ["module.web.aws_security_group.ssh"]
    assert ssh[0].check_name.startswith("Ensure no security groups allow ingress from 0.0.0.0:0")


def test_findings_carry_the_plans_addresses(scanned: ScanResult) -> None:
    plan = json.loads((DATA / "plan-scan.json").read_text())
    planned = {rc["address"] for rc in plan["resource_changes"]}
    scanned_addresses = {f.resource for f in scanned.passed + scanned.failed}
    # The provider check reports the provider config, not a resource.
    assert scanned_addresses - planned == {"aws.default"}
    assert planned <= scanned_addresses
    assert {
        "module.web.aws_s3_bucket.logs[0]",
        "module.web.aws_s3_bucket.logs[1]",
        'module.web.aws_cloudwatch_log_group.app["api"]',
    } <= {f.resource for f in scanned.failed}


def test_load_scan_result_reads_back_the_same(scanned: ScanResult) -> None:
    assert load_scan_result(scanned.report_files["json"].parent) == scanned


def test_load_scan_result_accepts_one_report_per_framework(
    scanned: ScanResult, tmp_path: Path
) -> None:
    report = json.loads(scanned.report_files["json"].read_text())
    empty = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0}
    (tmp_path / "checkov.json").write_text(json.dumps([report, empty]))
    loaded = load_scan_result(tmp_path)
    assert (loaded.passed, loaded.failed, loaded.skipped) == (
        scanned.passed,
        scanned.failed,
        scanned.skipped,
    )
    assert loaded.report_files == {"json": tmp_path / "checkov.json"}
    assert loaded.checkov_version == CHECKOV_VERSION


def test_load_scan_result_without_a_scan(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="no checkov results"):
        load_scan_result(tmp_path)


def test_plan_without_resources(checkov: Path, tmp_path: Path) -> None:
    result = run_checkov(checkov, _copy_plan("plan-empty.json", tmp_path), tmp_path / "scan")
    assert (result.passed, result.failed, result.skipped) == ([], [], [])
    # checkov's JSON is a bare summary here, not its usual report.
    assert "results" not in json.loads(result.report_files["json"].read_text())
    assert load_scan_result(tmp_path / "scan") == result


def test_unparseable_plan_is_an_error_not_a_clean_scan(checkov: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text((DATA / "plan-scan.json").read_text()[:500])
    out_dir = tmp_path / "scan"
    out_dir.mkdir()
    (out_dir / "checkov.json").write_text('{"stale": "from the last run"}')
    with pytest.raises(RunError, match="could not parse"):
        run_checkov(checkov, plan, out_dir)
    assert list(out_dir.iterdir()) == []


def test_timeout_is_a_run_error(checkov: Path, tmp_path: Path) -> None:
    plan = _copy_plan("plan-scan.json", tmp_path)
    with pytest.raises(RunError, match="did not finish"):
        run_checkov(checkov, plan, tmp_path / "scan", timeout_s=0.01)


def test_missing_plan_is_a_run_error(checkov: Path, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="does not exist"):
        run_checkov(checkov, tmp_path / "plan.json", tmp_path / "scan")


def test_tfgen_checkov_pointing_at_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_CHECKOV, str(tmp_path / "no-such-checkov"))
    with pytest.raises(RunError, match="names no executable file") as excinfo:
        find_checkov(tmp_path / "cache")
    assert excinfo.value.hint is not None
    assert not (tmp_path / "cache").exists()


def test_tfgen_checkov_is_used_as_given(monkeypatch: pytest.MonkeyPatch, checkov: Path) -> None:
    monkeypatch.setenv(ENV_CHECKOV, str(checkov))
    assert find_checkov(Path("/nonexistent")) == checkov


def test_a_complete_install_is_reused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_CHECKOV, raising=False)
    venv = tmp_path / f"checkov-{CHECKOV_VERSION}"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "bin" / "checkov").write_text("")
    (venv / ".tfgen-complete").write_text(CHECKOV_VERSION)
    messages: list[str] = []
    assert find_checkov(tmp_path, on_install=messages.append) == venv / "bin" / "checkov"
    assert messages == []


def test_failed_install_leaves_nothing_and_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_CHECKOV, raising=False)
    # A pip that may use no index and no config: the offline case, quickly.
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    interrupted = tmp_path / f"checkov-{CHECKOV_VERSION}"
    interrupted.mkdir()
    (interrupted / "half-installed").write_text("")
    messages: list[str] = []
    with pytest.raises(RunError, match=f"pip install checkov=={CHECKOV_VERSION} failed") as exc:
        find_checkov(tmp_path, on_install=messages.append)
    assert "No matching distribution" in exc.value.message
    assert exc.value.hint is not None and ENV_CHECKOV in exc.value.hint
    assert not interrupted.exists()
    assert len(messages) == 1 and "installing checkov" in messages[0]


# -- checkov started early (the worker) --------------------------------------


def _outcomes(result: ScanResult) -> dict[str, set[tuple[str, str]]]:
    return {
        name: {(f.check_id, f.resource) for f in findings}
        for name, findings in (
            ("passed", result.passed),
            ("failed", result.failed),
            ("skipped", result.skipped),
        )
    }


def test_the_early_started_checkov_finds_what_the_checkov_command_finds(
    checkov: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _python_of(checkov) is not None  # tfgen's own install is a Python script
    with PlanScan(checkov, tmp_path / "early") as early:
        assert early.process is not None  # started before there is a plan
        warm = early.run(_copy_plan("plan-scan.json", tmp_path / "a"))
    assert set(early.timing) == {"import_s", "scan_s", "wait_s"}
    monkeypatch.setattr("tfgen.scan._python_of", lambda _: None)
    with PlanScan(checkov, tmp_path / "plain") as plain:
        assert plain.process is None  # the checkov command runs at `run`
        cold = plain.run(_copy_plan("plan-scan.json", tmp_path / "b"))
    assert _outcomes(warm) == _outcomes(cold)
    assert len(warm.failed) > 5
    assert warm.checkov_version == cold.checkov_version == CHECKOV_VERSION


def test_a_scan_left_without_a_plan_stops_and_leaves_nothing(checkov: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "bundle"
    with PlanScan(checkov, out_dir) as scan:
        process = scan.process
        assert process is not None and process.poll() is None
    assert process.poll() is not None
    assert list(out_dir.iterdir()) == []


def test_a_checkov_that_cannot_import_is_a_run_error(tmp_path: Path) -> None:
    # A console script in the style of checkov's, on an interpreter without checkov.
    fake = tmp_path / "checkov"
    fake.write_text(f"#!{sys.executable}\nfrom checkov.main import Checkov\n")
    fake.chmod(0o755)
    assert _python_of(fake) == sys.executable
    with PlanScan(fake, tmp_path / "bundle") as scan, pytest.raises(RunError) as excinfo:
        scan.run(_copy_plan("plan-scan.json", tmp_path / "plan"))
    assert "checkov failed on the plan (exit code 1)" in excinfo.value.message
    assert "No module named 'checkov'" in excinfo.value.message


@pytest.mark.parametrize(
    "text",
    ["#!/bin/sh\nexec checkov.main \"$@\"\n", "#!/usr/bin/env python3\nimport checkov.main\n", ""],
)
def test_other_checkovs_run_as_commands(text: str, tmp_path: Path) -> None:
    fake = tmp_path / "checkov"
    fake.write_text(text)
    assert _python_of(fake) is None


def test_checkov_finds_in_its_view_of_the_plan_what_it_finds_in_the_whole_plan(
    checkov: Path, tmp_path: Path
) -> None:
    # tfgen hands checkov only the parts of the plan its parser reads; checkov run
    # by hand on the whole plan (an update and a prior state included) must agree.
    plan = json.loads((DATA / "plan-scan.json").read_text())
    change = plan["resource_changes"][0]["change"]
    before = {**change["after"], "tags": {"Previous": "tag"}}
    change.update(actions=["update"], before=before, after_unknown={}, before_sensitive={}, after_sensitive={})
    plan["prior_state"] = {"format_version": "1.0", "values": {"root_module": {}}}
    whole = tmp_path / "whole" / "plan.json"
    whole.parent.mkdir()
    whole.write_text(json.dumps(plan))

    view = json.loads(checkov_view(whole.read_text()))
    assert "prior_state" not in view and "relevant_attributes" not in view
    assert set(view["resource_changes"][0]["change"]) == {"actions", "before", "after", "after_unknown"}
    assert view["planned_values"] == plan["planned_values"] and view["configuration"] == plan["configuration"]

    scanned = run_checkov(checkov, whole, tmp_path / "scan")
    by_hand = subprocess.run(
        [str(checkov), "--file", "plan.json", "--framework", "terraform_plan", "--output", "json",
         "--soft-fail", "--skip-download", "--compact"],
        cwd=whole.parent, env=scan_env(tmp_path / "home"), capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(by_hand.stdout)
    found = {
        name: {(c["check_id"], c["resource"]) for c in report["results"][f"{name}_checks"]}
        for name in ("passed", "failed", "skipped")
    }
    assert _outcomes(scanned) == found
    assert len(scanned.failed) > 5


def test_a_plan_that_is_not_a_json_object_reaches_checkov_as_it_is() -> None:
    assert checkov_view("not json") == "not json"
    assert checkov_view("[1, 2]") == "[1, 2]"
