"""``guardrails`` (accounts): safe defaults for everything made later in the account."""

from __future__ import annotations

from tfgen.section import Call, Context, Section, SectionModel


class Guardrails(SectionModel):
    """EBS encryption, the S3 public access block and IMDSv2, account-wide."""


class GuardrailsSection(Section[Guardrails]):
    """Defaults of the account, not of a resource: they cover what any root or person creates."""

    key = "guardrails"
    scope = "account"
    model = Guardrails
    order = 160
    modules = {"guardrails": "account-defaults"}
    builds = (
        "EBS encryption by default with a KMS key, the S3 account-level public access block,"
        " IMDSv2 required as the account's instance metadata default"
    )

    def calls(self, ctx: Context, part: Guardrails) -> list[Call]:
        """The account-defaults module call."""
        inputs = {
            "name": ctx.name,
            "deletion_window_in_days": 30 if ctx.env.deletion_protection else 7,
        }
        return [self.call("guardrails", inputs, outputs=(("ebs_kms_key_arn", "ebs_kms_key_arn"),))]


section = GuardrailsSection()
