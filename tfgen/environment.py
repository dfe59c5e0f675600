"""The settings of a root: an environment, or an AWS account's baseline.

Both models are assembled from the section registry, so a new section file adds
its key here without an edit: every section's model becomes a field of the
environment or of the account, as its ``scope`` says.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from tfgen.section import SectionModel, Strict, all_sections


class RootBase(Strict):
    """What every root has besides its sections."""

    region: str
    name_tag_prefix: str | None = None
    production: bool = False
    deletion_protection: bool = False
    tags: dict[str, str] = Field(default_factory=dict)

    def part(self, key: str) -> Any:
        """The part of section ``key`` (None when the root has none)."""
        return getattr(self, key, None)

    def has(self, key: str) -> bool:
        """Whether section ``key`` is present and enabled."""
        part = self.part(key)
        if part is None:
            return False
        return part.enabled if isinstance(part, SectionModel) else True


class EnvironmentBase(RootBase):
    """An environment's own settings: where it runs, what it waits for."""

    account: str | None = Field(
        default=None, description="the account (of `accounts`) the environment lives in"
    )
    depends_on: list[str] = Field(
        default_factory=list, description="roots to plan and apply before this one"
    )


class AccountBase(RootBase):
    """An AWS account: which one, how tfgen reaches it; ``region`` is its home region."""

    id: str = Field(description="the 12-digit account id, in quotes")
    role: str | None = Field(
        default=None, description="ARN of a role in the account that tfgen and terraform assume"
    )
    state_bucket: str | None = Field(
        default=None, description="its state bucket (default: the state bucket, '-<account>')"
    )


def _model(name: str, base: type[RootBase], scope: str) -> type[RootBase]:
    fields: dict[str, Any] = {s.key: s.field() for s in all_sections(scope)}
    model: type[RootBase] = create_model(name, __base__=base, **fields)
    return model


Environment = _model("Environment", EnvironmentBase, "environment")
Account = _model("Account", AccountBase, "account")
