"""Sections as units: the registry, and no valid inventory generating a broken root.

For every subset of the optional sections with at most three sections in or at
most three out, either `tfgen validate` refuses the
inventory (exit 2, naming what is missing) or the root it generates is
reference-clean: every `module.X.Y` in it names a module block the root has and
an output that module's outputs.tf declares. This is checked on the rendered
text, independently of the composition's own check.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tfgen.compose import check_roots, compose_root
from tfgen.environment import Environment
from tfgen.errors import InventoryError
from tfgen.inventory import load_inventory
from tfgen.module_schema import load_module_schema
from tfgen.project import Project
from tfgen.render import _jinja
from tfgen.section import all_sections, every_section

from .conftest import E2E, REPO, make_project, plain_terraform_env

ORIGINAL: dict[str, Any] = yaml.safe_load((REPO / "inventory.yaml").read_text())
OPTIONAL = sorted(
    s.key for s in all_sections() if Environment.model_fields[s.key].default is None
)
MODULE_BLOCK = re.compile(r'^module "([^"]+)" \{\n  source = "([^"]+)"', re.MULTILINE)
REFERENCE = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)")


def subset_inventory(enabled: frozenset[str]) -> dict[str, Any]:
    """The repo's dev environment alone, with only the sections in `enabled`."""
    data = copy.deepcopy(ORIGINAL)
    data["environments"] = {"dev": data["environments"]["dev"]}
    # Environment sections only: the account baselines are tested on their own.
    for key in ("accounts", "account_defaults", "ci"):
        data.pop(key, None)
    data["environments"]["dev"].pop("account", None)
    for key in OPTIONAL:
        data["defaults"].pop(key, None)
        data["environments"]["dev"].pop(key, None)
        if key in enabled:
            # The defaults' part, else dev's, else the first environment's with one (gpu
            # is staging's and prod's only).
            part = next(
                block[key]
                for block in (ORIGINAL["defaults"], *ORIGINAL["environments"].values())
                if block.get(key)
            )
            data["environments"]["dev"][key] = copy.deepcopy(part)
    if "compute" in enabled:
        # The ai service asks for a GPU, as in staging: the gpu section's references are exercised.
        data["environments"]["dev"]["compute"]["services"]["ai"]["gpu"] = 1
    data["waivers"] = []
    data.pop("ci", None)  # it names roots (prod) this slice does not have
    return data


@cache
def outputs_of(source: str) -> frozenset[str]:
    return load_module_schema((REPO / "envs" / "dev" / source).resolve()).output_names


def broken_references(main_tf: str, outputs_tf: str) -> list[str]:
    modules = dict(MODULE_BLOCK.findall(main_tf))
    broken = []
    for module, output in REFERENCE.findall(main_tf + outputs_tf):
        if module not in modules:
            broken.append(f"module.{module} is not declared")
        elif output not in outputs_of(modules[module]):
            broken.append(f"module.{module}.{output} is not an output of {modules[module]}")
    return broken


@pytest.fixture(scope="module")
def subset_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("subsets"))


def test_optional_sections_are_every_section_but_those_always_present() -> None:
    # network is required; kms, dr and maintenance are always there with defaults
    # and make calls only when other sections (or a DR region) need them.
    assert set(OPTIONAL) == {s.key for s in all_sections()} - {"network", "kms", "dr", "maintenance"}
    assert len(OPTIONAL) == 16


def _subsets() -> list[frozenset[str]]:
    """Every subset of the optional sections with at most three in, or at most three out.

    A reference crosses from one section to another, sometimes only when a third is
    there too: these subsets meet each such case (the section alone or with what
    it references; everything but what it references) at a fraction of all 2^n.
    """
    small = [
        frozenset(c) for size in range(4) for c in itertools.combinations(OPTIONAL, size)
    ]
    return sorted({*small, *(frozenset(OPTIONAL) - s for s in small)}, key=sorted)


