"""ElastiCache extensions, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def _users(elasticache: Any, prefix: str) -> None:
    for user_id, name in ((f"{prefix}-default", "default"), (f"{prefix}-app", f"{prefix}-app")):
        elasticache.create_user(
            UserId=user_id,
            UserName=name,
            Engine="redis",
            AccessString="on ~* +@all",
            AuthenticationMode={"Type": "no-password-required"},
        )


def _network(aws: boto3.Session, name: str, cidr: str) -> tuple[str, str]:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=name, Description="x", VpcId=vpc)["GroupId"]
    aws.client("elasticache").create_cache_subnet_group(
        CacheSubnetGroupName=name, CacheSubnetGroupDescription="x", SubnetIds=[subnet]
    )
    return subnet, group


def test_user_group_lifecycle(aws: boto3.Session) -> None:
    elasticache = aws.client("elasticache")
    _users(elasticache, "ug")
    created = elasticache.create_user_group(
        UserGroupId="ug", Engine="redis", UserIds=["ug-default"], Tags=[{"Key": "Name", "Value": "ug"}]
    )
    assert created["Status"] == "active" and created["ARN"].endswith(":usergroup:ug")
    assert elasticache.list_tags_for_resource(ResourceName=created["ARN"])["TagList"] == [{"Key": "Name", "Value": "ug"}]
    elasticache.add_tags_to_resource(ResourceName=created["ARN"], Tags=[{"Key": "Team", "Value": "core"}])
    assert len(elasticache.list_tags_for_resource(ResourceName=created["ARN"])["TagList"]) == 2

    elasticache.modify_user_group(UserGroupId="ug", UserIdsToAdd=["ug-app"])
    group = elasticache.describe_user_groups(UserGroupId="ug")["UserGroups"][0]
    assert sorted(group["UserIds"]) == ["ug-app", "ug-default"]
    assert elasticache.describe_users(UserId="ug-app")["Users"][0]["UserGroupIds"] == ["ug"]
    assert [g["UserGroupId"] for g in elasticache.describe_user_groups()["UserGroups"]] == ["ug"]

    deleted = elasticache.delete_user_group(UserGroupId="ug")
    assert deleted["Status"] == "deleting"
    with pytest.raises(ClientError) as gone:
        elasticache.describe_user_groups(UserGroupId="ug")
    assert gone.value.response["Error"]["Code"] == "UserGroupNotFound"
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert elasticache.describe_users(UserId="ug-app")["Users"][0]["UserGroupIds"] == []


def test_user_group_refusals(aws: boto3.Session) -> None:
    elasticache = aws.client("elasticache")
    _users(elasticache, "bad")
    with pytest.raises(ClientError, match="DefaultUserRequired"):
        elasticache.create_user_group(UserGroupId="bad", Engine="redis", UserIds=["bad-app"])
    with pytest.raises(ClientError, match="UserNotFound"):
        elasticache.create_user_group(UserGroupId="bad", Engine="redis", UserIds=["bad-default", "nobody"])
    elasticache.create_user_group(UserGroupId="bad", Engine="redis", UserIds=["bad-default"])
    with pytest.raises(ClientError, match="UserGroupAlreadyExists"):
        elasticache.create_user_group(UserGroupId="bad", Engine="redis", UserIds=["bad-default"])
    with pytest.raises(ClientError, match="DefaultUserRequired"):
        elasticache.modify_user_group(UserGroupId="bad", UserIdsToRemove=["bad-default"])


def test_replication_group_members_exist_and_delete_removes_them(aws: boto3.Session) -> None:
    elasticache = aws.client("elasticache")
    _users(elasticache, "rg")
    elasticache.create_user_group(UserGroupId="rg", Engine="redis", UserIds=["rg-default", "rg-app"])
    _, group = _network(aws, "rg", "10.50.0.0/16")
    created = elasticache.create_replication_group(
        ReplicationGroupId="rg",
        ReplicationGroupDescription="cache",
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.r6g.large",
        NumCacheClusters=3,
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
        CacheSubnetGroupName="rg",
        SecurityGroupIds=[group],
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/k",
        UserGroupIds=["rg"],
        SnapshotRetentionLimit=14,
        SnapshotWindow="03:00-04:00",
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        AutoMinorVersionUpgrade=True,
    )["ReplicationGroup"]
    assert created["MemberClusters"] == ["rg-001", "rg-002", "rg-003"]

    group_read = elasticache.describe_replication_groups(ReplicationGroupId="rg")["ReplicationGroups"][0]
    assert group_read["Status"] == "available"
    assert (group_read["AutomaticFailover"], group_read["MultiAZ"]) == ("enabled", "enabled")
    assert group_read["UserGroupIds"] == ["rg"]
    members = group_read["NodeGroups"][0]["NodeGroupMembers"]
    assert [m["CurrentRole"] for m in members] == ["primary", "replica", "replica"]

    clusters = {
        c["CacheClusterId"]: c
        for c in elasticache.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    }
    assert sorted(clusters) == ["rg-001", "rg-002", "rg-003"]
    first = clusters["rg-001"]
    assert first["ReplicationGroupId"] == "rg"
    assert first["CacheClusterStatus"] == "available"
    assert (first["Engine"], first["EngineVersion"], first["CacheNodeType"]) == ("redis", "7.1.0", "cache.r6g.large")
    assert first["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"
    assert first["CacheSubnetGroupName"] == "rg"
    assert first["SecurityGroups"] == [{"SecurityGroupId": group, "Status": "active"}]
    assert (first["AtRestEncryptionEnabled"], first["TransitEncryptionEnabled"]) == (True, True)
    assert first["TransitEncryptionMode"] == "required"
    assert first["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
    assert first["AutoMinorVersionUpgrade"] is True
    assert first["CacheNodes"][0]["CacheNodeStatus"] == "available"

    with pytest.raises(ClientError, match="InvalidUserGroupState"):
        elasticache.delete_user_group(UserGroupId="rg")
    with pytest.raises(ClientError, match="CacheSubnetGroupInUse"):
        elasticache.delete_cache_subnet_group(CacheSubnetGroupName="rg")

    deleted = elasticache.delete_replication_group(ReplicationGroupId="rg")["ReplicationGroup"]
    assert deleted["Status"] == "deleting"
    with pytest.raises(ClientError) as gone:
        elasticache.describe_replication_groups(ReplicationGroupId="rg")
    assert gone.value.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
    for member in ("rg-001", "rg-002", "rg-003"):
        with pytest.raises(ClientError, match="CacheClusterNotFound"):
            elasticache.describe_cache_clusters(CacheClusterId=member)
    elasticache.delete_user_group(UserGroupId="rg")
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName="rg")
    with pytest.raises(ClientError, match="CacheSubnetGroupNotFound"):
        elasticache.describe_cache_subnet_groups(CacheSubnetGroupName="rg")


def test_a_single_node_group_has_one_member(aws: boto3.Session) -> None:
    elasticache = aws.client("elasticache")
    _network(aws, "one", "10.51.0.0/16")
    elasticache.create_replication_group(
        ReplicationGroupId="one",
        ReplicationGroupDescription="cache",
        Engine="redis",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=1,
        CacheSubnetGroupName="one",
    )
    cluster = elasticache.describe_cache_clusters(CacheClusterId="one-001")["CacheClusters"][0]
    assert cluster["ReplicationGroupId"] == "one"
    assert cluster["EngineVersion"] == "7.1.0"
    elasticache.delete_replication_group(ReplicationGroupId="one")
    assert "one-001" not in [c["CacheClusterId"] for c in elasticache.describe_cache_clusters()["CacheClusters"]]
