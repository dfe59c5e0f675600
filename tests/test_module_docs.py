from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tfgen.cli import app
from tfgen.module_docs import update_readme

from .conftest import REPO

runner = CliRunner()


def test_every_module_readme_matches_its_variables_and_outputs() -> None:
    modules = sorted(p.parent for p in (REPO / "modules").glob("*/variables.tf"))
    assert modules, "no modules found"
    stale = [m.name for m in modules if update_readme(m, check=True).changed]
    assert stale == [], f"run `tfgen docs`: out of date: {stale}"


def test_docs_check_fails_on_a_new_variable_and_docs_fixes_it(project: Path) -> None:
    variables = project / "modules" / "network" / "variables.tf"
    variables.write_text(
        variables.read_text()
        + '\nvariable "extra" {\n  description = "A \\"quoted\\" | piped thing."\n  type        = string\n  default     = "x"\n}\n'
    )
    inventory = str(project / "inventory.yaml")
    checked = runner.invoke(app, ["-i", inventory, "docs", "--check"])
    assert checked.exit_code == 1, checked.output
    assert "out of date" in checked.output
    fixed = runner.invoke(app, ["-i", inventory, "docs"])
    assert fixed.exit_code == 0, fixed.output
    readme = (project / "modules" / "network" / "README.md").read_text()
    assert '| extra | A "quoted" \\| piped thing. | `string` | `"x"` | no |' in readme
    assert runner.invoke(app, ["-i", inventory, "docs", "--check"]).exit_code == 0
