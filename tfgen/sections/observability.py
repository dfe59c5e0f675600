"""``observability``: the alerts topic, the alarms every section asks for, a dashboard.

A shared part: the alarms and graphs come from the enabled sections' ``alarms``
and ``graphs``; nothing here knows which sections exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from tfgen.rules import EMAIL, retention_problems
from tfgen.section import (
    Call,
    Context,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    enabled_sections,
    kms_key,
)


class Observability(SectionModel):
    """Log retention, the alerts topic, alarms and the dashboard."""

    log_retention_days: int = 365
    alert_emails: list[str] = Field(default_factory=list)


class ObservabilitySection(Section[Observability]):
    """Alarms notify the alerts topic, which e-mails the inventory's addresses."""

    key = "observability"
    model = Observability
    order = 90
    modules = {"observability": "observability"}
    builds = (
        "alerts topic and subscribers, the alarms each section asks for, a dashboard of"
        " their graphs"
    )

    def calls(self, ctx: Context, part: Observability) -> list[Call]:
        """The observability module call, with every enabled section's alarms and graphs."""
        alarms: dict[str, Any] = {}
        composites: dict[str, Any] = {}
        graphs: list[Any] = []
        for section, other in enabled_sections(ctx.env):
            alarms.update(
                (key, alarm.as_input()) for key, alarm in section.alarms(ctx, other).items()
            )
            composites.update(
                (key, alarm.as_input(ctx.name))
                for key, alarm in section.composite_alarms(ctx, other).items()
            )
            graphs += [graph.as_input() for graph in section.graphs(ctx, other)]
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": part.log_retention_days,
            "alert_emails": list(part.alert_emails),
            "alarms": alarms,
            **({"composite_alarms": composites} if composites else {}),
            "graphs": graphs,
        }
        outputs = (("alerts_topic_arn", "alerts_topic_arn"), ("dashboard_name", "dashboard_name"))
        return [self.call("observability", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Observability) -> Iterator[Problem]:
        """A retention CloudWatch accepts (a year in production); real e-mail addresses."""
        yield from retention_problems(
            (self.key, "log_retention_days"), part.log_retention_days, ctx.env
        )
        for index, email in enumerate(part.alert_emails):
            if not EMAIL.match(email):
                yield (self.key, "alert_emails", index), f"'{email}' is not an e-mail address"
        alarms = {
            key
            for section, other in enabled_sections(ctx.env)
            for key in section.alarms(ctx, other)
        }
        for section, other in enabled_sections(ctx.env):
            for key, composite in section.composite_alarms(ctx, other).items():
                for missing in sorted(set(composite.alarm_keys) - alarms):
                    yield (section.key,), f"composite alarm '{key}' names no alarm '{missing}'"

    def kms(self, ctx: Context, part: Observability) -> list[KmsUse]:
        """Alarms and EventBridge rules publish into the encrypted alerts topic."""
        return [
            KmsUse("data", "alerts topic", ("cloudwatch.amazonaws.com", "events.amazonaws.com")),
            KmsUse("logs", "CloudWatch Logs log groups"),
        ]


section = ObservabilitySection()
