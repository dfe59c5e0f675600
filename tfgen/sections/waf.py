"""``waf``: WAFv2 web ACLs for what the environment exposes (the ALB, the CDN)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tfgen.section import US_EAST_1, Call, Context, KmsUse, Section, SectionModel, kms_key


class Waf(SectionModel):
    """WAFv2 web ACLs (regional for the ALB, CloudFront for the CDN)."""

    rate_limit: int = Field(default=2000, ge=100, le=2_000_000_000)


class WafSection(Section[Waf]):
    """A regional ACL when there is a load balancer, a CloudFront one when there is a CDN."""

    key = "waf"
    model = Waf
    order = 4
    modules = {"waf": "waf", "waf_cloudfront": "waf"}
    builds = (
        "WAFv2 web ACLs (AWS managed rule groups, rate limit, logging) for the ALB and"
        " for CloudFront"
    )

    def calls(self, ctx: Context, part: Waf) -> list[Call]:
        """One web ACL per scope in use; CloudFront's lives in us-east-1."""
        calls = []
        if ctx.has("compute"):
            calls.append(self.call("waf", _inputs(ctx, part, "REGIONAL")))
        if ctx.has("frontend"):
            cloudfront = _inputs(ctx, part, "CLOUDFRONT")
            calls.append(self.call("waf_cloudfront", cloudfront, providers={"aws": US_EAST_1}))
        return calls

    def kms(self, ctx: Context, part: Waf) -> list[KmsUse]:
        """WAF logs go to encrypted log groups."""
        return [KmsUse("logs", "CloudWatch Logs log groups")]


def _inputs(ctx: Context, part: Waf, scope: str) -> dict[str, Any]:
    return {
        "name": ctx.name,
        "scope": scope,
        "rate_limit": part.rate_limit,
        "log_retention_days": ctx.log_retention_days,
        "log_kms_key_arn": kms_key("logs"),
    }


section = WafSection()
