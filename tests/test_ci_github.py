"""`tfgen ci github`: the workflows follow the inventory, pass zizmor and GitHub's schema.

The workflows are written for a scratch copy of the repository's inventory and
checked as GitHub would read them (the vendored workflow schema), by zizmor
(offline, pedantic), and against `tfgen list --json`: one job per root with the
DAG as `needs:`, each role assumed by a job of the environment it trusts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tfgen.ci_github import PINS, WORKFLOWS_DIR, expected_workflows, to_yaml
from tfgen.cli import app
from tfgen.generate import GENERATED_MARK
from tfgen.inventory import load_inventory

from .conftest import REPO, make_project

ROLE = re.compile(r"arn:aws:iam::(\d{12}):role/tfgen-(.+)-(plan|apply|deploy-[a-z0-9-]+)")
USES = re.compile(r"^\s*(?:- )?uses: (\S+)@(\S+) # (v\d+\S*)$")
WORKFLOW_NAMES = {
    "tfgen-plan.yml",
    "tfgen-apply.yml",
    "tfgen-drift.yml",
    "deploy-service-api.yml",
    "deploy-service-ai.yml",
    "deploy-frontend.yml",
    "deploy-functions.yml",
}

runner = CliRunner()


def tfgen(project: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["-i", str(project / "inventory.yaml"), *args])
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the repository's project, with `tfgen ci github` run in it."""
    project = make_project(tmp_path_factory.mktemp("ci"))
    code, out = tfgen(project, "ci", "github")
    assert code == 0, out
    return project


def workflows(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / WORKFLOWS_DIR
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(folder.glob("*.yml"))}


