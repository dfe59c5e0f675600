"""ElastiCache: replication groups whose member clusters exist, and a clean delete.

moto 5.2 lists a replication group's member clusters, but never creates them:
DescribeCacheClusters answers CacheClusterNotFound for each, and the AWS
provider reads a group's engine, node type, parameter group, security groups,
encryption and maintenance window from its first member. It also builds a single
member whatever ``NumCacheClusters`` asks (cluster mode disabled), and a deleted
group stays in ``deleting`` for ever. Here each member is a cache cluster
carrying the group's settings, and a delete removes the members and the group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.utils import utcnow
from moto.elasticache.models import CacheCluster, ElastiCacheBackend, ReplicationGroup

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = ElastiCacheBackend
else:
    _Backend = object

_moto_create = ElastiCacheBackend.create_replication_group

# What AWS reports for a requested version: a major.minor request runs that
# minor's first patch release; "6.x" runs the last release of 6.
_DEFAULT_REDIS_VERSION = "7.1"
_LAST_OF_MAJOR = {"6": "6.2.6", "5": "5.0.6", "4": "4.0.10"}


def actual_engine_version(requested: str | None) -> str:
    """The full version AWS runs for a requested Redis engine version."""
    version = requested or _DEFAULT_REDIS_VERSION
    major, _, rest = version.partition(".")
    if rest in ("x", ""):
        return _LAST_OF_MAJOR.get(major, f"{major}.0.0")
    return version if rest.count(".") else f"{version}.0"


def default_parameter_group(engine: str, version: str, cluster_enabled: bool) -> str:
    """The name of the default cache parameter group of an engine version."""
    major, minor, _ = version.split(".", 2)
    family = f"{engine}{major}" if int(major) >= 6 else f"{engine}{major}.{minor}"
    return f"default.{family}.cluster.on" if cluster_enabled else f"default.{family}"


class MemberCluster(CacheCluster):
    """A member of a replication group: a cache cluster with the group's settings."""

    def __init__(
        self,
        backend: ElastiCacheBackend,
        group: ReplicationGroup,
        member: dict[str, Any],
        settings: dict[str, Any],
    ) -> None:
        super().__init__(
            account_id=backend.account_id,
            region_name=backend.region_name,
            cache_cluster_id=member["cache_cluster_id"],
            cache_node_type=group.cache_node_type,
            replication_group_id=group.replication_group_id,
            az_mode="single-az",
            preferred_availability_zone=member.get("preferred_availability_zone"),
            num_cache_nodes=1,
            engine=group.engine,
            engine_version=settings["engine_version"],
            cache_parameter_group_name=settings["cache_parameter_group_name"],
            cache_subnet_group_name=group.cache_subnet_group_name,
            transit_encryption_enabled=group.transit_encryption_enabled,
            network_type=group.network_type,
            ip_discovery=group.ip_discovery,
            snapshot_name=None,
            preferred_maintenance_window=group.preferred_maintenance_window,
            port=group.port,
            notification_topic_arn=group.notification_topic_arn,
            auto_minor_version_upgrade=settings["auto_minor_version_upgrade"],
            snapshot_retention_limit=group.snapshot_retention_limit,
            snapshot_window=group.snapshot_window,
            auth_token=None,
            outpost_mode=None,
            preferred_outpost_arn=None,
            preferred_availability_zones=None,
            cache_security_group_names=group.cache_security_group_names,
            security_group_ids=group.security_group_ids,
            tags=None,
            snapshot_arns=None,
            preferred_outpost_arns=None,
            log_delivery_configurations=group.log_delivery_configurations,
            cache_node_ids_to_remove=None,
            cache_node_ids_to_reboot=None,
        )
        # What DescribeCacheClusters answers and moto's cache cluster leaves out.
        self.auth_token_enabled = group.auth_token_enabled
        self.at_rest_encryption_enabled = group.at_rest_encryption_enabled
        self.transit_encryption_mode = settings["transit_encryption_mode"]
        self.replication_group_log_delivery_enabled = bool(group.log_delivery_configurations)
        self.security_groups = [
            {"SecurityGroupId": group_id, "Status": "active"}
            for group_id in group.security_group_ids or []
        ]
        self.cache_security_groups = [
            {"CacheSecurityGroupName": name, "Status": "active"}
            for name in group.cache_security_group_names or []
        ]
        self.cache_parameter_group = {
            "CacheParameterGroupName": settings["cache_parameter_group_name"],
            "ParameterApplyStatus": "in-sync",
            "CacheNodeIdsToReboot": [],
        }
        endpoint = member.get("read_endpoint") or {
            "address": f"{self.cache_cluster_id}.cache.amazonaws.com",
            "port": group.port,
        }
        self.cache_nodes = [
            {
                "CacheNodeId": "0001",
                "CacheNodeStatus": "available",
                "CacheNodeCreateTime": utcnow(),
                "Endpoint": {"Address": endpoint["address"], "Port": endpoint["port"]},
                "ParameterGroupStatus": "in-sync",
                "CustomerAvailabilityZone": self.preferred_availability_zone,
            }
        ]


