"""S3 bucket policies in the sandbox (conditions, logging grants), round trips through boto3 against a running sandbox server."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def _policy(bucket: str, *statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_objects_of_a_tls_only_bucket_can_be_written_read_and_deleted(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="tls-only")
    s3.put_bucket_versioning(Bucket="tls-only", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_policy(Bucket="tls-only", Policy=_policy("tls-only", _tls_only("tls-only")))
    s3.put_object(Bucket="tls-only", Key="index.html", Body=b"<html/>")
    assert s3.get_object(Bucket="tls-only", Key="index.html")["Body"].read() == b"<html/>"
    versions = s3.list_object_versions(Bucket="tls-only")["Versions"]
    answer = s3.delete_objects(Bucket="tls-only", Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]})
    assert answer.get("Errors", []) == []
    s3.delete_bucket(Bucket="tls-only")


def test_a_deny_whose_condition_holds_or_that_has_none_still_denies(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="guarded")
    s3.put_object(Bucket="guarded", Key="records/1", Body=b"1")
    s3.put_object(Bucket="guarded", Key="public/1", Body=b"1")
    s3.put_bucket_policy(Bucket="guarded", Policy=_policy(
        "guarded",
        {"Sid": "NoRecordDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::guarded/records/*"},
        {"Sid": "TlsRequired", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::guarded/public/*",
         "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ))
    answer = s3.delete_objects(Bucket="guarded", Delete={"Objects": [{"Key": "records/1"}]})
    assert [e["Code"] for e in answer["Errors"]] == ["AccessDenied"]
    with pytest.raises(ClientError, match=r"403|AccessDenied|Forbidden"):
        s3.get_object(Bucket="guarded", Key="public/1")


def test_a_statement_whose_condition_fails_does_not_apply(aws: boto3.Session) -> None:
    # CloudFront's read access through OAC: an Allow for a service principal,
    # conditioned on the distribution's ARN. It grants this caller nothing, and
    # denies it nothing either.
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="site")
    s3.put_bucket_policy(Bucket="site", Policy=_policy(
        "site",
        {"Sid": "CloudFront", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/X"}}},
        _tls_only("site"),
    ))
    s3.put_object(Bucket="site", Key="index.html", Body=b"ok")
    assert s3.get_object(Bucket="site", Key="index.html")["Body"].read() == b"ok"


def test_conditions_are_evaluated_as_aws_does() -> None:
    from tfgen.moto_ext.s3_bucket_policy_conditions import condition_holds

    tls = {"Bool": {"aws:SecureTransport": "false"}}
    assert condition_holds(tls, {"aws:SecureTransport": "false"})
    assert not condition_holds(tls, {"aws:SecureTransport": "true"})
    assert not condition_holds(tls, {})  # a missing key fails the condition
    if_exists = {"StringEqualsIfExists": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}
    assert condition_holds(if_exists, {})  # ...unless IfExists
    assert condition_holds(if_exists, {"aws:SourceVpce": "vpce-2"})
    assert not condition_holds(if_exists, {"aws:SourceVpce": "vpce-3"})
    source_ip = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    assert not condition_holds(source_ip, {})  # a missing key fails an operator this does not know
    assert condition_holds(source_ip, {"aws:SourceIp": "192.0.2.1"})  # unknown operators: ignored, as moto does
    not_vpce = {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}
    assert condition_holds(not_vpce, {})  # a negated operator holds on a missing key, as in AWS
    assert not condition_holds(not_vpce, {"aws:SourceVpce": "vpce-1"})
    source = {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::env-*"}}
    assert condition_holds(source, {"aws:SourceArn": "arn:aws:s3:::env-raw"})
    assert not condition_holds(source, {"aws:SourceArn": "arn:aws:s3:::other"})
    assert not condition_holds({"StringNotLike": {"s3:prefix": "logs/*"}}, {"s3:prefix": "logs/a"})


@pytest.mark.parametrize(
    "condition",
    [
        {},  # no condition: always applies
        {"Bool": {"aws:SecureTransport": "true"}},  # holds for the sandbox's requests
        {"StringNotEquals": {"aws:SourceVpce": "vpce-1234"}},  # a key the request lacks
    ],
)
def test_a_deny_whose_condition_holds_still_denies(aws: boto3.Session, condition: dict[str, Any]) -> None:
    s3 = aws.client("s3")
    bucket = f"closed-{len(json.dumps(condition))}"
    s3.create_bucket(Bucket=bucket)
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy(bucket, {**deny, **({"Condition": condition} if condition else {})}))
    with pytest.raises(ClientError, match=r"\(403\)|AccessDenied"):
        s3.put_object(Bucket=bucket, Key="x", Body=b"x")


def test_a_deny_on_another_prefix_or_principal_does_not_apply(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="partly-closed")
    s3.put_bucket_policy(
        Bucket="partly-closed",
        Policy=_policy(
            "partly-closed",
            {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::partly-closed/locked/*"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::partly-closed/*"},
        ),
    )
    s3.put_object(Bucket="partly-closed", Key="open/x", Body=b"x")
    with pytest.raises(ClientError, match=r"\(403\)|AccessDenied"):
        s3.put_object(Bucket="partly-closed", Key="locked/x", Body=b"x")


def _logging_statement(resource: str | list[str]) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": resource,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::env-*"}},
    }


def _enable_logging(s3: Any, bucket: str, target: str, prefix: str) -> None:
    s3.put_bucket_logging(
        Bucket=bucket,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": prefix}},
    )


def test_logging_into_a_bucket_that_grants_the_prefix_by_wildcard(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    for bucket in ("env-logs", "env-raw", "env-curated", "other-bucket"):
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(
        Bucket="env-logs",
        Policy=_policy("env-logs", _tls_only("env-logs"), _logging_statement(["arn:aws:s3:::env-logs/alb/*", "arn:aws:s3:::env-logs/s3/env-*"])),
    )
    _enable_logging(s3, "env-raw", "env-logs", "s3/env-raw/")
    _enable_logging(s3, "env-curated", "env-logs", "s3/env-curated/")
    assert s3.get_bucket_logging(Bucket="env-raw")["LoggingEnabled"]["TargetPrefix"] == "s3/env-raw/"
    # A prefix the policy does not cover is still refused, as before.
    with pytest.raises(ClientError, match="InvalidTargetBucketForLogging"):
        _enable_logging(s3, "other-bucket", "env-logs", "elsewhere/other-bucket/")