def tool(name: str) -> str:
    """An executable installed with the test extra, beside this Python or on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_the_workflows_asked_for_are_written(written: Path) -> None:
    assert set(workflows(written)) == WORKFLOW_NAMES
    for path in (written / WORKFLOWS_DIR).glob("*.yml"):
        assert path.read_text().startswith(GENERATED_MARK)


def test_zizmor_finds_nothing(written: Path) -> None:
    files = sorted(str(p) for p in (written / WORKFLOWS_DIR).glob("*.yml"))
    # Offline: no audit that needs GitHub's API runs, and none is skipped quietly
    # by a configuration file or an ignore comment. Pedantic: code smells count too.
    completed = subprocess.run(
        [tool("zizmor"), "--offline", "--no-config", "--no-ignores", "--pedantic", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(completed.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=2)[:4000]
    assert completed.returncode == 0, completed.stderr


def test_github_workflow_schema_accepts_them(written: Path) -> None:
    files = sorted(str(p) for p in (written / WORKFLOWS_DIR).glob("*.yml"))
    completed = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ok -- validation done" in completed.stdout


def test_jobs_follow_the_dag_of_tfgen_list(written: Path) -> None:
    code, out = tfgen(written, "list", "--json")
    assert code == 0, out
    roots = json.loads(out)
    jobs = {name: data["jobs"] for name, data in workflows(written).items()}
    plan, apply, drift = jobs["tfgen-plan.yml"], jobs["tfgen-apply.yml"], jobs["tfgen-drift.yml"]
    for root in roots:
        name, deps = root["name"], root["depends_on"]
        assert plan[f"plan-{name}"]["needs"] == ["check", *(f"plan-{d}" for d in deps)]
        assert apply[f"apply-{name}"].get("needs", []) == [f"apply-{d}" for d in deps]
        assert "needs" not in drift[f"drift-{name}"]
    names = [root["name"] for root in roots]
    assert set(plan) == {"check", "report", *(f"plan-{n}" for n in names)}
    assert plan["report"]["needs"] == ["check", *(f"plan-{n}" for n in names)]
    assert set(apply) == {f"apply-{n}" for n in names}
    assert drift["issues"]["needs"] == [f"drift-{n}" for n in names]
    # A job comes after those it needs, so the files read in the order they run.
    for file_jobs in jobs.values():
        order = list(file_jobs)
        for job, data in file_jobs.items():
            for need in data.get("needs", []):
                assert order.index(need) < order.index(job)


def test_every_role_is_assumed_by_a_job_of_its_environment(written: Path) -> None:
    code, out = tfgen(written, "list", "--json")
    assert code == 0, out
    accounts = {root["name"]: root["account_id"] for root in json.loads(out)}
    assumed = set()
    for file, data in workflows(written).items():
        for job_id, job in data["jobs"].items():
            roles = [
                step["with"]["role-to-assume"]
                for step in job["steps"]
                if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
            ]
            permissions = job["permissions"]
            if not roles:
                assert "id-token" not in permissions, (file, job_id)
                assert "environment" not in job, (file, job_id)
                continue
            [role] = roles
            match = ROLE.fullmatch(role)
            assert match, role
            account, root, kind = match.groups()
            # Plan roles trust "<root>-plan" (no reviewers), apply and deploy roles "<root>".
            expected = f"{root}-plan" if kind == "plan" else root
            assert job["environment"] == expected, (file, job_id)
            assert accounts[root] == account, (file, job_id)
            assert permissions["id-token"] == "write", (file, job_id)
            step = next(s for s in job["steps"] if s.get("with", {}).get("role-to-assume") == role)
            assert step["with"]["allowed-account-ids"] == account
            assumed.add((root, kind))
    every_root = {(root, kind) for root in accounts for kind in ("plan", "apply")}
    assert every_root <= assumed
    for env in ("dev", "staging", "prod"):
        for target in ("api", "ai", "frontend"):
            assert (env, f"deploy-{target}") in assumed


def test_every_action_is_pinned_to_a_commit(written: Path) -> None:
    for pin in PINS.values():
        assert re.fullmatch(r"[0-9a-f]{40}", pin.sha), pin
    used = set()
    for path in (written / WORKFLOWS_DIR).glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" not in line:
                continue
            match = USES.match(line)
            assert match, f"{path.name}: {line}"
            action, ref, tag = match.groups()
            assert re.fullmatch(r"[0-9a-f]{40}", ref), line
            assert (PINS[action].sha, PINS[action].tag) == (ref, tag)
            used.add(action)
    assert used == set(PINS), "every pin is used, and only those"


def test_least_privilege_and_no_untrusted_input_in_scripts(written: Path) -> None:
    writers = {}
    for file, data in workflows(written).items():
        assert data["permissions"] == {}, file
        assert "pull_request_target" not in data[True]  # PyYAML reads `on` as true
        for job_id, job in data["jobs"].items():
            for permission, level in job["permissions"].items():
                if level == "write" and permission != "id-token":
                    writers.setdefault(permission, []).append(f"{file}:{job_id}")
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), (file, job_id, step)
                assert "${{" not in step.get("with", {}).get("script", ""), (file, job_id)
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
    assert writers == {
        "pull-requests": ["tfgen-plan.yml:report"],
        "security-events": ["tfgen-plan.yml:report"],
        "issues": ["tfgen-drift.yml:issues"],
    }


def test_pull_requests_plan_and_report_once(written: Path) -> None:
    plan = workflows(written)["tfgen-plan.yml"]
    assert plan["concurrency"] == {
        "group": "tfgen-plan-${{ github.event.pull_request.number }}",
        "cancel-in-progress": True,
    }
    check = [step.get("run") for step in plan["jobs"]["check"]["steps"]]
    assert check[-3:] == ["tfgen generate --check", "tfgen validate", "tfgen docs --check"]
    dev = plan["jobs"]["plan-dev"]
    assert [s["run"] for s in dev["steps"] if s.get("name") == "Plan dev"] == ["tfgen plan dev"]
    upload = next(s for s in dev["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "${{ !cancelled() }}"  # also when the plan failed
    assert upload["with"]["path"] == ".tfgen/plans/dev/"
    report = plan["jobs"]["report"]
    text = json.dumps(report)
    assert "tfgen report --all" in text and "$GITHUB_STEP_SUMMARY" in text
    assert "github/codeql-action/upload-sarif@" in text
    script = next(s for s in report["steps"] if "script" in s.get("with", {}))["with"]["script"]
    assert "<!-- tfgen-plan-report -->" in script and "65536" in script
    assert "updateComment" in script and "createComment" in script


def test_merges_apply_each_root_once_at_a_time(written: Path) -> None:
    apply = workflows(written)["tfgen-apply.yml"]
    assert apply[True]["push"]["branches"] == ["main"]
    for job_id, job in apply["jobs"].items():
        root = job_id.removeprefix("apply-")
        assert job["concurrency"] == {"group": f"tfgen-apply-{root}", "cancel-in-progress": False}
        runs = [s["run"] for s in job["steps"] if "run" in s]
        assert runs[1:3] == [f"tfgen plan {root}", f"tfgen apply {root} --auto-approve"]
    text = (written / WORKFLOWS_DIR / "tfgen-apply.yml").read_text()
    for reviewed in ("prod", "account-prod"):
        assert f"# '{reviewed}' is reviewed (ci.github.reviewed)" in text


def test_drift_opens_one_issue_per_root(written: Path) -> None:
    drift = workflows(written)["tfgen-drift.yml"]
    assert set(drift[True]) == {"schedule", "workflow_dispatch"}
    dev = drift["jobs"]["drift-dev"]
    script = next(s for s in dev["steps"] if s.get("id") == "drift")["run"]
    assert "tfgen drift dev || status=$?" in script
    issues = drift["jobs"]["issues"]["steps"][-1]["with"]["script"]
    for call in ("issues.create(", "issues.update(", "state: 'closed'", "tfgen-drift"):
        assert call in issues


def test_team_pipelines_deploy_each_environment_in_turn(written: Path) -> None:
    files = workflows(written)
    api = files["deploy-service-api.yml"]
    assert api[True]["push"]["paths"] == [
        "services/api/**",
        ".github/workflows/deploy-service-api.yml",
    ]
    assert api["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert [job.get("needs") for job in api["jobs"].values()] == [
        None,
        ["build"],
        ["deploy-dev"],
        ["deploy-staging"],
    ]
    prod = api["jobs"]["deploy-prod"]
    deploy = prod["steps"][-1]
    assert deploy["with"] == {
        "task-definition": "${{ steps.render.outputs.task-definition }}",
        "cluster": "clientnest-prod",
        "service": "api",
        "wait-for-service-stability": True,
    }
    frontend = json.dumps(files["deploy-frontend.yml"]["jobs"]["deploy-prod"])
    assert "clientnest-prod-web" in frontend and "app.clientnest.app" in frontend
    functions = files["deploy-functions.yml"]
    assert functions[True]["push"]["paths"][0] == "functions/webhooks/**"
    assert functions["jobs"]["apply-prod"]["concurrency"]["group"] == "tfgen-apply-prod"
    # The zips of functions are applied by their own pipeline, not twice; the data
    # section's job scripts and ETL zip (artifacts/data/) by this one.
    assert "!envs/*/artifacts/*.zip" in files["tfgen-apply.yml"][True]["push"]["paths"]


def test_deploy_names_are_those_the_modules_give() -> None:
    service = (REPO / "modules" / "service" / "main.tf").read_text()
    assert 'name                 = "${var.name}-${each.key}"' in service  # ECR repository
    assert 'family                   = "${var.name}-${each.key}"' in service
    assert "name             = each.key" in service  # ECS service
    assert "name                   = each.key" in service  # container
    frontend = (REPO / "modules" / "frontend" / "main.tf").read_text()
    assert 'bucket_name = "${var.name}-web"' in frontend
    assert "aliases             = [var.domain_name]" in frontend


def test_generate_check_fails_on_a_hand_edited_workflow(project: Path) -> None:
    code, out = tfgen(project, "generate")
    assert code == 0, out
    assert "wrote .github/workflows/tfgen-plan.yml" in out
    assert tfgen(project, "generate", "--check")[0] == 0
    folder = project / WORKFLOWS_DIR
    edited = folder / "tfgen-plan.yml"
    edited.write_text(edited.read_text().replace("tfgen plan dev", "tfgen plan dev || true"))
    stale = folder / "deploy-service-gone.yml"
    stale.write_text(f"{GENERATED_MARK} once, for a service since removed\n")
    own = folder / "lint.yml"
    own.write_text("name: lint\n")  # a team's own workflow: not tfgen's to judge
    code, out = tfgen(project, "generate", "--check")
    assert code == 1
    assert "differs: .github/workflows/tfgen-plan.yml" in out
    assert "differs: .github/workflows/deploy-service-gone.yml" in out
    assert "lint.yml" not in out
    assert "2 generated file(s) differ" in out
    code, out = tfgen(project, "generate")
    assert code == 0, out
    assert tfgen(project, "generate", "--check")[0] == 0
    assert not stale.exists() and own.read_text() == "name: lint\n"
    code, out = tfgen(project, "ci", "github", "--check")
    assert code == 0 and "up to date: 7 file(s)" in out


def test_generating_some_roots_leaves_the_workflows_alone(project: Path) -> None:
    code, out = tfgen(project, "generate", "dev")
    assert code == 0, out
    assert not (project / WORKFLOWS_DIR).exists()


NO_CI = """\
project: shop
state: {bucket: shop-tfstate, lock_table: shop-lock, region: eu-west-1}
accounts:
  live: {id: "222222222222"}
