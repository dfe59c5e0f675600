"""ECS: a service's ``availabilityZoneRebalancing`` reads back.

moto 5.2 drops the setting on CreateService and never returns it, so every plan
after the first wanted to set ``availability_zone_rebalancing`` again. (An
UpdateService already stores it: moto copies every given field onto the service.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import boto3
from moto.core.responses import ActionResult
from moto.ecs.models import Service
from moto.ecs.responses import EC2ContainerServiceResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Service = Service
    _Response = EC2ContainerServiceResponse
else:
    _Service = _Response = object

_moto_create_service = EC2ContainerServiceResponse.create_service


class AzRebalancingService(_Service):
    """Attributes for moto's ECS ``Service``."""

    # What AWS applies when CreateService does not say.
    availability_zone_rebalancing: str = "DISABLED"


class AzRebalancingResponse(_Response):
    """Methods for moto's ``EC2ContainerServiceResponse``."""

    def create_service(self) -> ActionResult:
        """CreateService, keeping ``availabilityZoneRebalancing``."""
        result = _moto_create_service(self)
        rebalancing = self._get_param("availabilityZoneRebalancing")
        if rebalancing:
            service = cast(AzRebalancingService, result.result["service"])  # type: ignore[index]
            service.availability_zone_rebalancing = rebalancing
        return result


def check(session: boto3.Session) -> bool:
    """A service created with rebalancing on describes it on."""
    ecs = session.client("ecs")
    ecs.create_cluster(clusterName="ext-az")
    ecs.register_task_definition(
        family="ext-az", containerDefinitions=[{"name": "app", "image": "app", "memory": 128}]
    )
    ecs.create_service(
        cluster="ext-az",
        serviceName="app",
        taskDefinition="ext-az",
        desiredCount=1,
        availabilityZoneRebalancing="ENABLED",
    )
    service = ecs.describe_services(cluster="ext-az", services=["app"])["services"][0]
    return bool(service.get("availabilityZoneRebalancing") == "ENABLED")


EXTENSION = Extension(
    name="ecs_availability_zone_rebalancing",
    summary="a service's availabilityZoneRebalancing is kept and described",
    operations=("CreateService", "DescribeServices"),
    grafts=(
        Graft(Service, AzRebalancingService),
        Graft(EC2ContainerServiceResponse, AzRebalancingResponse),
    ),
    check=check,
)
