"""``cache``: ElastiCache Redis for caching and sessions, reachable from the services only."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.hcl import Expr
from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    count_alarm,
    kms_key,
    ref,
)

REDIS_CPU_PERCENT = 75
REDIS_EVICTIONS = 100


class Cache(SectionModel):
    """ElastiCache Redis for caching and sessions."""

    node_type: str = "cache.t4g.micro"
    engine_version: str = "7.1"
    num_cache_clusters: int = Field(default=2, ge=1, le=6)
    automatic_failover: bool = True
    multi_az: bool = True
    snapshot_retention_limit: int = Field(default=7, ge=0, le=35)


class CacheSection(Section[Cache]):
    """IAM authentication through an RBAC user group; no password anywhere."""

    key = "cache"
    model = Cache
    order = 10
    modules = {"cache": "cache"}
    builds = (
        "ElastiCache Redis: encryption at rest and in transit, IAM authentication"
        " (no password), failover and multi-AZ"
    )

    def calls(self, ctx: Context, part: Cache) -> list[Call]:
        """The cache module call."""
        inputs = {
            "name": ctx.name,
            "vpc_id": ref("network", "vpc_id"),
            "subnet_ids": ref("network", "private_subnet_ids"),
            "allowed_security_group_ids": [ref("service", "service_security_group_id")],
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "engine_version": part.engine_version,
            "node_type": part.node_type,
            "num_cache_clusters": part.num_cache_clusters,
            "automatic_failover": part.automatic_failover,
            "multi_az": part.multi_az,
            "snapshot_retention_limit": part.snapshot_retention_limit,
        }
        outputs = (("redis_primary_endpoint", "primary_endpoint_address"),)
        return [self.call("cache", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Cache) -> Iterator[Problem]:
        """Failover needs a replica; production needs failover across AZs."""
        if (part.automatic_failover or part.multi_az) and part.num_cache_clusters < 2:
            message = "automatic_failover and multi_az need 2+ clusters (a primary and a replica)"
            yield (self.key, "num_cache_clusters"), message
        if ctx.env.production and not (part.automatic_failover and part.multi_az):
            yield (self.key,), "a production cache needs automatic_failover and multi_az"

    def kms(self, ctx: Context, part: Cache) -> list[KmsUse]:
        """Data at rest with the data key; engine logs with the logs key."""
        return [KmsUse("data", "ElastiCache data"), KmsUse("logs", "CloudWatch Logs log groups")]

    def alarms(self, ctx: Context, part: Cache) -> dict[str, Alarm]:
        """Engine CPU and evictions per node (ElastiCache publishes them per node)."""
        alarms: dict[str, Alarm] = {}
        for number, node in _nodes(part):
            dimensions = {"CacheClusterId": node}
            alarms[f"redis-{number}-engine-cpu"] = Alarm(
                description=f"Redis node {number} engine CPU above {REDIS_CPU_PERCENT}%"
                " for 15 minutes.",
                threshold=REDIS_CPU_PERCENT,
                namespace="AWS/ElastiCache",
                metric_name="EngineCPUUtilization",
                dimensions=dimensions,
            )
            alarms[f"redis-{number}-evictions"] = count_alarm(
                f"Redis node {number} evicted at least {REDIS_EVICTIONS} keys in 5 minutes.",
                REDIS_EVICTIONS,
                namespace="AWS/ElastiCache",
                metric_name="Evictions",
                dimensions=dimensions,
            )
        return alarms

    def graphs(self, ctx: Context, part: Cache) -> list[Graph]:
        """Engine CPU and evictions of every node."""
        return [
            Graph(
                f"Redis {metric}",
                stat,
                tuple(
                    (("AWS/ElastiCache", metric, "CacheClusterId", node), number)
                    for number, node in _nodes(part)
                ),
            )
            for metric, stat in (("EngineCPUUtilization", "Average"), ("Evictions", "Sum"))
        ]


def _nodes(part: Cache) -> list[tuple[str, Expr]]:
    # A replication group's nodes are "<group id>-001", "-002"...: known in number
    # at plan time even when the group's id is not.
    group = ref("cache", "replication_group_id").text
    return [
        (f"{i:03d}", Expr(f'"${{{group}}}-{i:03d}"')) for i in range(1, part.num_cache_clusters + 1)
    ]


section = CacheSection()
