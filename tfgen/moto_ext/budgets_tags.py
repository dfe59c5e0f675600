"""Budgets: tags on budgets.

moto 5.2 ignores CreateBudget's ``ResourceTags`` and has no TagResource,
UntagResource or ListTagsForResource (HTTP 500); the AWS provider lists a
budget's tags on every read, so a tagged ``aws_budgets_budget`` could not be
applied. A budget's ARN is ``arn:<partition>:budgets::<account>:budget/<name>``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.budgets.exceptions import NotFoundException
from moto.budgets.models import BudgetsBackend
from moto.budgets.responses import BudgetsResponse
from moto.utilities.tagging_service import TaggingService

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = BudgetsBackend
    _Response = BudgetsResponse
else:
    _Backend = _Response = object

_moto_create_budget = BudgetsBackend.create_budget
_moto_delete_budget = BudgetsBackend.delete_budget


def budget_arn(partition: str, account_id: str, budget_name: str) -> str:
    """The ARN of a budget."""
    return f"arn:{partition}:budgets::{account_id}:budget/{budget_name}"


class BudgetTagsBackend(_Backend):
    """Methods for moto's ``BudgetsBackend``."""

    tagger: TaggingService

    def extend_init(self) -> None:
        """Keep the tags of budgets, by ARN."""
        self.tagger = TaggingService()

    def _existing(self, arn: str) -> str:
        account_id, _, name = arn.split(":", 4)[-1].partition(":budget/")
        if name not in self.budgets.get(account_id, {}):
            raise NotFoundException(f"Unable to find resource: {arn}")
        return arn

    def create_budget(
        self,
        account_id: str,
        budget: dict[str, Any],
        notifications: list[dict[str, Any]],
        resource_tags: list[dict[str, str]] | None = None,
    ) -> None:
        """Create a budget with its tags."""
        _moto_create_budget(self, account_id, budget, notifications)
        arn = budget_arn(self.partition, account_id, budget["BudgetName"])
        self.tagger.tag_resource(arn, resource_tags or [])

    def delete_budget(self, account_id: str, budget_name: str) -> None:
        """Delete a budget and forget its tags."""
        _moto_delete_budget(self, account_id, budget_name)
        self.tagger.delete_all_tags_for_resource(
            budget_arn(self.partition, account_id, budget_name)
        )

    def tag_resource(self, resource_arn: str, resource_tags: list[dict[str, str]]) -> None:
        """Add or overwrite tags of a budget."""
        self.tagger.tag_resource(self._existing(resource_arn), resource_tags)

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> None:
        """Remove tags of a budget by key."""
        self.tagger.untag_resource_using_names(self._existing(resource_arn), tag_keys)

    def list_tags_for_resource(self, resource_arn: str) -> list[dict[str, str]]:
        """The tags of a budget."""
        return self.tagger.list_tags_for_resource(self._existing(resource_arn))["Tags"]


class BudgetTagsResponse(_Response):
    """Methods for moto's ``BudgetsResponse``."""

    if TYPE_CHECKING:

        @property
        def backend(self) -> BudgetTagsBackend:
            """The backend, with the methods above."""

    def create_budget(self) -> str:
        """CreateBudget, keeping its ``ResourceTags``."""
        self.backend.create_budget(
            account_id=self._get_param("AccountId"),
            budget=self._get_param("Budget"),
            notifications=self._get_param("NotificationsWithSubscribers", []),
            resource_tags=self._get_param("ResourceTags", []),
        )
        return "{}"

    def tag_resource(self) -> str:
        """TagResource."""
        self.backend.tag_resource(
            self._get_param("ResourceARN"), self._get_param("ResourceTags", [])
        )
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource."""
        self.backend.untag_resource(
            self._get_param("ResourceARN"), self._get_param("ResourceTagKeys", [])
        )
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource."""
        tags = self.backend.list_tags_for_resource(self._get_param("ResourceARN"))
        return json.dumps({"ResourceTags": tags})


def check(session: boto3.Session) -> bool:
    """A budget created with tags lists them; tag and untag change them."""
    account = session.client("sts").get_caller_identity()["Account"]
    budgets = session.client("budgets")
    budgets.create_budget(
        AccountId=account,
        Budget={
            "BudgetName": "ext-tagged",
            "BudgetLimit": {"Amount": "10", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        ResourceTags=[{"Key": "Team", "Value": "core"}],
    )
    arn = f"arn:aws:budgets::{account}:budget/ext-tagged"
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Env", "Value": "dev"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["Team"])
    tags = budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"]
    return bool(tags == [{"Key": "Env", "Value": "dev"}])


EXTENSION = Extension(
    name="budgets_tags",
    summary="tags on budgets, also those given to CreateBudget",
    operations=("TagResource", "UntagResource", "ListTagsForResource", "CreateBudget"),
    grafts=(
        Graft(BudgetsBackend, BudgetTagsBackend),
        Graft(BudgetsResponse, BudgetTagsResponse),
    ),
    check=check,
)
