"""Before a sandbox destroy: lift what guards the environment's resources from deletion.

A production environment guards its data: its database, load balancer and
DynamoDB tables have deletion protection, and its buckets and image repositories are not deleted
while they hold anything (no ``force_destroy``). The emulator honours all of it
as AWS does, so ``terraform destroy`` of prod stops at the database and at the
log bucket, which S3 server access logging keeps filling. In the sandbox's fake
account these guards protect nothing, and ``tfgen destroy prod --sandbox`` must
empty it. So, on the sandbox only, tfgen first lifts them, on exactly the
resources of the environment's state, and says what it did. On AWS nothing of
the kind happens: there, lifting them is a decision (``deletion_protection:
false`` in the inventory, then an apply).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3

# A region's boto3 session in the sandbox.
SessionFor = Callable[[str], boto3.Session]


@dataclass(frozen=True)
class Instance:
    """One managed resource instance of a terraform state."""

    address: str
    type: str
    attributes: dict[str, Any]

    @property
    def region(self) -> str:
        """The region of the resource, from its ARN or its ``region`` attribute."""
        arn = str(self.attributes.get("arn") or "")
        parts = arn.split(":")
        if len(parts) > 4 and parts[3]:
            return parts[3]
        return str(self.attributes.get("region") or "us-east-1")


def prepare_destroy(state: str, session_for: SessionFor) -> list[str]:
    """Lift deletion protection and empty unforced buckets and repositories of a state.

    Args:
        state: The environment's state, as ``terraform state pull`` prints it.
        session_for: Gives a boto3 session on the sandbox for a region.

    Returns:
        One line per thing done, naming the resource by its address.
    """
    instances = list(_instances(state))
    done = [line for instance in instances if (line := _lift(instance, session_for))]
    kept_buckets = {
        str(i.attributes["bucket"]): i
        for i in instances
        if i.type == "aws_s3_bucket" and not i.attributes.get("force_destroy")
    }
    # Logs written during the destroy (its own reads) would fill a bucket again.
    for logging in (i for i in instances if i.type == "aws_s3_bucket_logging"):
        if logging.attributes.get("target_bucket") in kept_buckets:
            session_for(logging.region).client("s3").put_bucket_logging(
                Bucket=logging.attributes["bucket"], BucketLoggingStatus={}
            )
            done.append(f"stopped the access logging of {logging.address}")
    for bucket in kept_buckets.values():
        removed = _empty_bucket(session_for(bucket.region), str(bucket.attributes["bucket"]))
        if removed:
            done.append(f"emptied {bucket.address} ({removed} object versions)")
    for repository in (i for i in instances if i.type == "aws_ecr_repository"):
        if not repository.attributes.get("force_delete"):
            session = session_for(repository.region)
            removed = _empty_repository(session, str(repository.attributes["name"]))
            if removed:
                done.append(f"emptied {repository.address} ({removed} images)")
    return done


def _lift(instance: Instance, session_for: SessionFor) -> str | None:
    attributes = instance.attributes
    if instance.type == "aws_db_instance" and attributes.get("deletion_protection"):
        session_for(instance.region).client("rds").modify_db_instance(
            DBInstanceIdentifier=attributes["identifier"],
            DeletionProtection=False,
            ApplyImmediately=True,
        )
    elif instance.type == "aws_rds_cluster" and attributes.get("deletion_protection"):
        session_for(instance.region).client("rds").modify_db_cluster(
            DBClusterIdentifier=attributes["cluster_identifier"],
            DeletionProtection=False,
            ApplyImmediately=True,
        )
    elif instance.type == "aws_dynamodb_table" and attributes.get("deletion_protection_enabled"):
        session_for(instance.region).client("dynamodb").update_table(
            TableName=attributes["name"], DeletionProtectionEnabled=False
        )
    elif instance.type in ("aws_lb", "aws_alb") and attributes.get("enable_deletion_protection"):
        session_for(instance.region).client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=attributes["arn"],
            Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
        )
    else:
        return None
    return f"lifted the deletion protection of {instance.address}"


def _empty_bucket(session: boto3.Session, bucket: str) -> int:
    s3 = session.client("s3")
    removed = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        if versions:
            s3.delete_objects(
                Bucket=bucket,
                Delete={
                    "Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions],
                    "Quiet": True,
                },
            )
            removed += len(versions)
    return removed


def _empty_repository(session: boto3.Session, name: str) -> int:
    ecr = session.client("ecr")
    images = [
        image
        for page in ecr.get_paginator("list_images").paginate(repositoryName=name)
        for image in page.get("imageIds", [])
    ]
    if images:
        ecr.batch_delete_image(repositoryName=name, imageIds=images)
    return len(images)


def _instances(state: str) -> Iterator[Instance]:
    """Each managed resource instance of a state, with its address."""
    if not state.strip():
        return
    for resource in json.loads(state).get("resources", []):
        if resource.get("mode") != "managed":
            continue
        module = f"{resource['module']}." if resource.get("module") else ""
        base = f"{module}{resource['type']}.{resource['name']}"
        for instance in resource.get("instances", []):
            key = instance.get("index_key")
            index = "" if key is None else f"[{json.dumps(key)}]"
            yield Instance(f"{base}{index}", resource["type"], instance.get("attributes", {}))
