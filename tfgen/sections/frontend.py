"""``frontend``: the static site, a private S3 origin behind CloudFront."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from tfgen.rules import label_problems
from tfgen.section import (
    US_EAST_1,
    Call,
    CarriedWaiver,
    Context,
    Problem,
    Section,
    SectionModel,
    ref,
)


class Frontend(SectionModel):
    """Static site: private S3 origin behind CloudFront."""

    subdomain: str = "app"
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"


class FrontendSection(Section[Frontend]):
    """Served on ``<subdomain>.<dns domain>``, logged to the log bucket, behind WAF if enabled."""

    key = "frontend"
    model = Frontend
    order = 6
    modules = {"frontend": "frontend"}
    builds = (
        "static site: private S3 origin, CloudFront with OAC, TLS 1.2+, HSTS headers,"
        " us-east-1 certificate, alias records"
    )

    def calls(self, ctx: Context, part: Frontend) -> list[Call]:
        """The frontend module call."""
        dns = ctx.part("dns")
        domain = getattr(dns, "domain", None)
        inputs = {
            "name": ctx.name,
            # Without dns the reference below is refused; the name is never used then.
            "domain_name": f"{part.subdomain}.{domain}" if domain else part.subdomain,
            "zone_id": ref("dns", "zone_id"),
            "web_acl_arn": ref("waf_cloudfront", "web_acl_arn") if ctx.has("waf") else None,
            "log_bucket_domain_name": ref("storage", "log_bucket_domain_name"),
            "price_class": part.price_class,
            "force_destroy": not ctx.env.deletion_protection,
        }
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
        # The default provider for the origin, us-east-1 for the certificate.
        providers = {"aws": None, US_EAST_1.ref: US_EAST_1}
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
        """The subdomain is one DNS label."""
        yield from label_problems((self.key, "subdomain"), part.subdomain)


section = FrontendSection()
