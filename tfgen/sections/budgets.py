"""``budgets`` (accounts): a monthly budget for the account and its environments, cost anomalies."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.section import Call, Context, Problem, Section, SectionModel, ref


class Budgets(SectionModel):
    """Monthly limits in USD: the account's, and each of its environments' (by Environment tag)."""

    monthly_limit_usd: float = Field(gt=0)
    environments: dict[str, float] = Field(default_factory=dict)
    anomaly_threshold_usd: float = Field(default=100, gt=0)
    emails: list[str] = Field(default_factory=list)


class BudgetsSection(Section[Budgets]):
    """Alerts at 80% forecast and 100% actual, to e-mail and the alerts topic."""

    key = "budgets"
    scope = "account"
    model = Budgets
    order = 170
    modules = {"budgets": "budgets"}
    builds = (
        "a monthly cost budget for the account (forecast alert at 80%, actual at 100%, to"
        " e-mail and the alerts topic), one per environment by its Environment cost-allocation"
        " tag, cost anomaly detection (a monitor and a subscription)"
    )

    def calls(self, ctx: Context, part: Budgets) -> list[Call]:
        """The budgets module call."""
        alerts = ctx.part("alerts")
        inputs = {
            "name": ctx.name,
            "monthly_limit_usd": part.monthly_limit_usd,
            "environment_budgets": dict(part.environments),
            "alerts_topic_arn": ref("alerts", "topic_arn"),
            "emails": list(part.emails) or list(getattr(alerts, "emails", [])),
            "anomaly_threshold_usd": part.anomaly_threshold_usd,
        }
        return [self.call("budgets", inputs, outputs=(("account_budget", "account_budget_name"),))]

    def problems(self, ctx: Context, part: Budgets) -> Iterator[Problem]:
        """An environment budget is for an environment of this account."""
        inventory = ctx.inventory
        if inventory is None:
            return
        account = inventory.root(ctx.env_name).account
        ours = [
            r.name
            for r in inventory.roots()
            if r.kind == "environment" and r.account and account and r.account.id == account.id
        ]
        for name in part.environments:
            if name not in ours:
                where = (self.key, "environments", name)
                yield (
                    where,
                    f"no environment '{name}' in this account (its: {', '.join(ours) or 'none'})",
                )


section = BudgetsSection()
