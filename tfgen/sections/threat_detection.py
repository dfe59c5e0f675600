"""``threat_detection`` (accounts): GuardDuty and Security Hub, findings to the alerts topic."""

from __future__ import annotations

from typing import Literal

from tfgen.section import Call, Context, Section, SectionModel, ref


class ThreatDetection(SectionModel):
    """GuardDuty's protections and Security Hub's standards."""

    min_finding_severity: Literal["LOW", "MEDIUM", "HIGH", "CRITICAL"] = "MEDIUM"


class ThreatDetectionSection(Section[ThreatDetection]):
    """Security Hub evaluates what Config records: it comes after config."""

    key = "threat_detection"
    scope = "account"
    model = ThreatDetection
    order = 130
    modules = {"threat_detection": "threat-detection"}
    builds = (
        "GuardDuty (S3 protection, EBS malware protection, ECS Fargate runtime monitoring),"
        " findings through EventBridge to the alerts topic; Security Hub with CIS AWS"
        " Foundations v3 and AWS Foundational Security Best Practices"
    )

    def calls(self, ctx: Context, part: ThreatDetection) -> list[Call]:
        """The threat-detection module call."""
        inputs = {
            "name": ctx.name,
            "alerts_topic_arn": ref("alerts", "topic_arn"),
            "min_finding_severity": part.min_finding_severity,
        }
        outputs = (("guardduty_detector_id", "guardduty_detector_id"),)
        # Security Hub's controls evaluate what Config records.
        return [self.call("threat_detection", inputs, outputs=outputs, after=("config",))]


section = ThreatDetectionSection()
