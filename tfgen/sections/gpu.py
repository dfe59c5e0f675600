"""``gpu``: GPU container instances for the compute services that ask for GPUs.

An ECS capacity provider backed by an auto scaling group of GPU instances
(AWS's ECS GPU-optimized AMI, IMDSv2, encrypted volumes, no SSH key, Session
Manager only). A compute service with ``gpu: N`` runs on it: its module call
then refers to this section's capacity provider, so asking for GPUs where this
section is off is refused by composition, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.hcl import Expr
from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    Problem,
    Section,
    SectionModel,
    ref,
)

# NVIDIA GPUs per instance type: a task's GPUs must fit on one instance.
GPUS_PER_INSTANCE = {
    **{f"g4dn.{size}": 1 for size in ("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge")},
    "g4dn.12xlarge": 4,
    "g4dn.metal": 8,
    **{
        f"{family}.{size}": 1
        for family in ("g5", "g6")
        for size in ("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge")
    },
    **{f"{family}.{size}": 4 for family in ("g5", "g6") for size in ("12xlarge", "24xlarge")},
    **{f"{family}.48xlarge": 8 for family in ("g5", "g6")},
    "p3.2xlarge": 1,
    "p3.8xlarge": 4,
    "p3.16xlarge": 8,
    "p4d.24xlarge": 8,
    "p5.48xlarge": 8,
}
# Managed scaling aims at this reservation; above it for long, tasks wait for GPUs.
CAPACITY_RESERVATION_PERCENT = 100


class Gpu(SectionModel):
    """An auto scaling group of GPU instances, as an ECS capacity provider."""

    instance_type: str = "g5.xlarge"
    min_instances: int = Field(default=0, ge=0, description="0: none run while no task needs one")
    max_instances: int = Field(default=1, ge=1, le=100)
    target_capacity_percent: int = Field(default=100, ge=1, le=100)
    root_volume_gib: int = Field(default=100, ge=30, le=16384)


class GpuSection(Section[Gpu]):
    """Joins the compute section's cluster; managed scaling follows the GPU tasks."""

    key = "gpu"
    model = Gpu
    order = 14
    modules = {"gpu": "gpu"}
    builds = (
        "an ECS capacity provider of GPU instances (ECS GPU-optimized AMI from its public SSM"
        " parameter, IMDSv2, encrypted EBS, no SSH: Session Manager), managed scaling down to"
        " zero; compute services with `gpu: N` run on it"
    )

    def calls(self, ctx: Context, part: Gpu) -> list[Call]:
        """The gpu module call."""
        inputs = {
            "name": ctx.name,
            "cluster_name": ref("service", "cluster_name"),
            "vpc_id": ref("network", "vpc_id"),
            "subnet_ids": ref("network", "private_subnet_ids"),
            "instance_type": part.instance_type,
            "min_size": part.min_instances,
            "max_size": part.max_instances,
            "target_capacity": part.target_capacity_percent,
            "root_volume_size": part.root_volume_gib,
        }
        outputs = (("gpu_capacity_provider_name", "capacity_provider_name"),)
        return [self.call("gpu", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Gpu) -> Iterator[Problem]:
        """A known GPU type; room for every GPU task; two instances at least in production."""
        gpus = GPUS_PER_INSTANCE.get(part.instance_type)
        if gpus is None:
            known = ", ".join(sorted(GPUS_PER_INSTANCE))
            yield (self.key, "instance_type"), f"not a GPU instance type tfgen knows ({known})"
        if part.min_instances > part.max_instances:
            message = f"min_instances {part.min_instances} is above max_instances"
            yield (self.key, "min_instances"), message
        if ctx.env.production and part.max_instances < 2:
            message = "production GPU capacity needs max_instances >= 2 (an instance per AZ)"
            yield (self.key, "max_instances"), message
        if gpus is None:
            return
        compute = ctx.part("compute") if ctx.has("compute") else None
        demand = 0
        for name, service in (compute.services if compute else {}).items():
            if service.gpu > gpus:
                where = ("compute", "services", name, "gpu")
                yield where, f"a task's {service.gpu} GPUs do not fit on one {part.instance_type}"
            demand += service.gpu * service.max_count
        if demand > gpus * part.max_instances:
            message = (
                f"the GPU services may run tasks needing {demand} GPUs (gpu x max_count), more"
                f" than {part.max_instances} x {part.instance_type} hold ({gpus} each)"
            )
            yield (self.key, "max_instances"), message

    def alarms(self, ctx: Context, part: Gpu) -> dict[str, Alarm]:
        """Tasks waiting for GPUs: the capacity provider's reservation stays above 100%."""
        return {
            "gpu-capacity-exhausted": Alarm(
                description="GPU capacity provider reservation above"
                f" {CAPACITY_RESERVATION_PERCENT}% for 15 minutes: tasks are waiting for GPU"
                " instances (max_instances reached?).",
                threshold=CAPACITY_RESERVATION_PERCENT,
                treat_missing_data="notBreaching",
                namespace="AWS/ECS/ManagedScaling",
                metric_name="CapacityProviderReservation",
                dimensions=_dimensions(),
                statistic="Maximum",
            )
        }

    def graphs(self, ctx: Context, part: Gpu) -> list[Graph]:
        """The capacity provider's reservation, and the GPU instances in service."""
        group = ref("gpu", "autoscaling_group_name")
        reservation = tuple(item for pair in _dimensions().items() for item in pair)
        return [
            Graph(
                "GPU capacity reservation (%)",
                "Maximum",
                (
                    (
                        ("AWS/ECS/ManagedScaling", "CapacityProviderReservation", *reservation),
                        "reservation",
                    ),
                ),
            ),
            Graph(
                "GPU instances in service",
                "Maximum",
                (
                    (
                        (
                            "AWS/AutoScaling",
                            "GroupInServiceInstances",
                            "AutoScalingGroupName",
                            group,
                        ),
                        "in service",
                    ),
                ),
            ),
        ]


def _dimensions() -> dict[str, str | Expr]:
    return {
        "ClusterName": ref("service", "cluster_name"),
        "CapacityProviderName": ref("gpu", "capacity_provider_name"),
    }


section = GpuSection()
