"""The AI and data sections' rules: `tfgen validate` refuses what cannot work, each with its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tfgen.compose import check_roots
from tfgen.errors import InventoryError
from tfgen.inventory import load_inventory
from tfgen.project import Project

from .conftest import REPO

BASE = """\
project: shop
state: {bucket: shop-tfstate, lock_table: shop-lock, region: eu-west-1}
defaults:
  region: eu-west-1
  network:
    cidr: 10.0.0.0/16
    public_subnets: [10.0.1.0/24, 10.0.2.0/24]
    private_subnets: [10.0.11.0/24, 10.0.12.0/24]
    nat_gateways: per_az
environments:
  prod:
    production: true
    deletion_protection: true
    storage: {}
    dns: {domain: shop.example.com}
    compute:
      services:
        ai: {cpu: 2048, memory: 4096, desired_count: 2, min_count: 2, max_count: 4, priority: 10, gpu: 1, tables: [orders]}
    gpu: {instance_type: g5.xlarge, max_instances: 4}
    tables:
      tables:
        orders: {hash_key: id}
    data:
      jobs:
        curate: {script: data/jobs/curate.py}
      streams:
        clicks: {retention_hours: 168}
    ml:
      endpoints:
        ranker:
          versions: {v1: {image_tag: "1"}, v2: {image_tag: "2"}}
          variants:
            a: {version: v1, weight: 80, min_instances: 2, max_instances: 4}
            b: {version: v2, weight: 20, min_instances: 2, max_instances: 2}
          data_capture_percent: 10
    dr: {region: eu-central-1}
"""


def _project(tmp_path: Path) -> Path:
    if not (tmp_path / "modules").exists():
        tmp_path.mkdir(parents=True, exist_ok=True)
        (tmp_path / "modules").symlink_to(REPO / "modules")
        (tmp_path / "data" / "jobs").mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / "jobs" / "curate.py").write_text("print('curate')\n")
        (tmp_path / "data" / "etl").mkdir(exist_ok=True)
        (tmp_path / "data" / "etl" / "handler.py").write_text("def handler(e, c):\n    return e\n")
    return tmp_path


def problems(tmp_path: Path, text: str) -> list[str]:
    """What `tfgen validate` finds: loading rules, then every environment's composition."""
    path = _project(tmp_path) / "inventory.yaml"
    path.write_text(text)
    with pytest.raises(InventoryError) as caught:
        check_roots(load_inventory(path), Project(tmp_path))
    return [p.removeprefix(f"{path}:") for p in caught.value.problems]


def test_base_is_valid(tmp_path: Path) -> None:
    path = _project(tmp_path) / "inventory.yaml"
    path.write_text(BASE)
    check_roots(load_inventory(path), Project(tmp_path))


def test_a_production_table_keeps_its_deletion_protection(tmp_path: Path) -> None:
    text = BASE.replace("orders: {hash_key: id}", "orders: {hash_key: id, deletion_protection: false}")
    assert problems(tmp_path, text) == [
        "22: environments.prod.tables.tables.orders.deletion_protection:"
        " a production table needs deletion_protection (or leave it unset)"
    ]


def test_table_capacity_must_suit_its_billing(tmp_path: Path) -> None:
    text = BASE.replace(
        "orders: {hash_key: id}",
        "orders: {hash_key: id, billing: provisioned, read_capacity: {min: 10, max: 5}}\n"
        "        events: {hash_key: id, range_key: id, write_capacity: {min: 1, max: 2}}",
    )
    assert problems(tmp_path, text) == [
        "22: environments.prod.tables.tables.orders.read_capacity: min 10 is above max 5",
        "22: environments.prod.tables.tables.orders.write_capacity:"
        " a provisioned table needs {min, max} capacity",
        "23: environments.prod.tables.tables.events.range_key: must differ from hash_key",
        "23: environments.prod.tables.tables.events.write_capacity: an on_demand table takes no capacity",
    ]


def test_a_service_names_tables_that_exist(tmp_path: Path) -> None:
    text = BASE.replace("tables: [orders]", "tables: [orders, invoices]")
    assert problems(tmp_path, text) == [
        "18: environments.prod.compute.services.ai.tables[1]:"
        " no table 'invoices' in this environment's tables.tables"
    ]
    without_section = BASE.replace("    tables:\n      tables:\n        orders: {hash_key: id}\n", "")
    assert problems(tmp_path, without_section) == [
        "18: environments.prod.compute.services.ai.tables[0]: needs section 'tables'"
        ' (module.tables.table_arns["orders"]), which this environment does not enable'
    ]


def test_a_gpu_service_needs_the_gpu_section(tmp_path: Path) -> None:
    text = BASE.replace("    gpu: {instance_type: g5.xlarge, max_instances: 4}\n", "")
    assert problems(tmp_path, text) == [
        "18: environments.prod.compute.services.ai.gpu: needs section 'gpu'"
        " (module.gpu.capacity_provider_name), which this environment does not enable"
    ]


