"""Read-back extensions of the GPU capacity and the streams (EC2, ECS, Kinesis), round trips
through boto3 against a running sandbox server."""

from __future__ import annotations

import boto3


def test_launch_template_tags_stay_on_the_template(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    data = {
        "InstanceType": "g5.xlarge",
        "TagSpecifications": [
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "gpu"}]},
            {"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "gpu"}]},
        ],
    }
    template = ec2.create_launch_template(
        LaunchTemplateName="gpu",
        LaunchTemplateData=data,
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Environment", "Value": "dev"}]}],
    )["LaunchTemplate"]
    assert template["Tags"] == [{"Key": "Environment", "Value": "dev"}]
    versions = ec2.describe_launch_template_versions(LaunchTemplateName="gpu", Versions=["$Latest"])
    assert versions["LaunchTemplateVersions"][0]["LaunchTemplateData"]["TagSpecifications"] == data["TagSpecifications"]
    # A second version has its own data only, too.
    ec2.create_launch_template_version(LaunchTemplateName="gpu", LaunchTemplateData={"InstanceType": "g5.2xlarge"})
    latest = ec2.describe_launch_template_versions(LaunchTemplateName="gpu", Versions=["$Latest"])
    assert "TagSpecifications" not in latest["LaunchTemplateVersions"][0]["LaunchTemplateData"]


def test_service_capacity_provider_strategy_is_kept(aws: boto3.Session) -> None:
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="gpu-cluster")
    ecs.register_task_definition(
        family="ai", requiresCompatibilities=["EC2"],
        containerDefinitions=[{"name": "ai", "image": "ai", "memory": 512, "resourceRequirements": [{"type": "GPU", "value": "1"}]}],
    )
    strategy = [{"capacityProvider": "gpu-cluster-gpu", "weight": 1, "base": 0}]
    ecs.create_service(cluster="gpu-cluster", serviceName="ai", taskDefinition="ai", desiredCount=1, capacityProviderStrategy=strategy)
    ecs.create_service(cluster="gpu-cluster", serviceName="api", taskDefinition="ai", desiredCount=1, launchType="FARGATE")
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster="gpu-cluster", services=["ai", "api"])["services"]}
    assert services["ai"]["capacityProviderStrategy"] == strategy
    assert "launchType" not in services["ai"]
    assert services["api"]["launchType"] == "FARGATE" and not services["api"].get("capacityProviderStrategy")
    moved = [{"capacityProvider": "gpu-cluster-gpu", "weight": 2, "base": 1}]
    ecs.update_service(cluster="gpu-cluster", service="ai", capacityProviderStrategy=moved)
    assert ecs.describe_services(cluster="gpu-cluster", services=["ai"])["services"][0]["capacityProviderStrategy"] == moved


def test_stream_tags_given_at_creation_are_kept(aws: boto3.Session) -> None:
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="clickstream", StreamModeDetails={"StreamMode": "ON_DEMAND"}, Tags={"Name": "clickstream", "Team": "data"})
    kinesis.add_tags_to_stream(StreamName="clickstream", Tags={"Environment": "dev"})
    tags = {t["Key"]: t["Value"] for t in kinesis.list_tags_for_stream(StreamName="clickstream")["Tags"]}
    assert tags == {"Name": "clickstream", "Team": "data", "Environment": "dev"}
    kinesis.create_stream(StreamName="untagged", ShardCount=1)
    assert kinesis.list_tags_for_stream(StreamName="untagged")["Tags"] == []
