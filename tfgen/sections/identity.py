"""``identity`` (accounts): the password policy, Access Analyzer, the alias, and roles for people.

No IAM users and no access keys: people assume a read-only role (the teams) or
an admin role that requires MFA (the cloud engineer); CI gets its own roles
(``ci``).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.section import Call, Context, Problem, Section, SectionModel

_PRINCIPAL = r"^arn:aws[a-z-]*:iam::\d{12}:(root|role/.+|user/.+)$"


class Identity(SectionModel):
    """Who may assume the account's roles for people."""

    alias: str | None = Field(default=None, description="default: <project>-<account>")
    admin_principals: list[str] = Field(
        default_factory=list, description="default: the account itself (its root), with MFA"
    )
    readonly_principals: list[str] = Field(
        default_factory=list, description="default: the account itself (its root)"
    )


class IdentitySection(Section[Identity]):
    """The admin role always requires MFA; principals default to the account itself."""

    key = "identity"
    scope = "account"
    model = Identity
    order = 140
    modules = {"identity": "identity"}
    builds = (
        "account password policy (14+ characters, 24 remembered, 90 days), IAM Access Analyzer,"
        " the account alias, a read-only role for the teams and an admin role that requires MFA;"
        " no IAM users or access keys"
    )

    def calls(self, ctx: Context, part: Identity) -> list[Call]:
        """The identity module call."""
        account = ctx.inventory.root(ctx.env_name).account if ctx.inventory else None
        itself = [f"arn:aws:iam::{account.id}:root"] if account else []
        project = ctx.inventory.project if ctx.inventory else "tfgen"
        alias = part.alias or f"{project}-{account.name if account else ctx.env_name}"
        inputs = {
            "name": ctx.name,
            "account_alias": alias,
            "admin_principal_arns": list(part.admin_principals) or itself,
            "readonly_principal_arns": list(part.readonly_principals) or itself,
        }
        return [self.call("identity", inputs, outputs=(("admin_role_arn", "admin_role_arn"),))]

    def problems(self, ctx: Context, part: Identity) -> Iterator[Problem]:
        """Principals are IAM ARNs; an unpinned root has no account to trust by default."""
        import re

        for field in ("admin_principals", "readonly_principals"):
            for index, arn in enumerate(getattr(part, field)):
                if not re.match(_PRINCIPAL, arn):
                    yield (self.key, field, index), f"'{arn}' is not an IAM root, role or user ARN"


section = IdentitySection()
