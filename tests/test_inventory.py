from __future__ import annotations

from pathlib import Path

import pytest

from tfgen.errors import InputError, InventoryError
from tfgen.inventory import deep_merge, load_inventory

BASE = """\
project: shop
state:
  bucket: shop-tfstate
  lock_table: shop-lock
  region: eu-west-1
defaults:
  region: eu-west-1
  tags: {Team: web}
  network:
    nat_gateways: single
environments:
  dev:
    tags: {Environment: dev}
    network:
      cidr: 10.0.0.0/16
      public_subnets: [10.0.1.0/24, 10.0.2.0/24]
      private_subnets: [10.0.11.0/24, 10.0.12.0/24]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InventoryError) as caught:
        load_inventory(write(tmp_path, text))
    return caught.value.problems


def test_repo_inventory_loads_and_dev_matches_the_seed(repo: Path) -> None:
    inventory = load_inventory(repo / "inventory.yaml")
    assert set(inventory.environments) == {"dev", "staging", "prod"}
    dev = inventory.environment("dev")
    assert dev.network.cidr == "10.0.0.0/16"
    assert dev.network.public_subnets == ["10.0.1.0/24", "10.0.2.0/24"]
    assert dev.network.private_subnets == ["10.0.11.0/24", "10.0.12.0/24"]
    assert dev.network.nat_gateways == "single"
    assert inventory.name_tag_prefix("dev") == "ClientNest-Dev"
    prod = inventory.environment("prod")
    assert prod.network.nat_gateways == "per_az"
    assert len(prod.network.public_subnets) == 3


def test_defaults_are_deep_merged_under_each_environment(tmp_path: Path) -> None:
    inventory = load_inventory(write(tmp_path, BASE))
    dev = inventory.environment("dev")
    assert dev.tags == {"Team": "web", "Environment": "dev"}
    assert dev.region == "eu-west-1"
    assert dev.network.flow_logs.retention_days == 365


def test_deep_merge_replaces_lists_and_merges_mappings() -> None:
    merged = deep_merge({"a": {"x": 1, "y": [1]}, "b": 1}, {"a": {"y": [2]}, "c": 3})
    assert merged == {"a": {"x": 1, "y": [2]}, "b": 1, "c": 3}


def test_unknown_key_names_file_line_and_dotted_path(tmp_path: Path) -> None:
    text = BASE.replace(
        "      cidr: 10.0.0.0/16\n", "      cidr: 10.0.0.0/16\n      colour: blue\n"
    )
    found = problems(tmp_path, text)
    assert found == [
        f"{tmp_path / 'inventory.yaml'}:16: environments.dev.network.colour: unknown key"
    ]


def test_all_semantic_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        BASE.replace("bucket: shop-tfstate", "bucket: Shop_State")
        .replace("[10.0.1.0/24, 10.0.2.0/24]", "[10.0.1.0/24, 10.9.2.0/24]")
        .replace("[10.0.11.0/24, 10.0.12.0/24]", "[10.0.1.128/25, 10.0.12.0/24]")
    )
    found = "\n".join(problems(tmp_path, text))
    assert ":3: state.bucket: 'Shop_State' is not a valid S3 bucket name" in found
    assert "environments.dev.network.public_subnets[1]: 10.9.2.0/24 is not inside the VPC" in found
    assert (
        "environments.dev.network.private_subnets[0]: 10.0.1.128/25 overlaps 10.0.1.0/24" in found
    )


def test_invalid_cidr_and_single_az_are_refused(tmp_path: Path) -> None:
    text = BASE.replace("cidr: 10.0.0.0/16", "cidr: 10.0.0.0/33")
    assert any("is not a valid IPv4 network" in p for p in problems(tmp_path, text))
    text = BASE.replace("[10.0.1.0/24, 10.0.2.0/24]", "[10.0.1.0/24]").replace(
        "[10.0.11.0/24, 10.0.12.0/24]", "[10.0.11.0/24]"
    )
    assert any("at least two availability zones" in p for p in problems(tmp_path, text))


def test_problem_inherited_from_defaults_points_at_the_default(tmp_path: Path) -> None:
    text = BASE.replace(
        "    nat_gateways: single\n",
        "    nat_gateways: single\n    flow_logs: {retention_days: 12}\n",
    )
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert (
        ":11: environments.dev.network.flow_logs.retention_days (inherited from defaults.network.flow_logs.retention_days)"
        in found[0]
    )


def test_names_must_be_usable_in_aws(tmp_path: Path) -> None:
    text = BASE.replace("project: shop", "project: Shop Co").replace("  dev:\n", "  Dev_1:\n")
    found = "\n".join(problems(tmp_path, text))
    assert "project: must be 2-20 lower-case letters" in found
    assert "environments.Dev_1: environment names are" in found


def test_waivers_need_a_check_id_a_resource_and_a_reason(tmp_path: Path) -> None:
    text = (
        BASE
        + "waivers:\n  - check: CKV_NOPE\n    resource: all\n    reason: because\n  - check: CKV_AWS_1\n    reason: a long enough reason here\n    environments: [qa]\n"
    )
    found = "\n".join(problems(tmp_path, text))
    assert "waivers[0].check: 'CKV_NOPE' is not a checkov check id" in found
    assert "waivers[0].reason: say why" in found
    assert "waivers[1].resource: required key is missing" in found


def test_yaml_syntax_error_and_duplicate_keys(tmp_path: Path) -> None:
    assert "not valid YAML" in problems(tmp_path, "project: [unclosed\n")[0]
    found = problems(tmp_path, BASE.replace("project: shop\n", "project: shop\nproject: again\n"))
    assert found == [f"{tmp_path / 'inventory.yaml'}:2: project: duplicate key"]


def test_missing_file_and_unknown_environment(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="no such file"):
        load_inventory(tmp_path / "missing.yaml")
    inventory = load_inventory(write(tmp_path, BASE))
    with pytest.raises(InputError, match="no environment 'qa' \\(known: dev\\)"):
        inventory.environment("qa")
