"""S3: a bucket's replication rules read back as written.

moto 5.2 keeps the rules of PutBucketReplication but answers GetBucketReplication
with ``DeleteMarkerReplication`` always ``Disabled`` and without the rules'
``SourceSelectionCriteria`` (replicating SSE-KMS objects) and
``ExistingObjectReplication``, so every plan wanted to set them again. Each
rule is now answered as written; an empty filter reads ``Prefix ""`` as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.responses import ActionResult
from moto.s3.exceptions import ReplicationConfigurationNotFoundError
from moto.s3.responses import S3Response

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = S3Response
else:
    _Response = object

# What a rule may say besides its id, priority, status and destination.
_AS_WRITTEN = ("DeleteMarkerReplication", "SourceSelectionCriteria", "ExistingObjectReplication")


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    # The XML parser reads an empty element (<Prefix></Prefix>) as None.
    written = {
        key: "" if value is None else value for key, value in (rule.get("Filter") or {}).items()
    }
    answer = {
        "ID": rule["ID"],
        "Priority": rule["Priority"],
        "Status": rule["Status"],
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Filter": written or {"Prefix": ""},
        "Destination": rule["Destination"],
    }
    answer.update((key, rule[key]) for key in _AS_WRITTEN if rule.get(key))
    return answer


class ReplicationAsWrittenResponse(_Response):
    """Methods for moto's ``S3Response``."""

    def get_bucket_replication(self) -> Any:
        """GetBucketReplication: every rule as PutBucketReplication wrote it."""
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        configuration = {
            "Role": replication["Role"],
            "Rules": [_rule(rule) for rule in replication["Rule"]],
        }
        return self.serialized(ActionResult({"ReplicationConfiguration": configuration}))


_REPLICA_KEY = "arn:aws:kms:us-west-2:123456789012:key/x"


def check(session: boto3.Session) -> bool:
    """A rule replicating deletes and KMS-encrypted objects reads back so."""
    s3 = session.client("s3")
    for bucket in ("ext-source", "ext-replica"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    rule: dict[str, Any] = {
        "ID": "dr",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Enabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {
            "Bucket": "arn:aws:s3:::ext-replica",
            "StorageClass": "STANDARD_IA",
            "EncryptionConfiguration": {
                "ReplicaKmsKeyID": "arn:aws:kms:us-west-2:123456789012:key/x"
            },
        },
    }
    configuration: Any = {"Role": "arn:aws:iam::123456789012:role/r", "Rules": [rule]}
    s3.put_bucket_replication(Bucket="ext-source", ReplicationConfiguration=configuration)
    read = s3.get_bucket_replication(Bucket="ext-source")["ReplicationConfiguration"]["Rules"][0]
    return bool(
        read["DeleteMarkerReplication"] == {"Status": "Enabled"}
        and read["SourceSelectionCriteria"] == rule["SourceSelectionCriteria"]
        and read["Destination"] == rule["Destination"]
    )


EXTENSION = Extension(
    name="s3_replication_readback",
    summary="a bucket's replication rules read back as written (deletes, KMS-encrypted objects)",
    operations=("GetBucketReplication",),
    grafts=(Graft(S3Response, ReplicationAsWrittenResponse),),
    check=check,
)
