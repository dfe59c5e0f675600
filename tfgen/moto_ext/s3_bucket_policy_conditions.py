"""S3: a bucket policy's statements apply only when their conditions hold.

moto 5.2 judges object requests (PutObject, GetObject...) against the bucket
policy but ignores every condition operator other than StringEquals: the
TLS-only statement every bucket of the platform carries (Deny ``s3:*`` when
``aws:SecureTransport`` is false) then refuses every object request, so no
object (a Glue job's script) could be uploaded. Here conditions are judged as
AWS does, on the request's context: the sandbox stands for AWS's HTTPS
endpoints, so its requests are made with TLS (``aws:SecureTransport`` true). A
condition on a key the context does not have holds only for negated operators
and ``...IfExists``; statements naming principals other than everyone are left
out, as moto does.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Bucket = FakeBucket
else:
    _Bucket = object

# What every request to the sandbox carries, as a request to AWS's endpoints would.
REQUEST_CONTEXT: Mapping[str, str] = {"aws:SecureTransport": "true"}


class ConditionalPolicyBucket(_Bucket):
    """Methods for moto's ``FakeBucket``."""

    def get_permission(self, action: str, resource: str) -> PermissionResult:
        """Whether the bucket policy denies, permits or says nothing about the request."""
        if self.policy is None:
            return PermissionResult.NEUTRAL
        statements = json.loads(self.policy.decode())["Statement"]
        result = PermissionResult.NEUTRAL
        for raw in statements if isinstance(statements, list) else [statements]:
            if not _applies(raw, action, resource):
                continue
            if raw.get("Effect") == "Deny":
                return PermissionResult.DENIED
            result = PermissionResult.PERMITTED
        return result


def _applies(raw: dict[str, Any], action: str, resource: str) -> bool:
    statement = IAMPolicyStatement(raw)
    if "NotAction" in raw:
        concerned = not statement._check_element_matches("NotAction", action)
    else:
        concerned = statement._check_element_matches("Action", action)
    return (
        concerned
        and _everyone(raw.get("Principal"))
        and statement._check_element_matches("Resource", resource)
        and all(
            _holds(operator, key, values)
            for operator, pairs in raw.get("Condition", {}).items()
            for key, values in pairs.items()
        )
    )


def _everyone(principal: Any) -> bool:
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    return bool(principal == "*" or principal == ["*"])


def _holds(operator: str, key: str, expected: Any) -> bool:
    values = [str(v) for v in (expected if isinstance(expected, list) else [expected])]
    negated = "Not" in operator
    if key not in REQUEST_CONTEXT:
        return negated or operator.endswith("IfExists")
    actual = REQUEST_CONTEXT[key]
    base = operator.removesuffix("IfExists").replace("Not", "")
    if base == "Bool":
        matched = actual.lower() in {v.lower() for v in values}
    elif base in ("StringLike", "ArnLike"):
        matched = any(fnmatch.fnmatchcase(actual, v) for v in values)
    elif base == "StringEqualsIgnoreCase":
        matched = actual.lower() in {v.lower() for v in values}
    else:  # StringEquals, ArnEquals, and what AWS compares as strings
        matched = actual in values
    return matched != negated


def check(session: boto3.Session) -> bool:
    """A TLS-only bucket takes objects (the sandbox is TLS); an unconditional deny still denies."""
    s3 = session.client("s3")

    def policy(bucket: str, condition: dict[str, Any]) -> str:
        statement = {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        }
        return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **condition}]})

    s3.create_bucket(Bucket="ext-tls-only")
    s3.put_bucket_policy(
        Bucket="ext-tls-only",
        Policy=policy("ext-tls-only", {"Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    )
    s3.put_object(Bucket="ext-tls-only", Key="script.py", Body=b"print()")
    s3.create_bucket(Bucket="ext-closed")
    s3.put_bucket_policy(Bucket="ext-closed", Policy=policy("ext-closed", {}))
    try:
        s3.put_object(Bucket="ext-closed", Key="script.py", Body=b"print()")
    except ClientError:
        return s3.get_object(Bucket="ext-tls-only", Key="script.py")["Body"].read() == b"print()"
    return False


EXTENSION = Extension(
    name="s3_bucket_policy_conditions",
    summary=(
        "bucket policies judged with their conditions, on a request made with TLS: a TLS-only"
        " bucket takes objects"
    ),
    operations=("PutObject", "GetObject"),
    grafts=(Graft(FakeBucket, ConditionalPolicyBucket),),
    check=check,
)
