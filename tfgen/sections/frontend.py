"""``frontend``: the static site, a private S3 origin behind CloudFront."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from tfgen.rules import health_check_problems, label_problems
from tfgen.section import (
    US_EAST_1,
    Alarm,
    Call,
    CarriedWaiver,
    Context,
    Problem,
    Section,
    SectionModel,
    health_check_alarm,
    ref,
)


class Frontend(SectionModel):
    """Static site: private S3 origin behind CloudFront."""

    subdomain: str = "app"
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"
    health_check_path: str | None = Field(
        default=None, description="path a Route 53 health check of the site requests (us-east-1)"
    )


class FrontendSection(Section[Frontend]):
    """Served on ``<subdomain>.<dns domain>``, logged to the log bucket, behind WAF if enabled."""

    key = "frontend"
    model = Frontend
    order = 6
    modules = {"frontend": "frontend"}
    builds = (
        "static site: private S3 origin, CloudFront with OAC, TLS 1.2+, HSTS headers,"
        " us-east-1 certificate, alias records, a Route 53 health check with its alarm;"
        " with a DR region, the origin's replica there and an origin group failing over to it"
    )

    def calls(self, ctx: Context, part: Frontend) -> list[Call]:
        """The frontend module call."""
        inputs = {
            "name": ctx.name,
            "domain_name": _domain(ctx, part),
            "zone_id": ref("dns", "zone_id"),
            "web_acl_arn": ref("waf_cloudfront", "web_acl_arn") if ctx.has("waf") else None,
            "log_bucket_domain_name": ref("storage", "log_bucket_domain_name"),
            "price_class": part.price_class,
            "force_destroy": not ctx.env.deletion_protection,
        }
        dr = ctx.dr
        if dr is not None:
            # The site's replica in the DR region, which CloudFront turns to on failure.
            inputs["failover"] = {}
        if part.health_check_path is not None:
            inputs["health_check"] = {"path": part.health_check_path}
        oidc = ctx.github_oidc()
        if oidc is not None:
            # The frontend team's pipeline syncs the site and invalidates the CDN, no more.
            inputs["github_deploy"] = {
                "oidc_provider_arn": oidc[0],
                "subject": oidc[1],
                "role_name": f"tfgen-{ctx.env_name}-deploy-frontend",
            }
        outputs = (
            ("cdn_distribution_id", "distribution_id"),
            ("cdn_domain_name", "distribution_domain_name"),
            ("site_bucket_id", "bucket_id"),
        )
        # The default provider for the origin, us-east-1 for the certificate, the DR
        # region for the failover origin (the default one when there is none).
        providers = {"aws": None, US_EAST_1.ref: US_EAST_1, "aws.failover": dr}
        return [
            self.call(
                "frontend",
                inputs,
                providers=providers,
                outputs=outputs,
            )
        ]

    def waivers(self, ctx: Context, part: Frontend) -> list[CarriedWaiver]:
        """With WAF on, checkov cannot see the web ACL attached to the distribution by ARN."""
        if not ctx.has("waf"):
            return []
        reason = """The distribution's web ACL (the waf section's) includes
            AWSManagedRulesKnownBadInputsRuleSet, with the Log4j RCE rules; checkov cannot
            link a web ACL attached by ARN from another module."""
        return [
            self.waiver("CKV2_AWS_47", "module.frontend.aws_cloudfront_distribution.this", reason)
        ]

    def problems(self, ctx: Context, part: Frontend) -> Iterator[Problem]:
        """The subdomain is one DNS label; a health check path starts with a slash."""
        yield from label_problems((self.key, "subdomain"), part.subdomain)
        if part.health_check_path is not None:
            where = (self.key, "health_check_path")
            if not part.health_check_path.startswith("/"):
                yield where, "a path starting with '/'"
            yield from health_check_problems(where, ctx.env)

    def alarms(self, ctx: Context, part: Frontend) -> dict[str, Alarm]:
        """The site's health check."""
        if part.health_check_path is None:
            return {}
        site = f"https://{_domain(ctx, part)}{part.health_check_path}"
        return {"frontend-health": health_check_alarm(site, ref("frontend", "health_check_id"))}


def _domain(ctx: Context, part: Frontend) -> str:
    # Without dns the zone reference is refused; the name is never used then.
    domain = getattr(ctx.part("dns"), "domain", None)
    return f"{part.subdomain}.{domain}" if domain else part.subdomain


section = FrontendSection()
