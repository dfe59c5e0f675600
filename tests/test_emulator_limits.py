"""Which planned resources the embedded emulator cannot create."""

from __future__ import annotations

from typing import Any

from tfgen.emulator_limits import CANNOT_CREATE, Limit, describe, emulator_cannot_create

# The mechanism, on limits of the kind the emulator had before tfgen extended it.
LIMITS = {
    "aws_elasticache_user_group": Limit("CreateUserGroup answers HTTP 500 (not implemented)", "switch off `cache`"),
    "aws_elasticache_replication_group": Limit(
        "its member clusters are never created (CacheClusterNotFound)", "switch off `cache`"
    ),
    "aws_cloudfront_response_headers_policy": Limit("CreateResponseHeadersPolicy answers HTTP 404", "switch off `frontend`"),
    "aws_appautoscaling_target": Limit(
        "Application Auto Scaling ListTagsForResource answers HTTP 500 (not implemented)",
        "give each service `min_count` equal to `max_count`",
    ),
}


def _change(address: str, kind: str, actions: list[str], mode: str = "managed") -> dict[str, Any]:
    return {"address": address, "type": kind, "mode": mode, "change": {"actions": actions}}


def test_the_sandbox_can_create_every_type_of_the_platform_today() -> None:
    # The sandbox server extends moto with what it lacked (tfgen/moto_ext).
    assert CANNOT_CREATE == {}
    plan = {"resource_changes": [_change(f"x.{kind}", kind, ["create"]) for kind in LIMITS]}
    assert emulator_cannot_create(plan) == []


def test_only_creates_of_unsupported_managed_types_are_reported_sorted() -> None:
    plan = {
        "resource_changes": [
            _change("module.frontend.aws_cloudfront_response_headers_policy.this", "aws_cloudfront_response_headers_policy", ["create"]),
            _change("module.cache.aws_elasticache_user_group.this", "aws_elasticache_user_group", ["create"]),
            _change("module.cache.aws_elasticache_replication_group.this", "aws_elasticache_replication_group", ["delete", "create"]),
            _change("module.cache.aws_elasticache_user_group.old", "aws_elasticache_user_group", ["delete"]),
            _change("module.cache.aws_elasticache_user_group.same", "aws_elasticache_user_group", ["no-op"]),
            _change("module.network.aws_vpc.this", "aws_vpc", ["create"]),
            _change("data.aws_elasticache_user_group.x", "aws_elasticache_user_group", ["read"], mode="data"),
        ]
    }

    found = emulator_cannot_create(plan, LIMITS)

    assert [item.address for item in found] == [
        "module.cache.aws_elasticache_replication_group.this",
        "module.cache.aws_elasticache_user_group.this",
        "module.frontend.aws_cloudfront_response_headers_policy.this",
    ]
    assert found[1].limit == LIMITS["aws_elasticache_user_group"]


def test_description_names_each_resource_and_each_remedy_once() -> None:
    plan = {
        "resource_changes": [
            _change("module.cache.aws_elasticache_user_group.this", "aws_elasticache_user_group", ["create"]),
            _change("module.cache.aws_elasticache_replication_group.this", "aws_elasticache_replication_group", ["create"]),
            _change('module.service.aws_appautoscaling_target.this["api"]', "aws_appautoscaling_target", ["create"]),
        ]
    }
    lines = describe(emulator_cannot_create(plan, LIMITS))
    assert lines == [
        "  module.cache.aws_elasticache_replication_group.this: its member clusters are never created"
        " (CacheClusterNotFound)",
        "  module.cache.aws_elasticache_user_group.this: CreateUserGroup answers HTTP 500 (not implemented)",
        '  module.service.aws_appautoscaling_target.this["api"]: Application Auto Scaling'
        " ListTagsForResource answers HTTP 500 (not implemented)",
        "  to apply the rest on the sandbox: give each service `min_count` equal to `max_count`",
        "  to apply the rest on the sandbox: switch off `cache`",
    ]


def test_a_plan_without_them_reports_nothing() -> None:
    assert emulator_cannot_create({"resource_changes": [_change("aws_vpc.this", "aws_vpc", ["create"])]}, LIMITS) == []
    assert emulator_cannot_create({}, LIMITS) == []
