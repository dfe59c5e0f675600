"""``alerts`` (accounts): the alerts topic every baseline alarm and finding goes to."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.rules import EMAIL
from tfgen.section import Call, Context, Problem, Section, SectionModel


class Alerts(SectionModel):
    """The account's alerts topic and who gets its e-mails."""

    emails: list[str] = Field(default_factory=list)


class AlertsSection(Section[Alerts]):
    """A KMS-encrypted topic that only the account's alarm and finding services may publish to."""

    key = "alerts"
    scope = "account"
    model = Alerts
    order = 100
    modules = {"alerts": "account-alerts"}
    builds = (
        "the account's alerts SNS topic (its own KMS key, TLS-only, publishable by CloudWatch,"
        " EventBridge, Budgets and cost anomaly detection of the account only), e-mail subscribers"
    )

    def calls(self, ctx: Context, part: Alerts) -> list[Call]:
        """The account-alerts module call."""
        inputs = {
            "name": ctx.name,
            "emails": list(part.emails),
            "deletion_window_in_days": 30 if ctx.env.deletion_protection else 7,
        }
        return [self.call("alerts", inputs, outputs=(("alerts_topic_arn", "topic_arn"),))]

    def problems(self, ctx: Context, part: Alerts) -> Iterator[Problem]:
        """Real e-mail addresses."""
        for index, email in enumerate(part.emails):
            if not EMAIL.match(email):
                yield (self.key, "emails", index), f"'{email}' is not an e-mail address"


section = AlertsSection()
