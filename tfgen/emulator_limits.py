"""What the embedded emulator cannot create, so a sandbox apply can refuse up front.

Found by applying the ClientNest platform on the emulator (moto 5.2), with the
errors it gave. A sandbox apply of a plan that creates any of these would stop
half done after minutes, with an error about the emulator, not about the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limit:
    """Why the emulator cannot create a resource type, and what avoids it."""

    why: str
    avoid: str


CANNOT_CREATE: Mapping[str, Limit] = {
    "aws_elasticache_user_group": Limit(
        "CreateUserGroup answers HTTP 500 (not implemented)", "switch off `cache`"
    ),
    "aws_elasticache_replication_group": Limit(
        "its member clusters are never created (CacheClusterNotFound)", "switch off `cache`"
    ),
    "aws_cloudfront_response_headers_policy": Limit(
        "CreateResponseHeadersPolicy answers HTTP 404", "switch off `frontend`"
    ),
    "aws_appautoscaling_target": Limit(
        "Application Auto Scaling ListTagsForResource answers HTTP 500 (not implemented)",
        "give each service `min_count` equal to `max_count`",
    ),
}


@dataclass(frozen=True)
class Unsupported:
    """A resource a plan creates that the emulator cannot."""

    address: str
    limit: Limit


def emulator_cannot_create(plan: Mapping[str, Any]) -> list[Unsupported]:
    """The resources a plan creates that the emulator cannot, sorted by address.

    Args:
        plan: The parsed output of ``terraform show -json <planfile>``.
    """
    found = [
        Unsupported(change["address"], CANNOT_CREATE[change["type"]])
        for change in plan.get("resource_changes", [])
        if change.get("mode") == "managed"
        and change.get("type") in CANNOT_CREATE
        and "create" in change["change"]["actions"]
    ]
    return sorted(found, key=lambda item: item.address)


def describe(unsupported: list[Unsupported]) -> list[str]:
    """One line per resource, then one per way to avoid them."""
    lines = [f"  {item.address}: {item.limit.why}" for item in unsupported]
    remedies = sorted({item.limit.avoid for item in unsupported})
    return lines + [f"  to apply the rest on the sandbox: {remedy}" for remedy in remedies]
