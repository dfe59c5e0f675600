"""S3: a bucket policy statement applies only when its condition holds.

moto 5.2 skips condition operators it does not know, ``Bool`` among them, so the
statement every hardened bucket carries, "deny ``s3:*`` when
``aws:SecureTransport`` is false", denied every object request: nothing could be
read from, written to or deleted out of such a bucket (a destroy could not empty
one, a log bucket access logs had reached included; a Glue job's script could
not be uploaded). It also answers DENIED for any statement whose condition
fails, even an Allow, where AWS just skips the statement, and applies a bucket
policy's statements whatever principal they name.

Here conditions are judged as AWS does, on the request's context: ``Bool``, the
string and ARN operators (equals, like, their negations). A key the context
lacks fails its condition (unless ``...IfExists``; moto let it pass), except
under a negated operator, as in IAM; under an operator this does not know it
fails too (the sandbox errs towards letting requests through). A failed
condition makes the statement not apply. S3 requests count as made over TLS:
the emulator stands in for AWS's endpoints, all HTTPS. A bucket policy
statement naming principals other than everyone is left out: the sandbox does
not know who asks.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import boto3
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Statement = IAMPolicyStatement
    _Bucket = FakeBucket
else:
    _Statement = _Bucket = object

# What every request to an AWS endpoint carries: they are all HTTPS.
REQUEST_CONTEXT: Mapping[str, str] = {"aws:SecureTransport": "true"}


def _equals(expected: list[str], actual: str) -> bool:
    return actual in expected


def _equals_ignore_case(expected: list[str], actual: str) -> bool:
    return actual.lower() in {value.lower() for value in expected}


def _like(expected: list[str], actual: str) -> bool:
    return any(fnmatch.fnmatchcase(actual, value) for value in expected)


# Operators by their positive name; "Not" in an operator's name negates it. ArnEquals
# takes wildcards as ArnLike does.
OPERATORS: Mapping[str, Callable[[list[str], str], bool]] = {
    "StringEquals": _equals,
    "StringEqualsIgnoreCase": _equals_ignore_case,
    "StringLike": _like,
    "ArnEquals": _like,
    "ArnLike": _like,
    "Bool": _equals_ignore_case,
}


def condition_holds(conditions: dict[str, dict[str, Any]], context: Mapping[str, str]) -> bool:
    """Whether every condition of a statement holds for a request's context.

    A key the context lacks fails its condition, but for ``...IfExists`` and the
    negated operators this knows; operators this does not know are otherwise
    ignored, as moto does.
    """
    for operator, tests in conditions.items():
        if_exists = operator.endswith("IfExists")
        name = operator.removesuffix("IfExists")
        negated = "Not" in name
        evaluate = OPERATORS.get(name.replace("Not", ""))
        for key, expected in tests.items():
            if key not in context:
                if if_exists or (negated and evaluate is not None):
                    continue
                return False
            if evaluate is None:
                continue
            values = [str(v) for v in (expected if isinstance(expected, list) else [expected])]
            if evaluate(values, context[key]) == negated:
                return False
    return True


def _everyone(principal: Any) -> bool:
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    return bool(principal == "*" or principal == ["*"])


class ConditionalStatement(_Statement):
    """Methods for moto's ``IAMPolicyStatement``."""

    def _check_conditions(self, incoming_condition_values: dict[str, str] | None) -> bool:
        conditions = self._statement.get("Condition")
        return not conditions or condition_holds(conditions, incoming_condition_values or {})

    def is_action_permitted(
        self,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> PermissionResult:
        """Whether the statement allows or denies the action; NEUTRAL if it does not apply."""
        if "NotAction" in self._statement:
            concerned = not self._check_element_matches("NotAction", action)
        else:
            concerned = self._check_element_matches("Action", action)
        named = self._statement.get("Principal")
        if not concerned or self.is_unknown_principal(named):
            return PermissionResult.NEUTRAL
        if principal is None and named is not None and not _everyone(named):
            return PermissionResult.NEUTRAL  # someone else's statement: the caller is unknown
        if principal and not self._check_principal(principal):
            return PermissionResult.DENIED
        if not self._check_conditions(incoming_condition_values):
            return PermissionResult.NEUTRAL
        if not self._statement.get("Resource"):
            return PermissionResult.PERMITTED  # a trust policy: no resource
        if not self._check_element_matches("Resource", resource):
            return PermissionResult.NEUTRAL
        if self._statement["Effect"] == "Allow":
            return PermissionResult.PERMITTED
        return PermissionResult.DENIED


class TlsBucket(_Bucket):
    """Methods for moto's ``FakeBucket``."""

    def get_permission(self, action: str, resource: str) -> Any:
        """What the bucket policy says of an action on a resource, for a request over TLS."""
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = IAMPolicy(self.policy.decode())
        return policy.is_action_permitted(
            action, resource, incoming_condition_values=dict(REQUEST_CONTEXT)
        )


def check(session: boto3.Session) -> bool:
    """Objects of a TLS-only bucket can be written, read and deleted; a real deny holds.

    A deny conditioned on a key the request lacks does not apply.
    """
    s3 = session.client("s3")
    s3.create_bucket(Bucket="ext-tls-only")
    s3.put_bucket_versioning(Bucket="ext-tls-only", VersioningConfiguration={"Status": "Enabled"})
    resources = ["arn:aws:s3:::ext-tls-only", "arn:aws:s3:::ext-tls-only/*"]
    statements = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": resources,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            # The request carries no aws:SourceArn: this statement does not apply.
            "Sid": "OnlyTheTrailDeletes",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteObject",
            "Resource": resources,
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*"}},
        },
        {
            "Sid": "NoDeletesOfRecords",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteObject",
            "Resource": "arn:aws:s3:::ext-tls-only/records/*",
        },
    ]
    s3.put_bucket_policy(
        Bucket="ext-tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements})
    )
    s3.put_object(Bucket="ext-tls-only", Key="site/index.html", Body=b"<html/>")
    s3.put_object(Bucket="ext-tls-only", Key="records/2026", Body=b"kept")
    body = s3.get_object(Bucket="ext-tls-only", Key="site/index.html")["Body"].read()
    versions = s3.list_object_versions(Bucket="ext-tls-only")["Versions"]
    answer = s3.delete_objects(
        Bucket="ext-tls-only",
        Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]},
    )
    denied = [error["Key"] for error in answer.get("Errors", [])]
    return bool(body == b"<html/>" and denied == ["records/2026"])


EXTENSION = Extension(
    name="s3_bucket_policy_conditions",
    summary="bucket policy statements apply only when their condition holds (Bool, string and"
    " ARN operators, negations; a key the request lacks fails it, but under a negation);"
    " requests count as made over TLS",
    operations=("PutObject", "GetObject", "DeleteObject", "DeleteObjects"),
    grafts=(
        Graft(IAMPolicyStatement, ConditionalStatement),
        Graft(FakeBucket, TlsBucket),
    ),
    check=check,
)
