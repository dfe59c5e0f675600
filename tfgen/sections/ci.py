"""``ci`` (accounts): GitHub Actions identities: the OIDC provider, plan and apply roles per root.

Each root of the account (its environments and the account's baseline itself)
gets ``tfgen-<root>-plan`` (read-only, plus the state and its lock) trusted for
the GitHub environment ``<root>-plan``, and ``tfgen-<root>-apply`` trusted for
``<root>``, whose reviewers GitHub enforces. These are the roles the workflows
of ``tfgen ci github`` assume.
"""

from __future__ import annotations

from collections.abc import Iterator

from tfgen.section import Call, Context, Problem, Section, SectionModel


class Ci(SectionModel):
    """CI identities of the account; the repository is the inventory's ``ci.github``."""


class CiSection(Section[Ci]):
    """Roles per root of this account, trusting one repository environment each."""

    key = "ci"
    scope = "account"
    model = Ci
    order = 150
    modules = {"ci": "ci-identities"}
    builds = (
        "the GitHub OIDC provider, and per root of the account a plan role (read-only, state"
        " read and lock) and an apply role, each trusting only repo:ORG/REPO:environment:ENV"
    )

    def calls(self, ctx: Context, part: Ci) -> list[Call]:
        """The ci-identities module call."""
        inventory = ctx.inventory
        if inventory is None or inventory.ci.github is None:
            return []  # refused by problems()
        account = inventory.root(ctx.env_name).account
        roots = [
            r for r in inventory.roots() if r.account and account and r.account.id == account.id
        ]
        environments = {}
        for root in roots:
            backend = inventory.backend(root.name)
            assert root.account is not None
            environments[root.name] = {
                "state_bucket_arn": f"arn:aws:s3:::{backend.bucket}",
                "lock_table_arn": (
                    f"arn:aws:dynamodb:{backend.region}:{root.account.id}:table/{backend.lock_table}"
                ),
                "plan_github_environment": f"{root.name}-plan",
            }
        inputs = {
            "name": "tfgen",
            "github_repository": inventory.ci.github.repository,
            "environments": environments,
        }
        return [
            self.call("ci", inputs, outputs=(("github_oidc_provider_arn", "oidc_provider_arn"),))
        ]

    def problems(self, ctx: Context, part: Ci) -> Iterator[Problem]:
        """The repository comes from the inventory's ci.github."""
        inventory = ctx.inventory
        if inventory is not None and inventory.ci.github is None:
            yield (self.key,), "CI identities need the repository: set ci.github.repository"


section = CiSection()
