"""`terraform validate` on every generated environment, with the real AWS provider schema."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tfgen.generate import generate
from tfgen.inventory import load_inventory
from tfgen.project import Project

from .conftest import E2E, plain_terraform_env

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_generated_environment_validates(env: str, project: Path, e2e_tools: E2E, tmp_path: Path) -> None:
    generate(load_inventory(project / "inventory.yaml"), [env], Project(project), e2e_tools.terraform)
    run_env = plain_terraform_env(e2e_tools, tmp_path)
    env_dir = project / "envs" / env
    for args in (["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"]):
        done = subprocess.run(
            [e2e_tools.terraform, *args], cwd=env_dir, env=run_env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
