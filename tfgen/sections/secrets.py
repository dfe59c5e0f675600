"""``secrets``: Secrets Manager secrets; their values are put out of band, never in files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from tfgen.rules import name_problems
from tfgen.section import (
    Call,
    Context,
    KeySet,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    Strict,
    kms_key,
    ref,
)


class Secret(Strict):
    """A Secrets Manager secret (its value is put out of band, never in files)."""

    description: str
    rotation_function: str | None = Field(
        default=None, description="name of a function in `functions` that rotates it"
    )
    rotation_days: int = Field(default=30, ge=1, le=1000)


class Secrets(SectionModel):
    """Secrets Manager secrets."""

    secrets: dict[str, Secret] = Field(default_factory=dict)


class SecretsSection(Section[Secrets]):
    """Encrypted with the secrets key; rotation by a function of the inventory."""

    key = "secrets"
    model = Secrets
    order = 7
    modules = {"secrets": "secrets"}
    builds = "Secrets Manager secrets (KMS); values are put out of band, never in files"

    def calls(self, ctx: Context, part: Secrets) -> list[Call]:
        """The secrets module call."""
        entries: dict[str, Any] = {}
        for key, secret in part.secrets.items():
            entry: dict[str, Any] = {"description": secret.description}
            if secret.rotation_function is not None:
                where = (self.key, "secrets", key, "rotation_function")
                entry.update(
                    rotate=True,
                    rotation_lambda_arn=ref(
                        "functions", "function_arns", secret.rotation_function, where=where
                    ),
                    rotation_days=secret.rotation_days,
                )
            entries[key] = entry
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("secrets"),
            "recovery_window_in_days": 30 if ctx.env.deletion_protection else 0,
            "secrets": entries,
        }
        return [
            self.call(
                "secrets",
                inputs,
                outputs=(("secret_arns", "secret_arns"),),
            )
        ]

    def problems(self, ctx: Context, part: Secrets) -> Iterator[Problem]:
        """Secret names usable in AWS."""
        yield from name_problems((self.key, "secrets"), part.secrets)

    def kms(self, ctx: Context, part: Secrets) -> list[KmsUse]:
        """The secrets key, usable only through Secrets Manager."""
        return [KmsUse("secrets", "Secrets Manager secrets")]

    def keyed_outputs(self, ctx: Context, part: Secrets) -> dict[str, KeySet]:
        """Secrets by their key in the inventory."""
        secrets = KeySet(list(part.secrets), "secret", "secrets.secrets")
        return {"secret_arns": secrets, "secret_names": secrets}


section = SecretsSection()
