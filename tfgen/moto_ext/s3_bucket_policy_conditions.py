"""S3: bucket policy statements with conditions judged as IAM does when keys are absent.

moto 5.2 judges a bucket policy on one S3 call only, DeleteObjects, and gives the
judgement no request context: any statement with a ``Condition`` then counts as
a denial, whatever its effect. Every bucket tfgen makes has the TLS-only
statement (deny ``s3:*`` when ``aws:SecureTransport`` is false), so objects in
it could never be deleted in batches: a sandbox destroy could not empty the
log bucket once access logs had reached it. In IAM, a condition on a key the
request does not carry does not match, and the statement does not apply; the
emulator's plain-HTTP endpoint stands for AWS's HTTPS one, so the TLS-only
statement does not apply either. Statements without conditions are judged as
moto judges them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Bucket = FakeBucket
else:
    _Bucket = object


class ConditionedPolicyBucket(_Bucket):
    """Methods for moto's ``FakeBucket``."""

    def get_permission(self, action: str, resource: str) -> Any:
        """The bucket policy's verdict, without the statements whose conditions cannot match."""
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        document["Statement"] = [s for s in statements if not s.get("Condition")]
        if not document["Statement"]:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)


def check(session: boto3.Session) -> bool:
    """Objects of a versioned bucket with the TLS-only policy are deleted in a batch."""
    s3 = session.client("s3")
    s3.create_bucket(Bucket="ext-tls-only")
    s3.put_bucket_versioning(Bucket="ext-tls-only", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="ext-tls-only", Key="log", Body=b"x")
    statement = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::ext-tls-only", "arn:aws:s3:::ext-tls-only/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    s3.put_bucket_policy(Bucket="ext-tls-only", Policy=json.dumps(policy))
    versions = s3.list_object_versions(Bucket="ext-tls-only")["Versions"]
    answer = s3.delete_objects(
        Bucket="ext-tls-only",
        Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]},
    )
    left = s3.list_object_versions(Bucket="ext-tls-only").get("Versions", [])
    return bool(not answer.get("Errors") and left == [])


EXTENSION = Extension(
    name="s3_bucket_policy_conditions",
    summary="bucket policy statements whose condition keys a request lacks do not apply"
    " (DeleteObjects under the TLS-only policy)",
    operations=("DeleteObjects",),
    grafts=(Graft(FakeBucket, ConditionedPolicyBucket),),
    check=check,
)
