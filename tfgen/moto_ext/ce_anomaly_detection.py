"""Cost Explorer: cost anomaly monitors and their subscriptions.

moto 5.2's Cost Explorer has cost categories only: CreateAnomalyMonitor and
CreateAnomalySubscription (and their Get, Update and Delete) answer HTTP 500,
so ``aws_ce_anomaly_monitor`` and ``aws_ce_anomaly_subscription`` could not be
applied. Monitors and subscriptions now read back as created, with their tags
(through Cost Explorer's ListTagsForResource, which moto has). As in AWS, an
account has at most one DIMENSIONAL SERVICE monitor, a subscription notifies
by email only DAILY or WEEKLY, and its account is the caller's unless given.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.ce.models import CostExplorerBackend
from moto.ce.responses import CostExplorerResponse
from moto.core.exceptions import JsonRESTError
from moto.core.utils import iso_8601_datetime_without_milliseconds, utcnow
from moto.moto_api._internal import mock_random

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = CostExplorerBackend
    _Response = CostExplorerResponse
else:
    _Backend = _Response = object


class UnknownMonitorException(JsonRESTError):
    """No monitor has this ARN."""

    def __init__(self, arn: str) -> None:
        super().__init__("UnknownMonitorException", f"No anomaly monitor with ARN {arn}")


class UnknownSubscriptionException(JsonRESTError):
    """No subscription has this ARN."""

    def __init__(self, arn: str) -> None:
        super().__init__("UnknownSubscriptionException", f"No anomaly subscription with ARN {arn}")


class ValidationException(JsonRESTError):
    """A parameter has a value Cost Explorer does not accept."""

    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class LimitExceededException(JsonRESTError):
    """The account already has its one AWS services monitor."""

    def __init__(self) -> None:
        super().__init__(
            "LimitExceededException", "Only one DIMENSIONAL SERVICE monitor is allowed per account"
        )


def _today() -> str:
    return iso_8601_datetime_without_milliseconds(utcnow())[:10]


class AnomalyDetectionBackend(_Backend):
    """Methods for moto's ``CostExplorerBackend``."""

    anomaly_monitors: dict[str, dict[str, Any]]
    anomaly_subscriptions: dict[str, dict[str, Any]]

    def extend_init(self) -> None:
        """Keep monitors and subscriptions by ARN."""
        self.anomaly_monitors = {}
        self.anomaly_subscriptions = {}

    def _arn(self, kind: str) -> str:
        return f"arn:{self.partition}:ce::{self.account_id}:{kind}/{mock_random.uuid4()}"

    def create_anomaly_monitor(self, monitor: dict[str, Any], tags: list[dict[str, str]]) -> str:
        """Create a monitor; one DIMENSIONAL SERVICE monitor per account."""
        monitor_type = monitor.get("MonitorType")
        if monitor_type not in ("DIMENSIONAL", "CUSTOM"):
            raise ValidationException(f"Invalid MonitorType: {monitor_type}")
        if monitor_type == "DIMENSIONAL":
            if monitor.get("MonitorDimension") != "SERVICE":
                raise ValidationException("A DIMENSIONAL monitor needs MonitorDimension SERVICE")
            if any(m.get("MonitorType") == "DIMENSIONAL" for m in self.anomaly_monitors.values()):
                raise LimitExceededException()
        elif not monitor.get("MonitorSpecification"):
            raise ValidationException("A CUSTOM monitor needs a MonitorSpecification")
        arn = self._arn("anomalymonitor")
        self.anomaly_monitors[arn] = {
            key: monitor[key]
            for key in ("MonitorName", "MonitorType", "MonitorDimension", "MonitorSpecification")
            if key in monitor
        } | {"MonitorArn": arn, "CreationDate": _today(), "DimensionalValueCount": 0}
        self.tag_resource(arn, tags)
        return arn

    def get_anomaly_monitors(self, arns: list[str] | None) -> list[dict[str, Any]]:
        """The monitors, all or the given ones; an unknown ARN is an error."""
        if not arns:
            return list(self.anomaly_monitors.values())
        return [self._monitor(arn) for arn in arns]

    def _monitor(self, arn: str) -> dict[str, Any]:
        if arn not in self.anomaly_monitors:
            raise UnknownMonitorException(arn)
        return self.anomaly_monitors[arn]

    def update_anomaly_monitor(self, arn: str, name: str | None) -> str:
        """Rename a monitor (the only change AWS allows)."""
        monitor = self._monitor(arn)
        if name:
            monitor["MonitorName"] = name
            monitor["LastUpdatedDate"] = _today()
        return arn

    def delete_anomaly_monitor(self, arn: str) -> None:
        """Delete a monitor and its tags."""
        self._monitor(arn)
        del self.anomaly_monitors[arn]
        self.tagger.delete_all_tags_for_resource(arn)

    def _checked_subscription(self, subscription: dict[str, Any]) -> dict[str, Any]:
        for arn in subscription.get("MonitorArnList") or []:
            self._monitor(arn)
        frequency = subscription.get("Frequency")
        if frequency not in ("DAILY", "IMMEDIATE", "WEEKLY"):
            raise ValidationException(f"Invalid Frequency: {frequency}")
        subscribers = subscription.get("Subscribers") or []
        if not subscribers:
            raise ValidationException("A subscription needs at least one subscriber")
        if frequency == "IMMEDIATE" and any(s.get("Type") != "SNS" for s in subscribers):
            raise ValidationException("IMMEDIATE subscriptions notify SNS topics only")
        return subscription

    def create_anomaly_subscription(
        self, subscription: dict[str, Any], tags: list[dict[str, str]]
    ) -> str:
        """Create a subscription of existing monitors."""
        arn = self._arn("anomalysubscription")
        kept = {
            key: value
            for key, value in self._checked_subscription(subscription).items()
            if key != "SubscriptionArn"
        }
        kept["Subscribers"] = [
            {"Address": s["Address"], "Type": s["Type"], "Status": "CONFIRMED"}
            for s in kept["Subscribers"]
        ]
        self.anomaly_subscriptions[arn] = (
            {"AccountId": self.account_id} | kept | {"SubscriptionArn": arn}
        )
        self.tag_resource(arn, tags)
        return arn

    def _subscription(self, arn: str) -> dict[str, Any]:
        if arn not in self.anomaly_subscriptions:
            raise UnknownSubscriptionException(arn)
        return self.anomaly_subscriptions[arn]

    def get_anomaly_subscriptions(
        self, arns: list[str] | None, monitor_arn: str | None
    ) -> list[dict[str, Any]]:
        """The subscriptions: all, the given ones, or those of a monitor."""
        found = (
            [self._subscription(arn) for arn in arns]
            if arns
            else list(self.anomaly_subscriptions.values())
        )
        return [s for s in found if monitor_arn in (None, *s.get("MonitorArnList", []))]

    def update_anomaly_subscription(self, arn: str, changes: dict[str, Any]) -> str:
        """Change the given fields of a subscription."""
        current = self._subscription(arn)
        updated = current | {k: v for k, v in changes.items() if v is not None}
        self._checked_subscription(updated)
        if changes.get("Subscribers") is not None:
            updated["Subscribers"] = [
                {"Address": s["Address"], "Type": s["Type"], "Status": "CONFIRMED"}
                for s in changes["Subscribers"]
            ]
        self.anomaly_subscriptions[arn] = updated
        return arn

    def delete_anomaly_subscription(self, arn: str) -> None:
        """Delete a subscription and its tags."""
        self._subscription(arn)
        del self.anomaly_subscriptions[arn]
        self.tagger.delete_all_tags_for_resource(arn)


