"""S3 bucket policy conditions, round trips through boto3 against a running sandbox server."""

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
    assert not condition_holds(source_ip, {})  # a missing key fails whatever the operator
    assert condition_holds(source_ip, {"aws:SourceIp": "192.0.2.1"})  # unknown operators: ignored, as moto does
