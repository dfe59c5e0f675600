"""Application Auto Scaling: tags on scalable targets.

moto 5.2 ignores the ``Tags`` of RegisterScalableTarget and has no TagResource,
UntagResource or ListTagsForResource (HTTP 500). The AWS provider lists a
target's tags after every create and read, so ``aws_appautoscaling_target``
could not be applied.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import boto3
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeScalableTarget,
)
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import JsonRESTError
from moto.utilities.tagging_service import TaggingService

from tfgen.moto_ext._extension import Extension, Graft


class ResourceNotFoundException(JsonRESTError):
    """The ARN names no scalable target."""

    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"Resource not found: {arn}")


if TYPE_CHECKING:
    _Backend = ApplicationAutoscalingBackend
    _Response = ApplicationAutoScalingResponse
else:
    _Backend = _Response = object


class ScalableTargetTagsBackend(_Backend):
    """Methods for moto's ``ApplicationAutoscalingBackend``."""

    tagger: TaggingService

    def extend_init(self) -> None:
        """Keep the tags of every scalable target, by ARN."""
        self.tagger = TaggingService()

    def _target_by_arn(self, arn: str) -> FakeScalableTarget:
        for by_resource in self.targets.values():
            for target in by_resource.values():
                if target.arn == arn:
                    return target
        raise ResourceNotFoundException(arn)

    def tag_resource(self, resource_arn: str, tags: dict[str, str]) -> None:
        """Add or overwrite tags of a scalable target."""
        self._target_by_arn(resource_arn)
        self.tagger.tag_resource(resource_arn, TaggingService.convert_dict_to_tags_input(tags))

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> None:
        """Remove tags of a scalable target by key."""
        self._target_by_arn(resource_arn)
        self.tagger.untag_resource_using_names(resource_arn, tag_keys)

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        """The tags of a scalable target."""
        self._target_by_arn(resource_arn)
        return self.tagger.get_tag_dict_for_resource(resource_arn)

    def deregister_scalable_target(self, namespace: str, r_id: str, dimension: str) -> None:
        """Deregister a target and forget its tags."""
        target = self.targets.get(dimension, {}).get(r_id)
        _moto_deregister(self, namespace, r_id, dimension)
        if target is not None:
            self.tagger.delete_all_tags_for_resource(target.arn)


_moto_deregister = ApplicationAutoscalingBackend.deregister_scalable_target
_moto_register_response = ApplicationAutoScalingResponse.register_scalable_target


class ScalableTargetTagsResponse(_Response):
    """Methods for moto's ``ApplicationAutoScalingResponse``."""

    if TYPE_CHECKING:

        @property
        def applicationautoscaling_backend(self) -> ScalableTargetTagsBackend:
            """The backend, with the methods above."""

    def register_scalable_target(self) -> str:
        """RegisterScalableTarget, keeping the ``Tags`` it is given."""
        answer: str = _moto_register_response(self)
        tags = self._get_param("Tags")
        if tags:
            arn = json.loads(answer)["ScalableTargetARN"]
            self.applicationautoscaling_backend.tag_resource(arn, tags)
        return answer

    def tag_resource(self) -> str:
        """TagResource."""
        self.applicationautoscaling_backend.tag_resource(
            self._get_param("ResourceARN"), self._get_param("Tags") or {}
        )
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource."""
        self.applicationautoscaling_backend.untag_resource(
            self._get_param("ResourceARN"), self._get_param("TagKeys") or []
        )
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource."""
        tags = self.applicationautoscaling_backend.list_tags_for_resource(
            self._get_param("ResourceARN")
        )
        return json.dumps({"Tags": tags})


def check(session: boto3.Session) -> bool:
    """A target registered with tags lists them; tag and untag change them."""
    ecs = session.client("ecs")
    ecs.create_cluster(clusterName="ext-check")
    ecs.register_task_definition(
        family="ext-check", containerDefinitions=[{"name": "app", "image": "app", "memory": 128}]
    )
    ecs.create_service(
        cluster="ext-check", serviceName="app", taskDefinition="ext-check", desiredCount=1
    )
    scaling = session.client("application-autoscaling")
    arn = scaling.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId="service/ext-check/app",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=1,
        MaxCapacity=2,
        Tags={"Team": "core"},
    )["ScalableTargetARN"]
    scaling.tag_resource(ResourceARN=arn, Tags={"Env": "dev"})
    scaling.untag_resource(ResourceARN=arn, TagKeys=["Team"])
    tags = scaling.list_tags_for_resource(ResourceARN=arn)["Tags"]
    return bool(tags == {"Env": "dev"})


EXTENSION = Extension(
    name="applicationautoscaling_tags",
    summary="tags on scalable targets, also those given to RegisterScalableTarget",
    operations=("TagResource", "UntagResource", "ListTagsForResource", "RegisterScalableTarget"),
    grafts=(
        Graft(ApplicationAutoscalingBackend, ScalableTargetTagsBackend),
        Graft(ApplicationAutoScalingResponse, ScalableTargetTagsResponse),
    ),
    check=check,
)
