"""CloudFront extensions, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _headers_policy(name: str) -> dict[str, Any]:
    return {
        "Name": name,
        "Comment": "security headers",
        "SecurityHeadersConfig": {
            "StrictTransportSecurity": {
                "Override": True,
                "AccessControlMaxAgeSec": 31536000,
                "IncludeSubdomains": True,
                "Preload": True,
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": "DENY"},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
        },
    }


def _distribution(oac: str, headers_policy: str, reference: str) -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "Comment": "app.example.com",
        "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": ["app.example.com"]},
        "DefaultRootObject": "index.html",
        "HttpVersion": "http2and3",
        "PriceClass": "PriceClass_100",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "site.s3.us-east-1.amazonaws.com",
                    "OriginAccessControlId": oac,
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"], "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": headers_policy,
        },
        "ViewerCertificate": {
            "ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/site",
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }


def test_response_headers_policy_lifecycle_with_etags(aws: boto3.Session) -> None:
    cloudfront = aws.client("cloudfront")
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_headers_policy("rhp"))
    assert created["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == _headers_policy("rhp")
    assert created["Location"].endswith(created["ResponseHeadersPolicy"]["Id"])
    policy_id, etag = created["ResponseHeadersPolicy"]["Id"], created["ETag"]

    read = cloudfront.get_response_headers_policy(Id=policy_id)
    assert read["ETag"] == etag
    assert read["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == _headers_policy("rhp")
    config = cloudfront.get_response_headers_policy_config(Id=policy_id)
    assert config["ResponseHeadersPolicyConfig"] == _headers_policy("rhp") and config["ETag"] == etag

    with pytest.raises(ClientError, match="ResponseHeadersPolicyAlreadyExists"):
        cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_headers_policy("rhp"))

    changed = _headers_policy("rhp") | {"Comment": "changed"}
    with pytest.raises(ClientError) as stale:
        cloudfront.update_response_headers_policy(Id=policy_id, IfMatch="stale", ResponseHeadersPolicyConfig=changed)
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"
    assert stale.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    updated = cloudfront.update_response_headers_policy(Id=policy_id, IfMatch=etag, ResponseHeadersPolicyConfig=changed)
    assert updated["ETag"] != etag
    assert updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"] == "changed"

    listed = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    assert [(i["Type"], i["ResponseHeadersPolicy"]["Id"]) for i in listed["Items"]] == [("custom", policy_id)]
    assert cloudfront.list_response_headers_policies(Type="managed")["ResponseHeadersPolicyList"]["Quantity"] == 0

    with pytest.raises(ClientError, match="InvalidIfMatchVersion"):
        cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch="")
    with pytest.raises(ClientError, match="PreconditionFailed"):
        cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=etag)
    cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as gone:
        cloudfront.get_response_headers_policy(Id=policy_id)
    assert gone.value.response["Error"]["Code"] == "NoSuchResponseHeadersPolicy"
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_distribution_reads_back_what_was_written(aws: boto3.Session) -> None:
    cloudfront = aws.client("cloudfront")
    oac = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "site",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    headers = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=_headers_policy("site"))
    headers_id = headers["ResponseHeadersPolicy"]["Id"]
    created = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": _distribution(oac, headers_id, "site"),
            "Tags": {"Items": [{"Key": "Name", "Value": "site"}]},
        }
    )["Distribution"]

    config = cloudfront.get_distribution(Id=created["Id"])["Distribution"]["DistributionConfig"]
    origin = config["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == oac
    behavior = config["DefaultCacheBehavior"]
    assert behavior["CachePolicyId"] == CACHING_OPTIMIZED
    assert behavior["ResponseHeadersPolicyId"] == headers_id
    for invented in ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"):
        assert invented not in behavior, invented
    viewer = config["ViewerCertificate"]
    assert viewer == {
        "CloudFrontDefaultCertificate": False,
        "ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/site",
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "Certificate": "arn:aws:acm:us-east-1:123456789012:certificate/site",
        "CertificateSource": "acm",
    }
    assert (config["HttpVersion"], config["PriceClass"]) == ("http2and3", "PriceClass_100")

    # A policy in use cannot go; the distribution first.
    with pytest.raises(ClientError, match="ResponseHeadersPolicyInUse"):
        cloudfront.delete_response_headers_policy(Id=headers_id, IfMatch=headers["ETag"])


def test_a_behavior_without_a_cache_policy_keeps_its_legacy_settings(aws: boto3.Session) -> None:
    cloudfront = aws.client("cloudfront")
    config = _distribution("", "", "legacy")
    del config["DefaultCacheBehavior"]["CachePolicyId"], config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    del config["Origins"]["Items"][0]["OriginAccessControlId"], config["ViewerCertificate"]
    config["DefaultCacheBehavior"]["ForwardedValues"] = {"QueryString": True, "Cookies": {"Forward": "none"}}
    config["DefaultCacheBehavior"]["MinTTL"] = 5
    created = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    behavior = created["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["ForwardedValues"]["QueryString"] is True and behavior["MinTTL"] == 5
    viewer = created["DistributionConfig"]["ViewerCertificate"]
    assert viewer["CloudFrontDefaultCertificate"] is True and viewer["CertificateSource"] == "cloudfront"
