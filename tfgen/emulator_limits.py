"""What the embedded emulator cannot create, so a sandbox apply can refuse up front.

A sandbox apply of a plan that creates a type listed here would stop half done
after minutes, with an error about the emulator, not about the plan. The list
is found by applying the ClientNest platform on the emulator; it is empty since
the sandbox server extends moto with what the platform needs (``tfgen/moto_ext``).
A type goes back on it, with the error it gives, when the emulator cannot create
it and no extension is written yet.
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


# Resource type -> why the emulator cannot create it. Keep README's "What the
# sandbox cannot apply" equal to this (tests/test_readme.py checks it).
CANNOT_CREATE: Mapping[str, Limit] = {}


@dataclass(frozen=True)
class Unsupported:
    """A resource a plan creates that the emulator cannot."""

    address: str
    limit: Limit


def emulator_cannot_create(
    plan: Mapping[str, Any], limits: Mapping[str, Limit] = CANNOT_CREATE
) -> list[Unsupported]:
    """The resources a plan creates that the emulator cannot, sorted by address.

    Args:
        plan: The parsed output of ``terraform show -json <planfile>``.
        limits: What the emulator cannot create, by resource type.
    """
    found = [
        Unsupported(change["address"], limits[change["type"]])
        for change in plan.get("resource_changes", [])
        if change.get("mode") == "managed"
        and change.get("type") in limits
        and "create" in change["change"]["actions"]
    ]
    return sorted(found, key=lambda item: item.address)


def describe(unsupported: list[Unsupported]) -> list[str]:
    """One line per resource, then one per way to avoid them."""
    lines = [f"  {item.address}: {item.limit.why}" for item in unsupported]
    remedies = sorted({item.limit.avoid for item in unsupported})
    return lines + [f"  to apply the rest on the sandbox: {remedy}" for remedy in remedies]
