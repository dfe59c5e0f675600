"""GuardDuty extension, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

from typing import Any

import boto3


def _features(guardduty: Any, detector: str) -> dict[str, dict[str, Any]]:
    answer = guardduty.get_detector(DetectorId=detector)
    return {f["Name"]: f for f in answer["Features"]}


def test_features_are_merged_by_name_one_update_at_a_time(aws: boto3.Session) -> None:
    guardduty = aws.client("guardduty")
    detector = guardduty.create_detector(
        Enable=True, Features=[{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}]
    )["DetectorId"]
    guardduty.update_detector(DetectorId=detector, Features=[{"Name": "EBS_MALWARE_PROTECTION", "Status": "ENABLED"}])
    guardduty.update_detector(
        DetectorId=detector,
        Features=[
            {
                "Name": "RUNTIME_MONITORING",
                "Status": "ENABLED",
                "AdditionalConfiguration": [
                    {"Name": "ECS_FARGATE_AGENT_MANAGEMENT", "Status": "ENABLED"},
                    {"Name": "EC2_AGENT_MANAGEMENT", "Status": "DISABLED"},
                ],
            }
        ],
    )
    features = _features(guardduty, detector)
    assert {name: f["Status"] for name, f in features.items()} == {
        "S3_DATA_EVENTS": "ENABLED",
        "EBS_MALWARE_PROTECTION": "ENABLED",
        "RUNTIME_MONITORING": "ENABLED",
    }
    assert all("UpdatedAt" in f for f in features.values())

    # One additional configuration changes; the other stays as it was.
    guardduty.update_detector(
        DetectorId=detector,
        Features=[
            {
                "Name": "RUNTIME_MONITORING",
                "Status": "ENABLED",
                "AdditionalConfiguration": [{"Name": "EC2_AGENT_MANAGEMENT", "Status": "ENABLED"}],
            }
        ],
    )
    guardduty.update_detector(DetectorId=detector, Features=[{"Name": "S3_DATA_EVENTS", "Status": "DISABLED"}])
    features = _features(guardduty, detector)
    runtime = {c["Name"]: c["Status"] for c in features["RUNTIME_MONITORING"]["AdditionalConfiguration"]}
    assert runtime == {"ECS_FARGATE_AGENT_MANAGEMENT": "ENABLED", "EC2_AGENT_MANAGEMENT": "ENABLED"}
    assert features["S3_DATA_EVENTS"]["Status"] == "DISABLED"
    assert features["EBS_MALWARE_PROTECTION"]["Status"] == "ENABLED"


def test_an_update_without_features_keeps_them(aws: boto3.Session) -> None:
    guardduty = aws.client("guardduty")
    detector = guardduty.create_detector(
        Enable=True, Features=[{"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}]
    )["DetectorId"]
    guardduty.update_detector(DetectorId=detector, FindingPublishingFrequency="FIFTEEN_MINUTES")
    answer = guardduty.get_detector(DetectorId=detector)
    assert answer["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"
    assert [(f["Name"], f["Status"]) for f in answer["Features"]] == [("RDS_LOGIN_EVENTS", "ENABLED")]
