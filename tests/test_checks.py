"""Inputs that cannot work are refused at `tfgen validate`, each with its line."""

from __future__ import annotations

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
    storage: {buckets: {assets: {}}}
    dns: {domain: shop.example.com}
    compute:
      services:
        api: {cpu: 256, memory: 512, desired_count: 2, min_count: 2, max_count: 4, priority: 10}
    database: {multi_az: true}
    cache: {num_cache_clusters: 2}
    dr: {region: eu-central-1}
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    """What `tfgen validate` finds: loading rules, then every environment's composition."""
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    if not (tmp_path / "modules").exists():
        (tmp_path / "modules").symlink_to(REPO / "modules")
    with pytest.raises(InventoryError) as caught:
        check_roots(load_inventory(path), Project(tmp_path))
    return caught.value.problems


def test_base_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(BASE)
    env = load_inventory(path).environment("prod")
    assert env.has("compute") and env.has("database") and not env.has("functions")


def test_fargate_memory_must_suit_the_cpu(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("memory: 512", "memory: 4096"))
    assert found == [
        f"{tmp_path / 'inventory.yaml'}:18: environments.prod.compute.services.api.memory:"
        " Fargate runs 256 CPU units with 512, 1024, 2048 MiB, not 4096"
    ]


def test_production_refuses_single_az_data_and_no_protection(tmp_path: Path) -> None:
    text = (
        BASE.replace("deletion_protection: true", "deletion_protection: false")
        .replace("database: {multi_az: true}", "database: {multi_az: false}")
        .replace("cache: {num_cache_clusters: 2}", "cache: {num_cache_clusters: 1, automatic_failover: false, multi_az: false}")
        .replace("    nat_gateways: per_az\n", "    nat_gateways: single\n")
    )
    found = "\n".join(problems(tmp_path, text))
    assert "environments.prod.deletion_protection: a production environment needs deletion_protection: true" in found
    assert ":19: environments.prod.database.multi_az: a production database must be multi-AZ" in found
    assert "environments.prod.cache: a production cache needs automatic_failover and multi_az" in found
    assert ":9: environments.prod.network.nat_gateways (inherited from defaults.network.nat_gateways)" in found


def test_retention_below_the_production_minimum(tmp_path: Path) -> None:
    text = BASE.replace("    dns:", "    observability: {log_retention_days: 30}\n    dns:")
    found = problems(tmp_path, text)
    assert found == [
        f"{tmp_path / 'inventory.yaml'}:15: environments.prod.observability.log_retention_days:"
        " 30 days is below the 365 days a production environment keeps"
    ]


def test_failover_needs_a_replica_and_counts_must_be_ordered(tmp_path: Path) -> None:
    text = BASE.replace("cache: {num_cache_clusters: 2}", "cache: {num_cache_clusters: 1}").replace(
        "desired_count: 2, min_count: 2, max_count: 4", "desired_count: 5, min_count: 2, max_count: 4"
    )
    found = "\n".join(problems(tmp_path, text))
    assert "cache.num_cache_clusters: automatic_failover and multi_az need 2+ clusters" in found
    assert "services.api.desired_count: needs min_count <= desired_count <= max_count (2 <= 5 <= 4)" in found


def test_rules_of_functions(tmp_path: Path) -> None:
    text = BASE + (
        "    functions:\n"
        "      functions: {rotate: {source: functions/missing, handler: app.handler}}\n"
        "      api: {enabled: true, routes: {'GET /x': {function: nope}}}\n"
    )
    found = "\n".join(problems(tmp_path, text))
    assert "functions.functions.rotate.source: no folder 'functions/missing' next to the inventory" in found
    assert "functions.api.routes.GET /x.function: no function 'nope'" in found
    assert "functions.api.jwt_issuer: JWT routes need a jwt_issuer" in found