def test_every_subset_is_refused_or_generates_a_reference_clean_root(subset_project: Path) -> None:
    inventory_path = subset_project / "inventory.yaml"
    project = Project(subset_project)
    jinja = _jinja(project.templates_dir)
    accepted = refused = 0
    problems: list[str] = []
    for enabled in _subsets():
        # JSON is YAML, and much faster to write than yaml.safe_dump.
        inventory_path.write_text(json.dumps(subset_inventory(enabled), indent=1))
        try:
            inventory = load_inventory(inventory_path)
            check_roots(inventory, project)
        except InventoryError as exc:
            refused += 1
            assert all("needs section" in p or "no " in p for p in exc.problems), exc.problems
            continue
        accepted += 1
        spec = compose_root(inventory, "dev", project)
        main_tf = jinja.get_template("main.tf.jinja").render(spec=spec)
        outputs_tf = jinja.get_template("outputs.tf.jinja").render(spec=spec)
        problems += [f"{sorted(enabled)}: {b}" for b in broken_references(main_tf, outputs_tf)]
    assert problems == []
    assert accepted > 100 and refused > 100, (accepted, refused)


def test_the_issue_example_is_refused_naming_the_missing_section(tmp_path: Path) -> None:
    # dev keeps frontend and dns, switches off waf, storage, compute, database and cache.
    project = make_project(tmp_path)
    data = yaml.safe_load((project / "inventory.yaml").read_text())
    for key in ("waf", "storage", "compute", "database", "cache"):
        data["environments"]["dev"][key] = {"enabled": False}
    (project / "inventory.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InventoryError) as caught:
        check_roots(load_inventory(project / "inventory.yaml"), Project(project))
    # The data lake and the ML bucket log into storage's log bucket too. Each problem
    # names the line of the defaults' part (yaml.safe_dump writes them in order).
    lines = (project / "inventory.yaml").read_text().splitlines()
    line = {key: lines.index(f"  {key}:") + 1 for key in ("frontend", "data", "ml")}
    assert caught.value.problems == [
        f"{project / 'inventory.yaml'}:{line['frontend']}: environments.dev.frontend (inherited from defaults.frontend):"
        " needs section 'storage' (module.storage.log_bucket_domain_name),"
        " which this environment does not enable",
        *(
            f"{project / 'inventory.yaml'}:{line[key]}: environments.dev.{key} (inherited from defaults.{key}):"
            " needs section 'storage' (module.storage.log_bucket_id), which this environment does not enable"
            for key in ("data", "ml")
        ),
    ]


def test_each_section_writes_only_its_declared_module_blocks() -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    for env in inventory.environments:
        ctx = inventory.context(env)
        for section in all_sections():
            part = section.part(ctx.env)
            for call in section.calls(ctx, part) if part is not None else []:
                assert section.modules.get(call.name) == call.module, (section.key, call.name)
                assert call.where[0] == section.key


def test_every_module_folder_belongs_to_a_section() -> None:
    used = {folder for section in every_section() for folder in section.modules.values()}
    # ...or is called by a module that does (the shared log bucket).
    nested = {
        match.group(1)
        for folder in used
        for tf in (REPO / "modules" / folder).glob("*.tf")
        for match in re.finditer(r'source\s*=\s*"\.\./([\w-]+)"', tf.read_text())
    }
    assert used | nested == {p.parent.name for p in (REPO / "modules").glob("*/variables.tf")}


def test_module_waivers_parse_and_name_real_checks() -> None:
    for folder in sorted((REPO / "modules").iterdir()):
        for waiver in load_module_schema(folder).waivers:
            assert re.fullmatch(r"CKV2?_AWS_\d+", waiver.check), (folder.name, waiver)
            assert "." in waiver.resource, (folder.name, waiver)


SAMPLES = {
    "network only": frozenset(),
    "dns without anything to certify": frozenset({"dns"}),
    "a static site without waf": frozenset({"dns", "frontend", "storage"}),
    "another company's basics": frozenset({"storage", "messaging", "secrets", "observability"}),
    "everything": frozenset(OPTIONAL),
}


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_subsets_pass_terraform_validate(name: str, e2e_tools: E2E, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "inventory.yaml").write_text(yaml.safe_dump(subset_inventory(SAMPLES[name]), sort_keys=False))
    generate = subprocess.run(
        [sys.executable, "-m", "tfgen", "generate"], cwd=project, capture_output=True, text=True, timeout=300,
        env={**plain_terraform_env(e2e_tools, tmp_path), "TFGEN_TERRAFORM": e2e_tools.terraform},
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    env = plain_terraform_env(e2e_tools, tmp_path)
    for args in (["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"]):
        done = subprocess.run(
            [e2e_tools.terraform, *args], cwd=project / "envs" / "dev", env=env,
            capture_output=True, text=True, timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