class AnomalyDetectionResponse(_Response):
    """Methods for moto's ``CostExplorerResponse``."""

    if TYPE_CHECKING:

        @property
        def ce_backend(self) -> AnomalyDetectionBackend:
            """The backend, with the methods above."""

    def create_anomaly_monitor(self) -> str:
        """CreateAnomalyMonitor."""
        arn = self.ce_backend.create_anomaly_monitor(
            self._get_param("AnomalyMonitor", {}), self._get_param("ResourceTags", [])
        )
        return json.dumps({"MonitorArn": arn})

    def get_anomaly_monitors(self) -> str:
        """GetAnomalyMonitors (one page)."""
        monitors = self.ce_backend.get_anomaly_monitors(self._get_param("MonitorArnList"))
        return json.dumps({"AnomalyMonitors": monitors})

    def update_anomaly_monitor(self) -> str:
        """UpdateAnomalyMonitor."""
        arn = self.ce_backend.update_anomaly_monitor(
            self._get_param("MonitorArn"), self._get_param("MonitorName")
        )
        return json.dumps({"MonitorArn": arn})

    def delete_anomaly_monitor(self) -> str:
        """DeleteAnomalyMonitor."""
        self.ce_backend.delete_anomaly_monitor(self._get_param("MonitorArn"))
        return json.dumps({})

    def create_anomaly_subscription(self) -> str:
        """CreateAnomalySubscription."""
        arn = self.ce_backend.create_anomaly_subscription(
            self._get_param("AnomalySubscription", {}), self._get_param("ResourceTags", [])
        )
        return json.dumps({"SubscriptionArn": arn})

    def get_anomaly_subscriptions(self) -> str:
        """GetAnomalySubscriptions (one page)."""
        subscriptions = self.ce_backend.get_anomaly_subscriptions(
            self._get_param("SubscriptionArnList"), self._get_param("MonitorArn")
        )
        return json.dumps({"AnomalySubscriptions": subscriptions})

    def update_anomaly_subscription(self) -> str:
        """UpdateAnomalySubscription."""
        fields = (
            "Threshold",
            "Frequency",
            "MonitorArnList",
            "Subscribers",
            "SubscriptionName",
            "ThresholdExpression",
        )
        arn = self.ce_backend.update_anomaly_subscription(
            self._get_param("SubscriptionArn"), {f: self._get_param(f) for f in fields}
        )
        return json.dumps({"SubscriptionArn": arn})

    def delete_anomaly_subscription(self) -> str:
        """DeleteAnomalySubscription."""
        self.ce_backend.delete_anomaly_subscription(self._get_param("SubscriptionArn"))
        return json.dumps({})


