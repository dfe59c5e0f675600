"""ECS: the service settings moto drops at CreateService are kept and described.

moto 5.2 drops ``availabilityZoneRebalancing`` and ``capacityProviderStrategy``
on CreateService and never returns them, so every plan after the first wanted
to set the rebalancing again, and to replace every service placed by a
capacity provider strategy (the GPU services). (An UpdateService already stores
both: moto copies every given field onto the service.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

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


class CreateSettingsService(_Service):
    """Attributes for moto's ECS ``Service``."""

    # What AWS applies when CreateService does not say.
    availability_zone_rebalancing: str = "DISABLED"
    capacity_provider_strategy: list[dict[str, Any]] = []  # noqa: RUF012 (read-only default)


class CreateSettingsResponse(_Response):
    """Methods for moto's ``EC2ContainerServiceResponse``."""

    def create_service(self) -> ActionResult:
        """CreateService, keeping the AZ rebalancing and the capacity provider strategy."""
        result = _moto_create_service(self)
        service = cast(CreateSettingsService, result.result["service"])  # type: ignore[index]
        rebalancing = self._get_param("availabilityZoneRebalancing")
        if rebalancing:
            service.availability_zone_rebalancing = rebalancing
        strategy = self._get_param("capacityProviderStrategy")
        if strategy:
            # AWS describes a service placed by capacity providers without a launch type.
            service.capacity_provider_strategy = strategy
            service.launch_type = None
        return result


def check(session: boto3.Session) -> bool:
    """A service created with rebalancing on and a capacity provider strategy describes both."""
    ecs = session.client("ecs")
    ecs.create_cluster(clusterName="ext-create")
    ecs.register_task_definition(
        family="ext-create", containerDefinitions=[{"name": "app", "image": "app", "memory": 128}]
    )
    strategy = [{"capacityProvider": "ext-gpu", "weight": 1, "base": 0}]
    ecs.create_service(
        cluster="ext-create",
        serviceName="app",
        taskDefinition="ext-create",
        desiredCount=1,
        availabilityZoneRebalancing="ENABLED",
        capacityProviderStrategy=strategy,
    )
    service = ecs.describe_services(cluster="ext-create", services=["app"])["services"][0]
    return bool(
        service.get("availabilityZoneRebalancing") == "ENABLED"
        and service.get("capacityProviderStrategy") == strategy
    )


EXTENSION = Extension(
    name="ecs_service_create_settings",
    summary=(
        "a service's availabilityZoneRebalancing and capacityProviderStrategy are kept and"
        " described"
    ),
    operations=("CreateService", "DescribeServices"),
    grafts=(
        Graft(Service, CreateSettingsService),
        Graft(EC2ContainerServiceResponse, CreateSettingsResponse),
    ),
    check=check,
)
