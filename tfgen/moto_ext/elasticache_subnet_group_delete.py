"""ElastiCache: DeleteCacheSubnetGroup.

moto 5.2 creates and describes cache subnet groups but cannot delete them
(HTTP 500), so no destroy of a cache could finish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.core.responses import EmptyResult
from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException
from moto.elasticache.models import ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = ElastiCacheBackend
    _Response = ElastiCacheResponse
else:
    _Backend = _Response = object


class CacheSubnetGroupInUse(ElastiCacheException):
    """A cache cluster or replication group still uses the subnet group."""

    code = "CacheSubnetGroupInUse"

    def __init__(self, name: str) -> None:
        super().__init__(f"Cache subnet group {name} is currently in use by a cache cluster.")


class SubnetGroupDeleteBackend(_Backend):
    """Methods for moto's ``ElastiCacheBackend``."""

    def delete_cache_subnet_group(self, cache_subnet_group_name: str) -> None:
        """Delete a subnet group that no cache cluster or replication group uses."""
        if cache_subnet_group_name not in self.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(cache_subnet_group_name)
        users = [*self.cache_clusters.values(), *self.replication_groups.values()]
        if any(user.cache_subnet_group_name == cache_subnet_group_name for user in users):
            raise CacheSubnetGroupInUse(cache_subnet_group_name)
        group = self.cache_subnet_groups.pop(cache_subnet_group_name)
        self.tagging_service.delete_all_tags_for_resource(group.arn)


class SubnetGroupDeleteResponse(_Response):
    """Methods for moto's ``ElastiCacheResponse``."""

    if TYPE_CHECKING:

        @property
        def elasticache_backend(self) -> SubnetGroupDeleteBackend:
            """The backend, with the method above."""

    def delete_cache_subnet_group(self) -> EmptyResult:
        """DeleteCacheSubnetGroup."""
        self.elasticache_backend.delete_cache_subnet_group(self._get_param("CacheSubnetGroupName"))
        return EmptyResult()


def check(session: boto3.Session) -> bool:
    """A subnet group is deleted, and then unknown."""
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    elasticache = session.client("elasticache")
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="ext-gone", CacheSubnetGroupDescription="x", SubnetIds=[subnet]
    )
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName="ext-gone")
    try:
        elasticache.describe_cache_subnet_groups(CacheSubnetGroupName="ext-gone")
    except elasticache.exceptions.CacheSubnetGroupNotFoundFault:
        return True
    return False


EXTENSION = Extension(
    name="elasticache_subnet_group_delete",
    summary="DeleteCacheSubnetGroup, refused while a cluster or group uses it",
    operations=("DeleteCacheSubnetGroup",),
    grafts=(
        Graft(ElastiCacheBackend, SubnetGroupDeleteBackend),
        Graft(ElastiCacheResponse, SubnetGroupDeleteResponse),
    ),
    check=check,
)