def test_gpu_capacity_must_hold_the_gpu_tasks(tmp_path: Path) -> None:
    text = BASE.replace("max_instances: 4}\n", "max_instances: 1}\n", 1).replace("gpu: 1,", "gpu: 2,")
    assert problems(tmp_path, text) == [
        "18: environments.prod.compute.services.ai.gpu: a task's 2 GPUs do not fit on one g5.xlarge",
        "19: environments.prod.gpu.max_instances:"
        " production GPU capacity needs max_instances >= 2 (an instance per AZ)",
        "19: environments.prod.gpu.max_instances: the GPU services may run tasks needing 8 GPUs"
        " (gpu x max_count), more than 1 x g5.xlarge hold (1 each)",
    ]
    unknown = BASE.replace("instance_type: g5.xlarge", "instance_type: m5.xlarge")
    found = problems(tmp_path, unknown)
    assert len(found) == 1 and found[0].startswith(
        "19: environments.prod.gpu.instance_type: not a GPU instance type tfgen knows (g4dn.12xlarge,"
    )


def test_a_production_variant_with_traffic_runs_two_instances_and_captures_data(tmp_path: Path) -> None:
    text = BASE.replace(
        "b: {version: v2, weight: 20, min_instances: 2, max_instances: 2}",
        "b: {version: v2, weight: 20, min_instances: 1, max_instances: 2}\n"
        "            c: {version: v3, weight: 0}",
    ).replace("data_capture_percent: 10", "data_capture_percent: 0")
    assert problems(tmp_path, text) == [
        "34: environments.prod.ml.endpoints.ranker.variants.b.min_instances:"
        " a production variant taking traffic needs 2 instances (SageMaker spreads AZs)",
        "35: environments.prod.ml.endpoints.ranker.variants.c.version:"
        " no version 'v3' in this endpoint's versions",
        "36: environments.prod.ml.endpoints.ranker.data_capture_percent:"
        " a production endpoint captures data for model monitoring (1-100%)",
    ]


def test_an_endpoint_needs_traffic_somewhere(tmp_path: Path) -> None:
    text = BASE.replace("weight: 80", "weight: 0").replace("weight: 20", "weight: 0")
    assert problems(tmp_path, text) == [
        "32: environments.prod.ml.endpoints.ranker.variants:"
        " at least one variant must have a weight above 0"
    ]


def test_a_production_stream_keeps_a_week(tmp_path: Path) -> None:
    text = BASE.replace("clicks: {retention_hours: 168}", "clicks: {retention_hours: 24}")
    assert problems(tmp_path, text) == [
        "27: environments.prod.data.streams.clicks.retention_hours:"
        " a production stream keeps records 168 hours at least"
    ]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("/etc/passwd", "'/etc/passwd' must be a path relative to the inventory's folder, not absolute"),
        ("../outside.py", "'../outside.py' leads out of the project folder"),
        ("data/jobs/missing.py", "no file 'data/jobs/missing.py' next to the inventory"),
        ("data/etl/handler.txt", "a Glue job's script is a .py file"),
    ],
)
def test_job_scripts_stay_inside_the_project(tmp_path: Path, script: str, expected: str) -> None:
    (tmp_path / "data" / "etl").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "etl" / "handler.txt").write_text("x")
    found = problems(tmp_path, BASE.replace("data/jobs/curate.py", script))
    assert len(found) == 1 and found[0].startswith(
        f"25: environments.prod.data.jobs.curate.script: {expected}"
    ), found


def test_a_script_or_etl_source_linking_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    project = tmp_path / "project"
    (outside / "etl").mkdir(parents=True)
    (outside / "etl" / "handler.py").write_text("secret = 1\n")
    _project(project)
    os.symlink(outside / "etl" / "handler.py", project / "data" / "jobs" / "linked.py")
    os.symlink(outside / "etl" / "handler.py", project / "data" / "etl" / "linked.py")
    text = BASE.replace("data/jobs/curate.py", "data/jobs/linked.py").replace(
        "    ml:\n", "      etl_function: {source: data/etl}\n    ml:\n"
    )
    found = problems(project, text)
    assert found[0].startswith("25: environments.prod.data.jobs.curate.script: 'data/jobs/linked.py' leads out")
    assert found[1] == (
        f"28: environments.prod.data.etl_function.source: {project / 'data/etl/linked.py'}"
        " is a symlink that leads out of the project"
    )


def test_validate_on_the_repository_inventory_refuses_unprotected_prod_data(project: Path) -> None:
    """As a user meets it: `tfgen validate` exits 2 with file:line for each production rule."""
    from typer.testing import CliRunner

    from tfgen.cli import app

    inventory = project / "inventory.yaml"
    text = inventory.read_text()
    inventory.write_text(
        text.replace("          billing: provisioned", "          billing: provisioned\n          deletion_protection: false")
        .replace("            candidate: {min_instances: 2, max_instances: 4}", "            candidate: {min_instances: 1, max_instances: 4}")
        .replace("        clickstream: {retention_hours: 168}", "        clickstream: {retention_hours: 48}")
    )
    lines = inventory.read_text().splitlines()
    result = CliRunner().invoke(app, ["-i", str(inventory), "validate"])
    assert result.exit_code == 2, result.output
    assert "inventory has 3 problem(s)" in result.output
    for needle, message in (
        ("deletion_protection: false", "environments.prod.tables.tables.orders.deletion_protection"),
        ("clickstream: {retention_hours: 48}", "environments.prod.data.streams.clickstream.retention_hours"),
        ("candidate: {min_instances: 1", "environments.prod.ml.endpoints.recommender.variants.candidate.min_instances"),
    ):
        line = next(number for number, text in enumerate(lines, 1) if needle in text)
        assert f"{inventory}:{line}: {message}:" in result.output, result.output
