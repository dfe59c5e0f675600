"""AWS Backup extension, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


def test_backup_selection_lifecycle(aws: boto3.Session) -> None:
    backup = aws.client("backup")
    backup.create_backup_vault(BackupVaultName="vault")
    plan_id = backup.create_backup_plan(
        BackupPlan={"BackupPlanName": "daily", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "vault"}]}
    )["BackupPlanId"]
    selection = {
        "SelectionName": "tagged",
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "Resources": ["arn:aws:rds:us-east-1:123456789012:db:app"],
        "NotResources": [],
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "daily"}],
        "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/Env", "ConditionValue": "prod"}]},
    }
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection, CreatorRequestId="req-1")
    assert created["BackupPlanId"] == plan_id and created["SelectionId"]

    read = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert read["BackupSelection"] == selection
    assert (read["SelectionId"], read["BackupPlanId"], read["CreatorRequestId"]) == (created["SelectionId"], plan_id, "req-1")

    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in listed] == [
        (created["SelectionId"], "tagged", "arn:aws:iam::123456789012:role/backup")
    ]

    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])


def test_a_selection_needs_a_live_plan(aws: boto3.Session) -> None:
    backup = aws.client("backup")
    selection = {"SelectionName": "x", "IamRoleArn": "arn:aws:iam::123456789012:role/backup", "Resources": ["*"]}
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        backup.create_backup_selection(BackupPlanId="no-such-plan", BackupSelection=selection)
