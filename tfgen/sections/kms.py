"""``kms``: the environment's customer-managed keys, one per purpose the other sections use.

A shared part: which keys exist, and which services their policies admit,
follows from the ``KmsUse`` entries of the enabled sections; no section list is
kept here. The environment gets no key (and no module call) when nothing uses one.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tfgen.section import (
    Call,
    Context,
    KeySet,
    KmsUse,
    Section,
    Strict,
    enabled_sections,
)

# What each purpose's key policy grants beyond the account's IAM principals.
_POLICY: dict[str, dict[str, Any]] = {
    "logs": {"cloudwatch_logs": True},
    "data": {},
    "secrets": {"via_services": ["secretsmanager"]},
}


class Kms(Strict):
    """Customer-managed keys per purpose (logs, data, secrets)."""

    deletion_window_days: int = Field(default=30, ge=7, le=30)


class KmsSection(Section[Kms]):
    """Always present with defaults; generated only when a section uses a key."""

    key = "kms"
    model = Kms
    order = 1
    modules = {"kms": "kms"}
    builds = (
        "customer-managed keys for logs, data and secrets, as the enabled sections need them;"
        " rotation on, explicit key policies"
    )

    def field(self) -> tuple[Any, Any]:
        """Settings with defaults: an inventory names `kms` only to change them."""
        return Kms, Kms()

    def calls(self, ctx: Context, part: Kms) -> list[Call]:
        """The keys module, with one key per purpose in use."""
        uses = _uses(ctx)
        if not uses:
            return []
        keys = {}
        for purpose, used in sorted(uses.items()):
            key: dict[str, Any] = {
                "description": f"Encrypts the {_join(sorted({u.what for u in used}))}"
                f" of {ctx.name}",
                **_POLICY.get(purpose, {}),
            }
            services = sorted({s for u in used for s in u.services})
            if services:
                key["services"] = services
            keys[purpose] = key
        inputs = {
            "name": ctx.name,
            "keys": keys,
            "deletion_window_in_days": part.deletion_window_days,
        }
        return [self.call("kms", inputs, outputs=(("kms_key_arns", "key_arns"),))]

    def keyed_outputs(self, ctx: Context, part: Kms) -> dict[str, KeySet]:
        """A key exists only for a purpose some section declared."""
        return {"key_arns": KeySet(sorted(_uses(ctx)), "KMS key purpose", "the sections' KMS uses")}


def _uses(ctx: Context) -> dict[str, list[KmsUse]]:
    uses: dict[str, list[KmsUse]] = {}
    for section, part in enabled_sections(ctx.env):
        if section.key != "kms":
            for use in section.kms(ctx, part):
                uses.setdefault(use.purpose, []).append(use)
    return uses


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


section = KmsSection()
