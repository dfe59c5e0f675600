"""ElastiCache: user groups (RBAC), the access control of Redis replication groups.

moto 5.2 has ElastiCache users but no user groups: CreateUserGroup answers HTTP
500, and its ListTagsForResource refuses a user group's ARN as invalid. A
group's users list it in their ``UserGroupIds``, as in AWS.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import boto3
from moto.core.common_models import BaseModel
from moto.core.responses import ActionResult, PaginatedResult
from moto.elasticache.exceptions import ElastiCacheException, UserNotFound
from moto.elasticache.models import ElastiCacheBackend, User
from moto.elasticache.responses import ElastiCacheResponse
from moto.utilities.utils import get_partition

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = ElastiCacheBackend
    _Response = ElastiCacheResponse
else:
    _Backend = _Response = object


class UserGroupNotFound(ElastiCacheException):
    """No user group has this id."""

    code = "UserGroupNotFoundFault"

    def __init__(self, user_group_id: str) -> None:
        super().__init__(f"User group {user_group_id} not found.")


class UserGroupAlreadyExists(ElastiCacheException):
    """A user group already has this id."""

    code = "UserGroupAlreadyExistsFault"

    def __init__(self, user_group_id: str) -> None:
        super().__init__(f"User group {user_group_id} already exists.")


class DefaultUserRequired(ElastiCacheException):
    """A Redis user group must hold a user named ``default``."""

    code = "DefaultUserRequired"

    def __init__(self) -> None:
        super().__init__("User group needs to contain a user with the user name default.")


class InvalidUserGroupState(ElastiCacheException):
    """The group is in use by a replication group."""

    code = "InvalidUserGroupStateFault"

    def __init__(self, user_group_id: str, replication_group_id: str) -> None:
        super().__init__(
            f"User group {user_group_id} is associated with replication group"
            f" {replication_group_id}."
        )


class UserGroup(BaseModel):
    """An ElastiCache user group."""

    def __init__(
        self,
        account_id: str,
        region_name: str,
        user_group_id: str,
        engine: str,
        user_ids: list[str],
    ) -> None:
        self.user_group_id = user_group_id
        self.engine = engine
        self.user_ids = list(user_ids)
        self.status = "active"
        self.minimum_engine_version = "6.0"
        self.pending_changes: dict[str, list[str]] = {}
        self.replication_groups: list[str] = []
        self.serverless_caches: list[str] = []
        partition = get_partition(region_name)
        self.arn = (
            f"arn:{partition}:elasticache:{region_name}:{account_id}:usergroup:{user_group_id}"
        )


class UserGroupsBackend(_Backend):
    """Methods for moto's ``ElastiCacheBackend``."""

    user_groups: dict[str, UserGroup]

    def extend_init(self) -> None:
        """Keep user groups, and accept their ARNs in the tagging calls."""
        self.user_groups = {}
        self.arn_regex = re.compile(
            r"^arn:aws:elasticache:.*:[0-9]*:"
            r"(cluster|snapshot|subnetgroup|replicationgroup|user|usergroup):.*$"
        )

    def _users_of_group(self, engine: str, user_ids: list[str]) -> list[User]:
        users = []
        for user_id in user_ids:
            if user_id not in self.users:
                raise UserNotFound(user_id)
            users.append(self.users[user_id])
        if engine.lower() == "redis" and not any(user.name == "default" for user in users):
            raise DefaultUserRequired()
        return users

    def create_user_group(
        self,
        user_group_id: str,
        engine: str,
        user_ids: list[str],
        tags: list[dict[str, str]] | None,
    ) -> UserGroup:
        """Create a user group of existing users, one of them named ``default``."""
        if user_group_id in self.user_groups:
            raise UserGroupAlreadyExists(user_group_id)
        users = self._users_of_group(engine, user_ids)
        group = UserGroup(
            self.account_id, self.region_name, user_group_id, engine.lower(), user_ids
        )
        for user in users:
            user.user_group_ids.append(user_group_id)
        if tags:
            self.tagging_service.tag_resource(group.arn, tags)
        self.user_groups[user_group_id] = group
        return group

    def describe_user_groups(self, user_group_id: str | None) -> list[UserGroup]:
        """One user group by id, or all of them."""
        if user_group_id is None:
            return list(self.user_groups.values())
        if user_group_id not in self.user_groups:
            raise UserGroupNotFound(user_group_id)
        return [self.user_groups[user_group_id]]

    def modify_user_group(
        self, user_group_id: str, user_ids_to_add: list[str], user_ids_to_remove: list[str]
    ) -> UserGroup:
        """Add users to a group and remove others; the group keeps a ``default`` user."""
        group = self.describe_user_groups(user_group_id)[0]
        user_ids = [u for u in group.user_ids if u not in user_ids_to_remove]
        user_ids += [u for u in user_ids_to_add if u not in user_ids]
        users = self._users_of_group(group.engine, user_ids)
        for user_id in group.user_ids:
            if user_id in self.users and user_id not in user_ids:
                self.users[user_id].user_group_ids.remove(user_group_id)
        for user in users:
            if user_group_id not in user.user_group_ids:
                user.user_group_ids.append(user_group_id)
        group.user_ids = user_ids
        return group

    def delete_user_group(self, user_group_id: str) -> UserGroup:
        """Delete a group no replication group uses; its users stay."""
        group = self.describe_user_groups(user_group_id)[0]
        for replication_group in self.replication_groups.values():
            if user_group_id in (replication_group.user_group_ids or []):
                raise InvalidUserGroupState(user_group_id, replication_group.replication_group_id)
        for user_id in group.user_ids:
            if user_id in self.users and user_group_id in self.users[user_id].user_group_ids:
                self.users[user_id].user_group_ids.remove(user_group_id)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        del self.user_groups[user_group_id]
        group.status = "deleting"
        return group


