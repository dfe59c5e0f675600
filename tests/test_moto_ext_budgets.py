"""Budgets extensions, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
ACTUAL_80 = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0, "ThresholdType": "PERCENTAGE"}
FORECAST_100 = {"NotificationType": "FORECASTED", "ComparisonOperator": "GREATER_THAN", "Threshold": 100.0}


def _budget(name: str) -> dict[str, Any]:
    return {"BudgetName": name, "BudgetLimit": {"Amount": "100.0", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}


def test_notifications_and_subscribers_round_trip(aws: boto3.Session) -> None:
    budgets = aws.client("budgets")
    email = {"SubscriptionType": "EMAIL", "Address": "ops@example.com"}
    topic = {"SubscriptionType": "SNS", "Address": f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"}
    budgets.create_budget(
        AccountId=ACCOUNT,
        Budget=_budget("monthly"),
        NotificationsWithSubscribers=[{"Notification": ACTUAL_80, "Subscribers": [email, topic]}],
    )
    where = {"AccountId": ACCOUNT, "BudgetName": "monthly"}
    budgets.create_notification(**where, Notification=FORECAST_100, Subscribers=[email])
    notifications = budgets.describe_notifications_for_budget(**where)["Notifications"]
    assert [n["NotificationType"] for n in notifications] == ["ACTUAL", "FORECASTED"]

    # A notification is found whether ThresholdType is given or left to its default.
    without_type = {k: v for k, v in ACTUAL_80.items() if k != "ThresholdType"}
    subscribers = budgets.describe_subscribers_for_notification(**where, Notification=without_type)["Subscribers"]
    assert subscribers == [email, topic]

    with pytest.raises(ClientError, match="DuplicateRecordException"):
        budgets.create_subscriber(**where, Notification=ACTUAL_80, Subscriber=email)
    with pytest.raises(ClientError, match="DuplicateRecordException"):
        budgets.create_notification(**where, Notification=FORECAST_100, Subscribers=[email])

    other = {"SubscriptionType": "EMAIL", "Address": "cfo@example.com"}
    budgets.update_subscriber(**where, Notification=ACTUAL_80, OldSubscriber=email, NewSubscriber=other)
    budgets.delete_subscriber(**where, Notification=ACTUAL_80, Subscriber=topic)
    assert budgets.describe_subscribers_for_notification(**where, Notification=ACTUAL_80)["Subscribers"] == [other]
    with pytest.raises(ClientError, match="NotFoundException"):
        budgets.delete_subscriber(**where, Notification=ACTUAL_80, Subscriber=topic)

    raised = ACTUAL_80 | {"Threshold": 90.0}
    budgets.update_notification(**where, OldNotification=ACTUAL_80, NewNotification=raised)
    assert budgets.describe_subscribers_for_notification(**where, Notification=raised)["Subscribers"] == [other]
    with pytest.raises(ClientError, match="NotFoundException"):
        budgets.describe_subscribers_for_notification(**where, Notification=ACTUAL_80)

    budgets.delete_notification(**where, Notification=raised)
    assert [n["NotificationType"] for n in budgets.describe_notifications_for_budget(**where)["Notifications"]] == ["FORECASTED"]
    with pytest.raises(ClientError, match="NotFoundException"):
        budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="missing")


def test_budget_tags_round_trip(aws: boto3.Session) -> None:
    budgets = aws.client("budgets")
    budgets.create_budget(AccountId=ACCOUNT, Budget=_budget("tagged"), ResourceTags=[{"Key": "Team", "Value": "core"}])
    arn = f"arn:aws:budgets::{ACCOUNT}:budget/tagged"
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Team", "Value": "core"}]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Team", "Value": "data"}, {"Key": "Env", "Value": "dev"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["Env"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Team", "Value": "data"}]

    budgets.delete_budget(AccountId=ACCOUNT, BudgetName="tagged")
    with pytest.raises(ClientError, match="NotFoundException"):
        budgets.list_tags_for_resource(ResourceARN=arn)
    # A budget of the same name starts without the old tags.
    budgets.create_budget(AccountId=ACCOUNT, Budget=_budget("tagged"))
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == []
