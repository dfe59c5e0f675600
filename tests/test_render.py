"""One `terraform fmt` for every generated file gives each file what fmt gives it alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tfgen.compose import compose_root
from tfgen.errors import RunError
from tfgen.inventory import load_inventory
from tfgen.project import Project
from tfgen.render import ROOT_FILES, _jinja, render_roots

from .conftest import REPO, make_project

GOLDEN = REPO / "tests" / "golden"
INVENTORIES = [REPO / "inventory.yaml", *sorted(GOLDEN.glob("*/inventory.yaml"))]

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform fmt needed")


def _alone(text: str) -> str:
    done = subprocess.run(
        ["terraform", "fmt", "-no-color", "-"],
        input=text, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.mark.parametrize("inventory_path", INVENTORIES, ids=lambda p: p.parent.name)
def test_each_file_is_what_fmt_makes_of_it_alone(inventory_path: Path) -> None:
    inventory = load_inventory(inventory_path)
    specs = [compose_root(inventory, root.name, Project(REPO)) for root in inventory.roots()]
    rendered = render_roots(specs, REPO / "templates", "terraform")
    templates = _jinja(REPO / "templates")
    checked = 0
    for spec in specs:
        for name in ROOT_FILES:
            raw = templates.get_template(f"{name}.jinja").render(spec=spec)
            assert rendered[spec.env][name] == _alone(raw), f"{spec.env}/{name}"
            checked += 1
    assert checked == len(specs) * len(ROOT_FILES)


def test_misaligned_text_is_aligned_as_fmt_aligns_it(tmp_path: Path) -> None:
    # A template whose lines fmt must align, next to one it must leave alone:
    # the marker between files stops alignment runs from crossing over.
    project = make_project(tmp_path)
    (project / "templates" / "outputs.tf.jinja").write_text(
        'locals {\n  a = 1\n  long_name = 2\n}\n'
    )
    (project / "templates" / "main.tf.jinja").write_text('locals {\n  b    = 1\n}\n')
    inventory = load_inventory(project / "inventory.yaml")
    spec = compose_root(inventory, "dev", Project(project))
    files = render_roots([spec], project / "templates", "terraform")["dev"]
    assert files["outputs.tf"] == 'locals {\n  a         = 1\n  long_name = 2\n}\n'
    assert files["main.tf"] == 'locals {\n  b = 1\n}\n'


def test_a_template_bug_names_the_root_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "templates" / "outputs.tf.jinja").write_text('# fine\n\nlocals {\n  a = \n}\n')
    inventory = load_inventory(project / "inventory.yaml")
    specs = [compose_root(inventory, name, Project(project)) for name in ("dev", "prod")]
    with pytest.raises(RunError, match=r"template bug\) in envs/dev/outputs.tf line 4"):
        render_roots(specs, project / "templates", "terraform")
