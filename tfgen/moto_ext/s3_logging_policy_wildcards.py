"""S3: a log bucket's policy lets logging write where its resources say, wildcards included.

moto 5.2 turns on server access logging (PutBucketLogging) only when the target
bucket's policy has a statement for ``logging.s3.amazonaws.com`` whose one
``Resource`` string is exactly ``<bucket>/<prefix>*``, ``<bucket>/*`` or the
bucket. AWS evaluates the policy: a statement whose resources (a string or a
list) match the prefix with ``*`` and ``?`` wildcards lets the logging service
write there too, as the environment log bucket's statement for all of the
environment's buckets (``<log bucket>/s3/<env>-*``) does.
"""

from __future__ import annotations

import fnmatch
import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.s3.models import FakeBucket

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Bucket = FakeBucket
else:
    _Bucket = object

_LOGGING_SERVICE = "logging.s3.amazonaws.com"


class WildcardLoggingPolicyBucket(_Bucket):
    """Methods for moto's ``FakeBucket``."""

    @staticmethod
    def _log_permissions_enabled_policy(
        target_bucket: FakeBucket, target_prefix: str | None
    ) -> bool:
        """Whether the target's policy lets the logging service put objects under the prefix."""
        if not target_bucket.policy:
            return False
        # Any log object S3 would write under the prefix.
        log_object = (
            f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/{target_prefix or ''}log"
        )
        statements = json.loads(target_bucket.policy.decode())["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            if (
                statement.get("Effect") == "Allow"
                and _LOGGING_SERVICE in _as_list(statement.get("Principal", {}).get("Service"))
                and any(
                    action in ("s3:PutObject", "s3:*", "*")
                    for action in _as_list(statement.get("Action"))
                )
                and any(
                    fnmatch.fnmatchcase(log_object, pattern)
                    for pattern in _as_list(statement.get("Resource"))
                )
            ):
                return True
        return False


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check(session: boto3.Session) -> bool:
    """Logging is accepted into a bucket whose policy covers the prefix with a wildcard."""
    s3 = session.client("s3")
    for bucket in ("ext-logs", "ext-env-raw"):
        s3.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": _LOGGING_SERVICE},
                "Action": "s3:PutObject",
                "Resource": ["arn:aws:s3:::ext-logs/other/*", "arn:aws:s3:::ext-logs/s3/ext-env-*"],
            }
        ],
    }
    s3.put_bucket_policy(Bucket="ext-logs", Policy=json.dumps(policy))
    s3.put_bucket_logging(
        Bucket="ext-env-raw",
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "ext-logs", "TargetPrefix": "s3/ext-env-raw/"}
        },
    )
    logging = s3.get_bucket_logging(Bucket="ext-env-raw").get("LoggingEnabled", {})
    return bool(logging.get("TargetPrefix") == "s3/ext-env-raw/")


EXTENSION = Extension(
    name="s3_logging_policy_wildcards",
    summary=(
        "server access logging into a bucket whose policy grants the prefix with a wildcard or"
        " in a list of resources"
    ),
    operations=("PutBucketLogging",),
    grafts=(Graft(FakeBucket, WildcardLoggingPolicyBucket),),
    check=check,
)