class ReplicationGroupMembersBackend(_Backend):
    """Methods for moto's ``ElastiCacheBackend``."""

    def create_replication_group(self, **kwargs: Any) -> ReplicationGroup:  # type: ignore[override]
        """Create a group with ``NumCacheClusters`` members, each a cache cluster."""
        cluster_mode_enabled = kwargs.get("cluster_mode") == "enabled"
        if not cluster_mode_enabled and not kwargs.get("replicas_per_node_group"):
            # moto sizes a non-clustered group from ReplicasPerNodeGroup only.
            kwargs["replicas_per_node_group"] = max((kwargs.get("num_cache_clusters") or 1) - 1, 0)
        group = _moto_create(self, **kwargs)
        engine_version = actual_engine_version(kwargs.get("engine_version"))
        group.engine_version = engine_version
        transit_mode = kwargs.get("transit_encryption_mode")
        if transit_mode is None and group.transit_encryption_enabled:
            transit_mode = "required"
        group.transit_encryption_mode = transit_mode
        auto_upgrade = kwargs.get("auto_minor_version_upgrade")
        settings = {
            "engine_version": engine_version,
            "cache_parameter_group_name": kwargs.get("cache_parameter_group_name")
            or default_parameter_group(group.engine, engine_version, group.cluster_enabled),
            "transit_encryption_mode": transit_mode,
            # On unless asked otherwise, as in AWS.
            "auto_minor_version_upgrade": str(auto_upgrade).lower() != "false",
        }
        for node_group in group.node_groups:
            for member in node_group["node_group_members"]:
                cluster = MemberCluster(self, group, member, settings)
                self.cache_clusters[cluster.cache_cluster_id] = cluster
        return group

    def delete_replication_group(
        self, replication_group_id: str, retain_primary_cluster: bool | None
    ) -> ReplicationGroup:
        """Delete a group and its member clusters (all but the primary, if it is retained)."""
        group = self.describe_replication_groups(replication_group_id)[0]
        primary = group.member_clusters[0] if group.member_clusters else None
        for cluster_id in group.member_clusters:
            cluster = self.cache_clusters.get(cluster_id)
            if cluster is None:
                continue
            if retain_primary_cluster and cluster_id == primary:
                cluster.replication_group_id = None
                continue
            del self.cache_clusters[cluster_id]
            self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        del self.replication_groups[replication_group_id]
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        group.status = "deleting"
        return group


def check(session: boto3.Session) -> bool:
    """Three members exist as clusters with the group's settings; a delete removes all."""
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    group_id = ec2.create_security_group(GroupName="ext-redis", Description="x", VpcId=vpc)[
        "GroupId"
    ]
    elasticache = session.client("elasticache")
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="ext-redis", CacheSubnetGroupDescription="x", SubnetIds=[subnet]
    )
    elasticache.create_replication_group(
        ReplicationGroupId="ext-redis",
        ReplicationGroupDescription="x",
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=3,
        AutomaticFailoverEnabled=True,
        CacheSubnetGroupName="ext-redis",
        SecurityGroupIds=[group_id],
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
    )
    group = elasticache.describe_replication_groups(ReplicationGroupId="ext-redis")
    members = group["ReplicationGroups"][0]["MemberClusters"]
    clusters = [
        elasticache.describe_cache_clusters(CacheClusterId=member, ShowCacheNodeInfo=True)[
            "CacheClusters"
        ][0]
        for member in members
    ]
    first = clusters[0]
    elasticache.delete_replication_group(ReplicationGroupId="ext-redis")
    remaining = elasticache.describe_cache_clusters()["CacheClusters"]
    try:
        elasticache.describe_replication_groups(ReplicationGroupId="ext-redis")
        return False
    except elasticache.exceptions.ReplicationGroupNotFoundFault:
        pass
    return bool(
        len(members) == 3
        and all(c["ReplicationGroupId"] == "ext-redis" for c in clusters)
        and all(c["CacheClusterStatus"] == "available" for c in clusters)
        and first["EngineVersion"] == "7.1.0"
        and first["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"
        and first["SecurityGroups"] == [{"SecurityGroupId": group_id, "Status": "active"}]
        and first["AtRestEncryptionEnabled"] is True
        and first["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
        and len(first["CacheNodes"]) == 1
        and remaining == []
    )


EXTENSION = Extension(
    name="elasticache_replication_groups",
    summary="a replication group's NumCacheClusters members exist as cache clusters;"
    " a delete removes members and group",
    operations=(
        "CreateReplicationGroup",
        "DescribeCacheClusters",
        "DeleteReplicationGroup",
    ),
    grafts=(Graft(ElastiCacheBackend, ReplicationGroupMembersBackend),),
    check=check,
)