def test_references_to_keys_must_exist(tmp_path: Path) -> None:
    (tmp_path / "fns" / "rotate").mkdir(parents=True)
    (tmp_path / "fns" / "rotate" / "app.py").write_text("def handler(e, c): pass\n")
    text = BASE.replace(
        "priority: 10}", "priority: 10, secrets: {DATABASE_URL: db-url}}"
    ) + (
        "    functions: {functions: {rotate: {source: fns/rotate, handler: app.handler}}}\n"
        "    secrets: {secrets: {other: {description: x, rotation_function: ghost}}}\n"
    )
    found = problems(tmp_path, text)
    assert any(
        "inventory.yaml:18: environments.prod.compute.services.api.secrets.DATABASE_URL: no secret 'db-url'"
        " in this environment's secrets.secrets" in p
        for p in found
    ), found
    assert any(
        "environments.prod.secrets.secrets.other.rotation_function: no function 'ghost'"
        " in this environment's functions.functions" in p
        for p in found
    ), found


def test_sections_that_need_others(tmp_path: Path) -> None:
    text = BASE.replace("    dns: {domain: shop.example.com}\n", "")
    found = "\n".join(problems(tmp_path, text))
    assert (
        "environments.prod.compute: needs section 'dns' (module.dns.certificate_arn),"
        " which this environment does not enable"
    ) in found
    text = BASE.replace("    storage: {buckets: {assets: {}}}\n", "")
    found = "\n".join(problems(tmp_path, text))
    assert "environments.prod.compute: needs section 'storage' (module.storage.log_bucket_id)" in found
    text = BASE.replace("    compute:\n", "    compute:\n      enabled: false\n")
    found = "\n".join(problems(tmp_path, text))
    assert "environments.prod.database: needs section 'compute' (module.service.service_security_group_id)" in found
    assert "environments.prod.cache: needs section 'compute'" in found


def test_a_module_validation_is_an_inventory_problem(tmp_path: Path) -> None:
    # The observability module refuses a retention CloudWatch does not offer; the
    # section's own rule says so first, and the module's rule is checked too.
    text = BASE + "    waf: {rate_limit: 99}\n"
    found = "\n".join(problems(tmp_path, text))
    assert "environments.prod.waf.rate_limit" in found


FUNCTIONS = """\
    functions:
      functions:
        hook: {source: SOURCE, handler: handler.handler}
"""


@pytest.mark.parametrize(
    "source, expected",
    [
        ("/etc", "'/etc' must be a path relative to the inventory's folder, not absolute"),
        ("~/code", "must be a path relative to the inventory's folder"),
        ("../outside", "'../outside' leads out of the project folder"),
        ("fns/../../outside", "leads out of the project folder"),
        ("linked", "'linked' leads out of the project folder"),
        ("fns/hook", "is a symlink that leads out of the project"),
    ],
)
def test_function_sources_stay_inside_the_project(tmp_path: Path, source: str, expected: str) -> None:
    project = tmp_path / "project"
    (project / "fns" / "hook").mkdir(parents=True)
    (project / "fns" / "hook" / "handler.py").write_text("def handler(e, c): return 1\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for lambda")
    (project / "linked").symlink_to(outside)
    (project / "fns" / "hook" / "secret.txt").symlink_to(outside / "secret.txt")
    found = problems(project, BASE + FUNCTIONS.replace("SOURCE", source))
    assert any(expected in p and "functions.functions.hook.source" in p for p in found), found


def test_packaging_refuses_a_symlink_out_of_the_project(tmp_path: Path) -> None:
    from tfgen.errors import InputError
    from tfgen.package import package_function

    project = tmp_path / "project"
    source = project / "fns" / "hook"
    source.mkdir(parents=True)
    (source / "handler.py").write_text("x = 1\n")
    (tmp_path / "key.pem").write_text("secret")
    (source / "key.pem").symlink_to(tmp_path / "key.pem")
    with pytest.raises(InputError, match="leads out of the project folder"):
        package_function(source, project)
