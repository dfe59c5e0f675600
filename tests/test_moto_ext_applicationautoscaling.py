"""Application Auto Scaling extension, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


def test_scalable_target_tags_round_trip(aws: boto3.Session) -> None:
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="web")
    ecs.register_task_definition(family="api", containerDefinitions=[{"name": "api", "image": "api", "memory": 512}])
    ecs.create_service(cluster="web", serviceName="api", taskDefinition="api", desiredCount=1)
    scaling = aws.client("application-autoscaling")
    target = {"ServiceNamespace": "ecs", "ResourceId": "service/web/api", "ScalableDimension": "ecs:service:DesiredCount"}
    arn = scaling.register_scalable_target(**target, MinCapacity=1, MaxCapacity=3, Tags={"Name": "api"})["ScalableTargetARN"]
    assert scaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Name": "api"}

    # Registering again updates the target, keeps its ARN and its tags.
    again = scaling.register_scalable_target(**target, MinCapacity=2, MaxCapacity=4)["ScalableTargetARN"]
    assert again == arn
    scaling.tag_resource(ResourceARN=arn, Tags={"Team": "core"})
    scaling.untag_resource(ResourceARN=arn, TagKeys=["Name"])
    assert scaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Team": "core"}

    scaling.deregister_scalable_target(**target)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        scaling.list_tags_for_resource(ResourceARN=arn)
