"""Cost Explorer anomaly detection extension, round trips against a running sandbox server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tfgen.sandbox import Sandbox

ABSOLUTE_50 = {"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "MatchOptions": ["GREATER_THAN_OR_EQUAL"], "Values": ["50.00"]}}


def test_monitors_and_subscriptions_round_trip(emulator: Sandbox) -> None:
    ce = emulator.account_session("210000000007", "us-east-1").client("ce")
    services = {"MonitorName": "services", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"}
    monitor = ce.create_anomaly_monitor(AnomalyMonitor=services, ResourceTags=[{"Key": "Team", "Value": "core"}])["MonitorArn"]
    assert monitor.startswith("arn:aws:ce::210000000007:anomalymonitor/")
    with pytest.raises(ClientError, match="LimitExceededException"):
        ce.create_anomaly_monitor(AnomalyMonitor=services | {"MonitorName": "again"})
    read = ce.get_anomaly_monitors(MonitorArnList=[monitor])["AnomalyMonitors"][0]
    assert {k: read[k] for k in services} == services
    ce.update_anomaly_monitor(MonitorArn=monitor, MonitorName="all-services")
    assert ce.get_anomaly_monitors()["AnomalyMonitors"][0]["MonitorName"] == "all-services"
    assert ce.list_tags_for_resource(ResourceArn=monitor)["ResourceTags"] == [{"Key": "Team", "Value": "core"}]

    topic = "arn:aws:sns:us-east-1:210000000007:alerts"
    immediate = ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "to-topic",
            "MonitorArnList": [monitor],
            "Subscribers": [{"Type": "SNS", "Address": topic}],
            "Frequency": "IMMEDIATE",
            "ThresholdExpression": ABSOLUTE_50,
        },
        ResourceTags=[{"Key": "Team", "Value": "core"}],
    )["SubscriptionArn"]
    found = ce.get_anomaly_subscriptions(SubscriptionArnList=[immediate])["AnomalySubscriptions"][0]
    assert found["AccountId"] == "210000000007"
    assert found["ThresholdExpression"] == ABSOLUTE_50
    assert found["Subscribers"] == [{"Type": "SNS", "Address": topic, "Status": "CONFIRMED"}]
    assert [s["SubscriptionArn"] for s in ce.get_anomaly_subscriptions(MonitorArn=monitor)["AnomalySubscriptions"]] == [immediate]

    # Email is for daily or weekly summaries only.
    with pytest.raises(ClientError, match="ValidationException"):
        ce.update_anomaly_subscription(SubscriptionArn=immediate, Subscribers=[{"Type": "EMAIL", "Address": "ops@example.com"}])
    ce.update_anomaly_subscription(
        SubscriptionArn=immediate, Frequency="DAILY", Subscribers=[{"Type": "EMAIL", "Address": "ops@example.com"}]
    )
    found = ce.get_anomaly_subscriptions(SubscriptionArnList=[immediate])["AnomalySubscriptions"][0]
    assert (found["Frequency"], [s["Address"] for s in found["Subscribers"]]) == ("DAILY", ["ops@example.com"])

    with pytest.raises(ClientError, match="UnknownMonitorException"):
        ce.create_anomaly_subscription(
            AnomalySubscription={
                "SubscriptionName": "nothing",
                "MonitorArnList": [monitor + "0"],
                "Subscribers": [{"Type": "SNS", "Address": topic}],
                "Frequency": "IMMEDIATE",
            }
        )
    ce.delete_anomaly_subscription(SubscriptionArn=immediate)
    with pytest.raises(ClientError, match="UnknownSubscriptionException"):
        ce.get_anomaly_subscriptions(SubscriptionArnList=[immediate])
    ce.delete_anomaly_monitor(MonitorArn=monitor)
    assert ce.get_anomaly_monitors()["AnomalyMonitors"] == []
    assert ce.list_tags_for_resource(ResourceArn=monitor)["ResourceTags"] == []


def test_custom_monitors_need_a_specification(aws: boto3.Session) -> None:
    ce = aws.client("ce")
    with pytest.raises(ClientError, match="ValidationException"):
        ce.create_anomaly_monitor(AnomalyMonitor={"MonitorName": "custom", "MonitorType": "CUSTOM"})
    arn = ce.create_anomaly_monitor(
        AnomalyMonitor={"MonitorName": "prod", "MonitorType": "CUSTOM", "MonitorSpecification": {"Tags": {"Key": "Environment", "Values": ["prod"]}}}
    )["MonitorArn"]
    assert ce.get_anomaly_monitors(MonitorArnList=[arn])["AnomalyMonitors"][0]["MonitorSpecification"] == {"Tags": {"Key": "Environment", "Values": ["prod"]}}
