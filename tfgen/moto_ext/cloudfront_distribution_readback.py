"""CloudFront: a distribution reads back what was written.

moto 5.2 drops an origin's ``OriginAccessControlId`` (so the AWS provider
replaced the origin on every plan), invents ``ForwardedValues`` and TTLs for a
cache behavior that names a cache policy (AWS returns neither: the policy says
what is cached), and reports a distribution with an ACM certificate as using
the CloudFront default certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.cloudfront.models import DefaultCacheBehaviour, Origin, ViewerCertificate

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Origin = Origin
    _Behavior = DefaultCacheBehaviour
    _Certificate = ViewerCertificate
else:
    _Origin = _Behavior = _Certificate = object

_moto_origin_init = Origin.__init__
_moto_behavior_init = DefaultCacheBehaviour.__init__


class OriginWithAccessControl(_Origin):
    """Methods for moto's CloudFront ``Origin``."""

    origin_access_control_id: str

    def __init__(self, origin: dict[str, Any]) -> None:
        _moto_origin_init(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""


class BehaviorWithCachePolicy(_Behavior):
    """Methods for moto's ``DefaultCacheBehaviour`` (and so ``CacheBehaviour``)."""

    def __init__(self, config: dict[str, Any]) -> None:
        _moto_behavior_init(self, config)
        if config.get("CachePolicyId"):
            # The legacy cache settings exist only for behaviors without a policy.
            self.forwarded_values = None  # type: ignore[assignment]
            self.min_ttl = self.default_ttl = self.max_ttl = None
        # Associations as written (moto answers none whatever was asked).
        for name, key in (
            ("lambda_function_associations", "LambdaFunctionAssociations"),
            ("function_associations", "FunctionAssociations"),
        ):
            if config.get(key):
                setattr(self, name, config[key])


class CertificateAsWritten(_Certificate):
    """Methods for moto's CloudFront ``ViewerCertificate``."""

    def __init__(self, config: dict[str, Any]) -> None:
        # Absent settings stay absent from the answer, as in AWS.
        self.acm_certificate_arn = config.get("ACMCertificateArn") or None
        self.iam_certificate_id = config.get("IAMCertificateId") or None
        own = self.acm_certificate_arn or self.iam_certificate_id
        self.cloud_front_default_certificate = bool(
            config.get("CloudFrontDefaultCertificate", not own)
        )
        self.ssl_support_method = config.get("SSLSupportMethod") or ("sni-only" if own else None)
        self.minimum_protocol_version = config.get("MinimumProtocolVersion") or "TLSv1"
        if self.acm_certificate_arn:
            self.certificate_source = "acm"
            self.certificate = self.acm_certificate_arn
        elif self.iam_certificate_id:
            self.certificate_source = "iam"
            self.certificate = self.iam_certificate_id
        else:
            self.certificate_source = "cloudfront"
            self.certificate = None


def check(session: boto3.Session) -> bool:
    """OAC id, cache policy and ACM certificate read back as written."""
    cloudfront = session.client("cloudfront")
    oac = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "ext-oac",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/ext"
    created = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "ext-readback",
            "Comment": "x",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": "ext-site.s3.us-east-1.amazonaws.com",
                        "OriginAccessControlId": oac,
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
            "ViewerCertificate": {
                "ACMCertificateArn": certificate,
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            },
        }
    )
    config = cloudfront.get_distribution_config(Id=created["Distribution"]["Id"])
    written = config["DistributionConfig"]
    behavior = written["DefaultCacheBehavior"]
    viewer = written["ViewerCertificate"]
    return bool(
        written["Origins"]["Items"][0].get("OriginAccessControlId") == oac
        and behavior.get("CachePolicyId") == "658327ea-f89d-4fab-a63d-7e88639e58f6"
        and "ForwardedValues" not in behavior
        and "MinTTL" not in behavior
        and viewer.get("ACMCertificateArn") == certificate
        and viewer.get("CloudFrontDefaultCertificate") is False
        and viewer.get("MinimumProtocolVersion") == "TLSv1.2_2021"
    )


EXTENSION = Extension(
    name="cloudfront_distribution_readback",
    summary="a distribution's OAC id, cache policy (no invented ForwardedValues)"
    " and viewer certificate read back as written",
    operations=("GetDistribution", "GetDistributionConfig", "CreateDistribution"),
    grafts=(
        Graft(Origin, OriginWithAccessControl),
        Graft(DefaultCacheBehaviour, BehaviorWithCachePolicy),
        Graft(ViewerCertificate, CertificateAsWritten),
    ),
    check=check,
)