class UserGroupsResponse(_Response):
    """Methods for moto's ``ElastiCacheResponse``."""

    if TYPE_CHECKING:

        @property
        def elasticache_backend(self) -> UserGroupsBackend:
            """The backend, with the methods above."""

    def create_user_group(self) -> ActionResult:
        """CreateUserGroup."""
        group = self.elasticache_backend.create_user_group(
            user_group_id=self._get_param("UserGroupId"),
            engine=self._get_param("Engine"),
            user_ids=self._get_param("UserIds", []),
            tags=self._get_param("Tags", []),
        )
        return ActionResult(group)

    def describe_user_groups(self) -> ActionResult:
        """DescribeUserGroups."""
        groups = self.elasticache_backend.describe_user_groups(self._get_param("UserGroupId"))
        return PaginatedResult({"UserGroups": groups})

    def modify_user_group(self) -> ActionResult:
        """ModifyUserGroup."""
        group = self.elasticache_backend.modify_user_group(
            user_group_id=self._get_param("UserGroupId"),
            user_ids_to_add=self._get_param("UserIdsToAdd", []),
            user_ids_to_remove=self._get_param("UserIdsToRemove", []),
        )
        return ActionResult(group)

    def delete_user_group(self) -> ActionResult:
        """DeleteUserGroup."""
        group = self.elasticache_backend.delete_user_group(self._get_param("UserGroupId"))
        return ActionResult(group)


def check(session: boto3.Session) -> bool:
    """A group is created, tagged, modified, listed by its users and deleted."""
    elasticache = session.client("elasticache")
    for user_id, name in (("ext-default", "default"), ("ext-app", "ext-app"), ("ext-b", "ext-b")):
        elasticache.create_user(
            UserId=user_id,
            UserName=name,
            Engine="redis",
            AccessString="on ~* +@all",
            AuthenticationMode={"Type": "no-password-required"},
        )
    group: dict[str, Any] = elasticache.create_user_group(
        UserGroupId="ext-group",
        Engine="redis",
        UserIds=["ext-default", "ext-app"],
        Tags=[{"Key": "Team", "Value": "core"}],
    )
    tags = elasticache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]
    elasticache.modify_user_group(
        UserGroupId="ext-group", UserIdsToAdd=["ext-b"], UserIdsToRemove=["ext-app"]
    )
    described = elasticache.describe_user_groups(UserGroupId="ext-group")["UserGroups"]
    user = elasticache.describe_users(UserId="ext-b")["Users"][0]
    elasticache.delete_user_group(UserGroupId="ext-group")
    try:
        elasticache.describe_user_groups(UserGroupId="ext-group")
        return False
    except elasticache.exceptions.UserGroupNotFoundFault:
        pass
    return bool(
        tags == [{"Key": "Team", "Value": "core"}]
        and described[0]["Status"] == "active"
        and sorted(described[0]["UserIds"]) == ["ext-b", "ext-default"]
        and user["UserGroupIds"] == ["ext-group"]
    )


EXTENSION = Extension(
    name="elasticache_user_groups",
    summary="user groups: create, describe, modify, delete, tags on their ARNs",
    operations=(
        "CreateUserGroup",
        "DescribeUserGroups",
        "ModifyUserGroup",
        "DeleteUserGroup",
        "ListTagsForResource",
    ),
    grafts=(
        Graft(ElastiCacheBackend, UserGroupsBackend),
        Graft(ElastiCacheResponse, UserGroupsResponse),
    ),
    check=check,
)
