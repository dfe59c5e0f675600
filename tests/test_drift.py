"""What a refresh-only plan counts as drift."""

from __future__ import annotations

from typing import Any

from tfgen.drift import drift_of


def _plan(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    address = "module.network.aws_default_network_acl.this[0]"
    return {
        "resource_drift": [
            {"address": address, "mode": "managed", "type": "aws_default_network_acl",
             "change": {"before": before, "after": after}},
        ],
        "configuration": {"root_module": {"module_calls": {"network": {"module": {"resources": [
            {"address": "aws_default_network_acl.this", "expressions": {"tags": {}}},
        ]}}}}},
    }  # fmt: skip


def _not_computed(_type: str, _attribute: str) -> bool:
    return False


def test_null_read_back_as_empty_is_not_drift() -> None:
    plan = _plan({"subnet_ids": None, "tags": {"Name": "a"}}, {"subnet_ids": [], "tags": {"Name": "a"}})
    assert drift_of(plan, "dev", _not_computed).resources == []


def test_a_changed_tag_and_a_subnet_gone_are_drift() -> None:
    plan = _plan({"subnet_ids": ["subnet-1"], "tags": {"Name": "a"}}, {"subnet_ids": [], "tags": {"Name": "b"}})
    (resource,) = drift_of(plan, "dev", _not_computed).resources
    assert [(a.path, a.before, a.after) for a in resource.attributes] == [
        ("subnet_ids", ["subnet-1"], []),
        ("tags.Name", "a", "b"),
    ]
