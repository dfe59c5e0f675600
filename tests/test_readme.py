"""The README stays true: tfgen writes its tables, and `tfgen docs --check` finds none stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.inventory import load_inventory
from tfgen.project import Project
from tfgen.readme_tables import update_readme_tables

from .conftest import REPO


def test_readme_tables_are_current() -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    result = update_readme_tables(REPO / "README.md", inventory, Project(REPO), check=True)
    assert result.stale == (), "run `tfgen docs`"


def test_posture_table_lists_every_inventory_and_module_waiver() -> None:
    readme = (REPO / "README.md").read_text()
    table = readme.split("<!-- BEGIN tfgen docs: posture -->", 1)[1].split("<!-- END", 1)[0]
    for waiver in load_inventory(REPO / "inventory.yaml").waivers:
        assert f"| {waiver.check} | `{waiver.resource}` |" in table
    assert "| CKV_AWS_130 | `aws_subnet.public` | wherever the module is used | module network |" in table


def test_docs_check_fails_on_a_stale_table(project: Path) -> None:
    readme = project / "README.md"
    readme.write_text((REPO / "README.md").read_text())
    shutil.copytree(REPO / "docs", project / "docs")
    runner = CliRunner()
    assert runner.invoke(app, ["-i", str(project / "inventory.yaml"), "docs", "--check"]).exit_code == 0
    inventory = project / "inventory.yaml"
    inventory.write_text(inventory.read_text().replace("ClientNest serves customers worldwide", "We serve customers worldwide"))
    stale = runner.invoke(app, ["-i", str(inventory), "docs", "--check"])
    assert stale.exit_code == 1, stale.output
    assert "posture table" in stale.output
    assert runner.invoke(app, ["-i", str(inventory), "docs"]).exit_code == 0
    assert "We serve customers worldwide" in readme.read_text()


def test_quickstart_is_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "pip install -e . && tfgen plan dev --sandbox\npip install nox && nox -s tests\n" in readme
