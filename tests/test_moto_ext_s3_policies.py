"""S3 bucket policy extensions, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_only(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_a_tls_only_bucket_takes_and_gives_objects(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="tls-scripts")
    s3.put_bucket_policy(Bucket="tls-scripts", Policy=_policy(_tls_only("tls-scripts")))
    s3.put_object(Bucket="tls-scripts", Key="scripts/curate.py", Body=b"print('curate')\n")
    assert s3.get_object(Bucket="tls-scripts", Key="scripts/curate.py")["Body"].read() == b"print('curate')\n"


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
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy({**deny, **({"Condition": condition} if condition else {})}))
    with pytest.raises(ClientError, match=r"\(403\)|AccessDenied"):
        s3.put_object(Bucket=bucket, Key="x", Body=b"x")


def test_a_deny_on_another_prefix_or_principal_does_not_apply(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="partly-closed")
    s3.put_bucket_policy(
        Bucket="partly-closed",
        Policy=_policy(
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
        Policy=_policy(_tls_only("env-logs"), _logging_statement(["arn:aws:s3:::env-logs/alb/*", "arn:aws:s3:::env-logs/s3/env-*"])),
    )
    _enable_logging(s3, "env-raw", "env-logs", "s3/env-raw/")
    _enable_logging(s3, "env-curated", "env-logs", "s3/env-curated/")
    assert s3.get_bucket_logging(Bucket="env-raw")["LoggingEnabled"]["TargetPrefix"] == "s3/env-raw/"
    # A prefix the policy does not cover is still refused, as before.
    with pytest.raises(ClientError, match="InvalidTargetBucketForLogging"):
        _enable_logging(s3, "other-bucket", "env-logs", "elsewhere/other-bucket/")