account_defaults: {region: eu-west-1}
defaults:
  region: eu-west-1
  network:
    cidr: 10.0.0.0/16
    public_subnets: [10.0.1.0/24, 10.0.2.0/24]
    private_subnets: [10.0.11.0/24, 10.0.12.0/24]
environments:
  prod: {account: live}
"""
CI = "ci: {github: {repository: shop/platform}}\n"


def test_refused_without_ci_github(tmp_path: Path) -> None:
    project = make_project(tmp_path, NO_CI)
    code, out = tfgen(project, "ci", "github")
    assert code == 2
    assert "no `ci.github` in the inventory" in out
    assert not (project / ".github").exists()


def test_refused_without_accounts(tmp_path: Path) -> None:
    text = NO_CI.replace('accounts:\n  live: {id: "222222222222"}\n', "").replace(
        "account_defaults: {region: eu-west-1}\n", ""
    )
    project = make_project(tmp_path, text.replace("{account: live}", "{}") + CI)
    code, out = tfgen(project, "ci", "github")
    assert code == 2
    assert "`ci.github` needs `accounts`" in out
    assert tfgen(project, "generate")[0] == 2  # the inventory asks for what cannot be
    assert not (project / ".github").exists()


def test_a_small_inventory_gets_only_the_root_workflows(tmp_path: Path) -> None:
    project = make_project(tmp_path, NO_CI + CI)
    code, out = tfgen(project, "ci", "github")
    assert code == 0, out
    files = workflows(project)
    assert set(files) == {"tfgen-plan.yml", "tfgen-apply.yml", "tfgen-drift.yml"}
    job = files["tfgen-apply.yml"]["jobs"]["apply-prod"]
    assert job["needs"] == ["apply-account-live"]
    assert "!envs/*/artifacts/*.zip" not in files["tfgen-apply.yml"][True]["push"]["paths"]


def test_committed_workflows_match_the_inventory() -> None:
    """.github/workflows/ in the repo is what the inventory yields (the CI's --check)."""
    expected = expected_workflows(load_inventory(REPO / "inventory.yaml"))
    folder = REPO / WORKFLOWS_DIR
    for name, text in expected.items():
        assert (folder / name).read_text() == text, f"run `tfgen ci github`: {name}"


# The emitter: whatever it writes reads back as the data it was given.

_key = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True).filter(lambda k: k != "on")
_char = st.one_of(st.characters(codec="utf-8"), st.sampled_from(" \t\n:#'\"-*&!|>{}[],%@`"))
_text = st.text(alphabet=_char, max_size=40)
_scalar = st.one_of(_text, st.booleans(), st.integers(-1000, 10**6))
_data = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_key, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_key, _data, min_size=1, max_size=5))
def test_yaml_reads_back_as_written(data: dict[str, Any]) -> None:
    assert yaml.safe_load(to_yaml(data, ["a header"])) == data


@pytest.mark.parametrize(
    "value",
    ["true", "on", "1.10", "012", "a: b", "a #b", "*star", "!bang", "'q'", '"d"', "- x", "",
     " pad", "x:", "{a}", "[a]", "@at", "%p", "~", "null", "3.12", "2e3", "0x1F",
     "line\n", "two\nlines", "keep\n\n", "tab\there", "\n", " \nx", "\x85", "\u2028", "é\x00"],
)
def test_tricky_strings_read_back(value: str) -> None:
    assert yaml.safe_load(to_yaml({"k": value, "l": [value], "m": {"n": value}})) == {
        "k": value, "l": [value], "m": {"n": value},
    }
