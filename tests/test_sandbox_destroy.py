"""Before a sandbox destroy, what guards the environment's resources is lifted, and only theirs."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tfgen.sandbox import Sandbox
from tfgen.sandbox_destroy import prepare_destroy


def _database(rds: Any, name: str) -> dict[str, Any]:
    created: dict[str, Any] = rds.create_db_instance(
        DBInstanceIdentifier=name, DBInstanceClass="db.t4g.micro", Engine="postgres",
        MasterUsername="app", MasterUserPassword="secret123456", AllocatedStorage=20, DeletionProtection=True,
    )["DBInstance"]
    return created


def _resource(kind: str, name: str, attributes: dict[str, Any], module: str | None = None, index: str | None = None) -> dict[str, Any]:
    resource = {"mode": "managed", "type": kind, "name": name, "instances": [{"attributes": attributes}]}
    if module:
        resource["module"] = module
    if index is not None:
        resource["instances"][0]["index_key"] = index  # type: ignore[index]
    return resource


def _state(*resources: dict[str, Any]) -> str:
    return json.dumps({"version": 4, "resources": list(resources)})


def test_deletion_protection_is_lifted_on_the_states_resources_only(emulator: Sandbox, aws: boto3.Session) -> None:
    rds = aws.client("rds")
    ours = _database(rds, "prod-postgres")
    _database(rds, "other-postgres")
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.70.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    elbv2 = aws.client("elbv2")
    lb = elbv2.create_load_balancer(Name="prod", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}])

    state = _state(
        _resource("aws_db_instance", "this", {"arn": ours["DBInstanceArn"], "identifier": "prod-postgres", "deletion_protection": True}, "module.database"),
        _resource("aws_lb", "this", {"arn": lb, "enable_deletion_protection": True}, "module.service"),
        _resource("aws_sqs_queue", "q", {"arn": "arn:aws:sqs:us-east-1:123456789012:jobs"}, index="jobs"),
        {"mode": "data", "type": "aws_db_instance", "name": "read", "instances": [{"attributes": {"deletion_protection": True}}]},
    )
    done = prepare_destroy(state, emulator.boto3_session)

    assert done == [
        "lifted the deletion protection of module.database.aws_db_instance.this",
        "lifted the deletion protection of module.service.aws_lb.this",
    ]
    rds.delete_db_instance(DBInstanceIdentifier="prod-postgres", SkipFinalSnapshot=True)
    attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb)["Attributes"]
    assert {"Key": "deletion_protection.enabled", "Value": "false"} in attributes
    # What is not in the state keeps its protection.
    with pytest.raises(ClientError, match="protected"):
        rds.delete_db_instance(DBInstanceIdentifier="other-postgres", SkipFinalSnapshot=True)


def test_unforced_buckets_are_emptied_after_their_access_logging_stops(emulator: Sandbox, aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    for bucket in ("env-logs", "env-assets", "env-scratch"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    # As the storage module's log bucket: S3 may deliver logs, only over TLS.
    s3.put_bucket_policy(Bucket="env-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": "arn:aws:s3:::env-logs/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::env-logs", "arn:aws:s3:::env-logs/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ]}))
    s3.put_bucket_logging(
        Bucket="env-assets", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "env-logs", "TargetPrefix": "s3/assets/"}}
    )
    s3.put_object(Bucket="env-assets", Key="a", Body=b"1")
    s3.delete_object(Bucket="env-assets", Key="a")  # a version and a delete marker
    s3.put_object(Bucket="env-scratch", Key="kept", Body=b"1")
    assert s3.list_objects_v2(Bucket="env-logs").get("KeyCount", 0) > 0  # moto delivers access logs

    ecr = aws.client("ecr")
    ecr.create_repository(repositoryName="env-api")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": {}, "layers": []}
    ecr.put_image(repositoryName="env-api", imageManifest=json.dumps(manifest), imageTag="v1")

    state = _state(
        _resource("aws_s3_bucket", "logs", {"bucket": "env-logs", "arn": "arn:aws:s3:::env-logs", "region": "us-east-1", "force_destroy": False}, "module.storage"),
        _resource("aws_s3_bucket", "this", {"bucket": "env-assets", "arn": "arn:aws:s3:::env-assets", "region": "us-east-1", "force_destroy": False}, "module.storage", "assets"),
        _resource("aws_s3_bucket", "scratch", {"bucket": "env-scratch", "arn": "arn:aws:s3:::env-scratch", "region": "us-east-1", "force_destroy": True}),
        _resource("aws_s3_bucket_logging", "this", {"bucket": "env-assets", "target_bucket": "env-logs", "id": "env-assets"}, "module.storage", "assets"),
        _resource("aws_ecr_repository", "this", {"name": "env-api", "arn": "arn:aws:ecr:us-east-1:123456789012:repository/env-api", "force_delete": False}, "module.service", "api"),
    )
    done = prepare_destroy(state, emulator.boto3_session)

    assert done[0] == 'stopped the access logging of module.storage.aws_s3_bucket_logging.this["assets"]'
    assert done[1].startswith("emptied module.storage.aws_s3_bucket.logs (")
    assert done[2:] == [
        'emptied module.storage.aws_s3_bucket.this["assets"] (2 object versions)',
        'emptied module.service.aws_ecr_repository.this["api"] (1 images)',
    ]
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket="env-assets")
    for bucket in ("env-logs", "env-assets"):
        s3.delete_bucket(Bucket=bucket)
    # A bucket terraform empties itself (force_destroy) is left to terraform.
    assert s3.list_objects_v2(Bucket="env-scratch")["KeyCount"] == 1
    assert ecr.list_images(repositoryName="env-api")["imageIds"] == []


def test_an_empty_or_unguarded_state_lifts_nothing(emulator: Sandbox) -> None:
    assert prepare_destroy("", emulator.boto3_session) == []
    unprotected = _state(_resource("aws_db_instance", "x", {"arn": "arn:aws:rds:us-east-1:123456789012:db:x", "identifier": "x", "deletion_protection": False}))
    assert prepare_destroy(unprotected, emulator.boto3_session) == []
