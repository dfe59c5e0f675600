"""Budgets: notifications and their subscribers.

moto 5.2 stores a budget's notifications with their subscribers, but has no
DescribeSubscribersForNotification (HTTP 500): the AWS provider reads every
notification's subscribers, so a budget with ``notification`` blocks could not
be applied. Nor could one be changed: CreateSubscriber, DeleteSubscriber,
UpdateSubscriber and UpdateNotification are missing too. Notifications are told
apart as AWS does, by type, operator, threshold and threshold type.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

import boto3
from moto.budgets.exceptions import DuplicateRecordException, NotFoundException
from moto.budgets.models import Budget, BudgetsBackend, Notification
from moto.budgets.responses import BudgetsResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = BudgetsBackend
    _Response = BudgetsResponse
else:
    _Backend = _Response = object


def notification_key(details: dict[str, Any]) -> tuple[str, str, float, str]:
    """What identifies a notification of a budget (PERCENTAGE when no type is given)."""
    return (
        str(details.get("NotificationType")),
        str(details.get("ComparisonOperator")),
        float(details.get("Threshold", 0)),
        str(details.get("ThresholdType") or "PERCENTAGE"),
    )


def subscriber_key(subscriber: dict[str, Any]) -> tuple[str, str]:
    """What identifies a subscriber of a notification."""
    return str(subscriber.get("SubscriptionType")), str(subscriber.get("Address"))


class BudgetNotificationsBackend(_Backend):
    """Methods for moto's ``BudgetsBackend``."""

    def _budget(self, account_id: str, budget_name: str) -> Budget:
        if budget_name not in self.budgets[account_id]:
            raise NotFoundException(
                f"Unable to get budget: {budget_name} - the budget doesn't exist."
            )
        return self.budgets[account_id][budget_name]

    def _notification(self, budget: Budget, details: dict[str, Any]) -> Notification:
        for notification in budget.notifications:
            if notification_key(notification.details) == notification_key(details):
                return notification
        raise NotFoundException("Unable to get notification - the notification doesn't exist.")

    def create_notification(
        self,
        account_id: str,
        budget_name: str,
        notification: dict[str, Any],
        subscribers: Any,
    ) -> None:
        """Add a notification with its subscribers; one of each kind per budget."""
        budget = self._budget(account_id, budget_name)
        if any(
            notification_key(n.details) == notification_key(notification)
            for n in budget.notifications
        ):
            raise DuplicateRecordException(record_type="notification", record_name=budget_name)
        budget.add_notification(details=notification, subscribers=subscribers)

    def describe_notifications_for_budget(
        self, account_id: str, budget_name: str
    ) -> list[dict[str, Any]]:
        """The notifications of a budget."""
        return [n.details for n in self._budget(account_id, budget_name).notifications]

    def delete_notification(
        self, account_id: str, budget_name: str, notification: dict[str, Any]
    ) -> None:
        """Delete a notification and its subscribers."""
        budget = self._budget(account_id, budget_name)
        budget.notifications.remove(self._notification(budget, notification))

    def update_notification(
        self,
        account_id: str,
        budget_name: str,
        old_notification: dict[str, Any],
        new_notification: dict[str, Any],
    ) -> None:
        """Change a notification's settings; its subscribers stay."""
        budget = self._budget(account_id, budget_name)
        self._notification(budget, old_notification).details = new_notification

    def describe_subscribers_for_notification(
        self, account_id: str, budget_name: str, notification: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The subscribers of a notification."""
        budget = self._budget(account_id, budget_name)
        # A list, whatever moto's annotation says.
        return cast(list[dict[str, Any]], self._notification(budget, notification).subscribers)

    def create_subscriber(
        self,
        account_id: str,
        budget_name: str,
        notification: dict[str, Any],
        subscriber: dict[str, Any],
    ) -> None:
        """Add a subscriber to a notification."""
        subscribers = self.describe_subscribers_for_notification(
            account_id, budget_name, notification
        )
        if any(subscriber_key(s) == subscriber_key(subscriber) for s in subscribers):
            raise DuplicateRecordException(record_type="subscriber", record_name=budget_name)
        subscribers.append(subscriber)

    def delete_subscriber(
        self,
        account_id: str,
        budget_name: str,
        notification: dict[str, Any],
        subscriber: dict[str, Any],
    ) -> None:
        """Remove a subscriber from a notification."""
        subscribers = self.describe_subscribers_for_notification(
            account_id, budget_name, notification
        )
        kept = [s for s in subscribers if subscriber_key(s) != subscriber_key(subscriber)]
        if len(kept) == len(subscribers):
            raise NotFoundException("Unable to delete subscriber - the subscriber doesn't exist.")
        subscribers[:] = kept

    def update_subscriber(
        self,
        account_id: str,
        budget_name: str,
        notification: dict[str, Any],
        old_subscriber: dict[str, Any],
        new_subscriber: dict[str, Any],
    ) -> None:
        """Replace a subscriber of a notification."""
        self.delete_subscriber(account_id, budget_name, notification, old_subscriber)
        self.create_subscriber(account_id, budget_name, notification, new_subscriber)


class BudgetNotificationsResponse(_Response):
    """Methods for moto's ``BudgetsResponse``."""

    if TYPE_CHECKING:

        @property
        def backend(self) -> BudgetNotificationsBackend:
            """The backend, with the methods above."""

    def _budget_params(self) -> dict[str, Any]:
        return {
            "account_id": self._get_param("AccountId"),
            "budget_name": self._get_param("BudgetName"),
        }

    def update_notification(self) -> str:
        """UpdateNotification."""
        self.backend.update_notification(
            **self._budget_params(),
            old_notification=self._get_param("OldNotification"),
            new_notification=self._get_param("NewNotification"),
        )
        return "{}"

    def describe_subscribers_for_notification(self) -> str:
        """DescribeSubscribersForNotification (one page)."""
        subscribers = self.backend.describe_subscribers_for_notification(
            **self._budget_params(), notification=self._get_param("Notification")
        )
        return json.dumps({"Subscribers": subscribers})

    def create_subscriber(self) -> str:
        """CreateSubscriber."""
        self.backend.create_subscriber(
            **self._budget_params(),
            notification=self._get_param("Notification"),
            subscriber=self._get_param("Subscriber"),
        )
        return "{}"

    def delete_subscriber(self) -> str:
        """DeleteSubscriber."""
        self.backend.delete_subscriber(
            **self._budget_params(),
            notification=self._get_param("Notification"),
            subscriber=self._get_param("Subscriber"),
        )
        return "{}"

    def update_subscriber(self) -> str:
        """UpdateSubscriber."""
        self.backend.update_subscriber(
            **self._budget_params(),
            notification=self._get_param("Notification"),
            old_subscriber=self._get_param("OldSubscriber"),
            new_subscriber=self._get_param("NewSubscriber"),
        )
        return "{}"


def check(session: boto3.Session) -> bool:
    """A notification's subscribers are listed, added, replaced and removed."""
    account = session.client("sts").get_caller_identity()["Account"]
    budgets = session.client("budgets")
    budgets.create_budget(
        AccountId=account,
        Budget={
            "BudgetName": "ext-monthly",
            "BudgetLimit": {"Amount": "100", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    notification = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
    }
    first = {"SubscriptionType": "EMAIL", "Address": "a@example.com"}
    second = {"SubscriptionType": "EMAIL", "Address": "b@example.com"}
    budgets.create_notification(
        AccountId=account, BudgetName="ext-monthly", Notification=notification, Subscribers=[first]
    )
    where = {"AccountId": account, "BudgetName": "ext-monthly"}
    budgets.create_subscriber(**where, Notification=notification, Subscriber=second)
    budgets.update_subscriber(
        **where,
        Notification=notification,
        OldSubscriber=first,
        NewSubscriber={"SubscriptionType": "EMAIL", "Address": "c@example.com"},
    )
    budgets.delete_subscriber(**where, Notification=notification, Subscriber=second)
    subscribers = budgets.describe_subscribers_for_notification(**where, Notification=notification)[
        "Subscribers"
    ]
    changed = notification | {"Threshold": 90.0}
    budgets.update_notification(**where, OldNotification=notification, NewNotification=changed)
    listed = budgets.describe_notifications_for_budget(**where)["Notifications"]
    budgets.delete_notification(**where, Notification=changed)
    left = budgets.describe_notifications_for_budget(**where).get("Notifications", [])
    return bool(
        [s["Address"] for s in subscribers] == ["c@example.com"]
        and [n["Threshold"] for n in listed] == [90.0]
        and left == []
    )


EXTENSION = Extension(
    name="budgets_notifications",
    summary="subscribers of budget notifications, and notification updates",
    operations=(
        "DescribeSubscribersForNotification",
        "CreateSubscriber",
        "DeleteSubscriber",
        "UpdateSubscriber",
        "UpdateNotification",
        "CreateNotification",
        "DeleteNotification",
        "DescribeNotificationsForBudget",
    ),
    grafts=(
        Graft(BudgetsBackend, BudgetNotificationsBackend),
        Graft(BudgetsResponse, BudgetNotificationsResponse),
    ),
    check=check,
)
