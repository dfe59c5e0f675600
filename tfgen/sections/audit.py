"""``audit`` (accounts): CloudTrail in every region, with the CIS monitoring alarms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from tfgen.rules import retention_problems
from tfgen.section import Call, Context, Problem, Section, SectionModel, ref


class Audit(SectionModel):
    """The account's trail, its log group and the CIS 4.x alarms."""

    log_retention_days: int = 365
    s3_data_events: Literal["none", "write", "all"] = "write"


class AuditSection(Section[Audit]):
    """Multi-region, validated, KMS-encrypted, to its own bucket and to CloudWatch Logs."""

    key = "audit"
    scope = "account"
    model = Audit
    order = 110
    modules = {"audit": "audit"}
    builds = (
        "CloudTrail: multi-region, log-file validation, KMS, a dedicated versioned TLS-only"
        " bucket, CloudWatch Logs delivery, and the CIS metric filters and alarms (root use,"
        " sign-in without MFA, IAM policy and CloudTrail changes...) to the alerts topic"
    )

    def calls(self, ctx: Context, part: Audit) -> list[Call]:
        """The audit module call."""
        inputs = {
            "name": ctx.name,
            "alerts_topic_arn": ref("alerts", "topic_arn"),
            "log_retention_days": part.log_retention_days,
            "s3_data_events": part.s3_data_events,
            "deletion_window_in_days": 30 if ctx.env.deletion_protection else 7,
            "force_destroy": not ctx.env.deletion_protection,
        }
        return [self.call("audit", inputs, outputs=(("trail_arn", "trail_arn"),))]

    def problems(self, ctx: Context, part: Audit) -> Iterator[Problem]:
        """A retention CloudWatch accepts; a year at least in a production account."""
        yield from retention_problems(
            (self.key, "log_retention_days"), part.log_retention_days, ctx.env
        )


section = AuditSection()
