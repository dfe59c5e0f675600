"""Shared fixtures: the repo, a scratch project, and what end-to-end tests need.

End-to-end tests need the terraform CLI and the hashicorp/aws provider (from the
registry, or a mirror found here). Without them they skip, saying why, unless
TFGEN_REQUIRE_E2E=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from tfgen.sandbox import Sandbox
from tfgen.sandbox import start as sandbox_start
from tfgen.sandbox import stop as sandbox_stop
from tfgen.settings import resolve_mirror

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected from the current generator (review the diff!)",
    )


# The longest file (the whole platform applied once) goes first, so that with
# two workers (`-n 2 --dist loadfile`, as nox runs the suite) the rest runs beside it.
LONGEST_FIRST = ("test_platform_e2e.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def _find_mirror() -> Path | None:
    configured = os.environ.get("TFGEN_PROVIDER_MIRROR")
    if configured:
        return resolve_mirror(Path(configured))  # the root, whatever folder was given
    # Where unpacked mirrors usually live; a bounded search, no machine-specific path.
    roots = [
        Path.home() / ".terraform.d",
        Path("/opt"),
        Path("/usr/local/share"),
        Path("/usr/share"),
        Path("/srv"),
    ]
    for root in roots:
        if not root.is_dir():
            continue
        for found in _walk_for_aws(root, depth=4):
            return found
    return None


def _walk_for_aws(root: Path, depth: int) -> Iterator[Path]:
    candidate = root / "registry.terraform.io" / "hashicorp" / "aws"
    if candidate.is_dir():
        yield root
        return
    if depth == 0:
        return
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return
    for child in children:
        yield from _walk_for_aws(child, depth - 1)


@dataclass(frozen=True)
class E2E:
    """What end-to-end tests run with."""

    terraform: str
    mirror: Path | None


@pytest.fixture(scope="session")
def e2e_tools() -> E2E:
    terraform = shutil.which(os.environ.get("TFGEN_TERRAFORM", "terraform"))
    mirror = _find_mirror()
    reason = None
    if terraform is None:
        reason = "terraform CLI not found on PATH"
    elif mirror is None and not os.environ.get("TFGEN_ONLINE"):
        reason = (
            "no hashicorp/aws provider mirror found (set TFGEN_PROVIDER_MIRROR,"
            " or TFGEN_ONLINE=1 to use the public registry)"
        )
    if reason:
        if os.environ.get("TFGEN_REQUIRE_E2E") == "1":
            pytest.fail(f"end-to-end tests required (TFGEN_REQUIRE_E2E=1) but {reason}")
        pytest.skip(reason)
    assert terraform is not None
    return E2E(terraform=terraform, mirror=mirror)


def plain_terraform_env(tools: E2E, scratch: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for running plain `terraform` by hand, as an expert would."""
    env = dict(os.environ if base is None else base)
    env.update(TF_DATA_DIR=str(scratch / "tf-data"), TF_IN_AUTOMATION="1")
    if tools.mirror is not None:
        rc = scratch / "tf.rc"
        rc.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{tools.mirror}"\n  }}\n}}\n')
        env["TF_CLI_CONFIG_FILE"] = str(rc)
    return env


def network_only_inventory() -> str:
    """The repo's inventory with only its networks: the fast slice for CLI mechanics.

    Every other section goes, the account baselines' too (their roots plan nothing),
    but prod's DR region: production requires one, and with no data to copy there
    it adds nothing to the root.
    """
    from tfgen.section import every_section

    data = yaml.safe_load((REPO / "inventory.yaml").read_text())
    for section in every_section():
        if section.key in ("network", "dr"):
            continue
        for block in (data["defaults"], data.get("account_defaults", {}), *data["environments"].values(),
                      *(a or {} for a in data.get("accounts", {}).values())):
            block.pop(section.key, None)
    data.pop("ci", None)  # its roles come from the account baselines
    return yaml.safe_dump(data, sort_keys=False)


def make_project(tmp: Path, inventory_text: str | None = None) -> Path:
    """A scratch tfgen project: the repo's modules and templates, an inventory."""
    shutil.copytree(REPO / "modules", tmp / "modules")
    shutil.copytree(REPO / "templates", tmp / "templates")
    shutil.copytree(REPO / "functions", tmp / "functions")
    shutil.copytree(REPO / "data", tmp / "data")  # the data section's job scripts and ETL code
    text = inventory_text if inventory_text is not None else (REPO / "inventory.yaml").read_text()
    (tmp / "inventory.yaml").write_text(text)
    return tmp


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def explain_failure(project: Path, args: tuple[str, ...], result: CLIResult, chars: int = 6000) -> str:
    """What a failed end-to-end call printed, and what the emulator logged last."""
    log = project / ".tfgen" / "sandbox.log"
    emulator = "\n".join(log.read_text(errors="replace").splitlines()[-40:]) if log.is_file() else "(no log)"
    return f"tfgen {' '.join(args)}:\n{result.output[-chars:]}\n--- emulator log, last lines ---\n{emulator}"


def root_session(project: Path, root: str) -> Any:
    """A boto3 session on the project's sandbox, acting in the root's account, in its region."""
    from tfgen import sandbox
    from tfgen.inventory import load_inventory

    found = load_inventory(project / "inventory.yaml").root(root)
    running = sandbox.status(project / ".tfgen")
    assert running is not None, "the sandbox is not running"
    if found.account is None:
        return running.boto3_session(found.region)
    return running.account_session(found.account.id, found.region)


def state_backend(project: Path, root: str) -> Any:
    """Where the root's state lives (its account's bucket and lock table)."""
    from tfgen.inventory import load_inventory

    return load_inventory(project / "inventory.yaml").backend(root)


@dataclass(frozen=True)
class CLIResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_tfgen(
    project: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 900,
    check: bool = False,
) -> CLIResult:
    """Run the real `tfgen` command (a subprocess, as a user types it)."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("TFGEN_TIMEOUT", "600")
    completed = subprocess.run(
        [sys.executable, "-m", "tfgen", *args],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    result = CLIResult(completed.returncode, completed.stdout, completed.stderr)
    if check:
        assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A running sandbox server (moto with tfgen's extensions), one per test module."""
    state_dir = tmp_path_factory.mktemp("emulator") / ".tfgen"
    running = sandbox_start(state_dir)
    yield running
    sandbox_stop(state_dir)


@pytest.fixture(scope="module")
def aws(emulator: Sandbox) -> boto3.Session:
    """A boto3 session on the module's sandbox server, in its default account."""
    return emulator.boto3_session("us-east-1")