def check(session: boto3.Session) -> bool:
    """A monitor and its subscription read back as created, are updated and deleted."""
    ce = session.client("ce")
    monitor = ce.create_anomaly_monitor(
        AnomalyMonitor={
            "MonitorName": "ext-services",
            "MonitorType": "DIMENSIONAL",
            "MonitorDimension": "SERVICE",
        },
        ResourceTags=[{"Key": "Team", "Value": "core"}],
    )["MonitorArn"]
    expression = {
        "Dimensions": {
            "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
            "Values": ["50"],
        }
    }
    subscription = ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "ext-daily",
            "MonitorArnList": [monitor],
            "Subscribers": [{"Type": "EMAIL", "Address": "ops@example.com"}],
            "Frequency": "DAILY",
            "ThresholdExpression": expression,
        }
    )["SubscriptionArn"]
    ce.update_anomaly_subscription(SubscriptionArn=subscription, Frequency="WEEKLY")
    read = ce.get_anomaly_subscriptions(SubscriptionArnList=[subscription])
    found = read["AnomalySubscriptions"][0]
    monitors = ce.get_anomaly_monitors(MonitorArnList=[monitor])["AnomalyMonitors"]
    tags = ce.list_tags_for_resource(ResourceArn=monitor)["ResourceTags"]
    ce.delete_anomaly_subscription(SubscriptionArn=subscription)
    ce.delete_anomaly_monitor(MonitorArn=monitor)
    return bool(
        found["Frequency"] == "WEEKLY"
        and found["ThresholdExpression"] == expression
        and found["AccountId"] == session.client("sts").get_caller_identity()["Account"]
        and [m["MonitorName"] for m in monitors] == ["ext-services"]
        and tags == [{"Key": "Team", "Value": "core"}]
        and ce.get_anomaly_monitors()["AnomalyMonitors"] == []
    )


EXTENSION = Extension(
    name="ce_anomaly_detection",
    summary="cost anomaly monitors and subscriptions, created, read back, updated, deleted",
    operations=(
        "CreateAnomalyMonitor",
        "GetAnomalyMonitors",
        "UpdateAnomalyMonitor",
        "DeleteAnomalyMonitor",
        "CreateAnomalySubscription",
        "GetAnomalySubscriptions",
        "UpdateAnomalySubscription",
        "DeleteAnomalySubscription",
    ),
    grafts=(
        Graft(CostExplorerBackend, AnomalyDetectionBackend),
        Graft(CostExplorerResponse, AnomalyDetectionResponse),
    ),
    check=check,
)
