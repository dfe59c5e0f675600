"""The extensions resilience needs, round trips through boto3 against a running sandbox server.

Backup restore testing and tags, RDS automated backups replication, X-Ray
sampling rules, CloudWatch composite alarms, CloudFront origin groups, S3
replication rules read back, bucket policies with conditions on batch deletes,
Systems Manager patch baselines, patch groups and maintenance window tasks.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def test_restore_testing_plan_and_selection_lifecycle(aws: boto3.Session) -> None:
    backup = aws.client("backup")
    plan = {
        "RestoreTestingPlanName": "weekly_tests",
        "ScheduleExpression": "cron(0 6 ? * SAT *)",
        "RecoveryPointSelection": {
            "Algorithm": "LATEST_WITHIN_WINDOW",
            "IncludeVaults": ["arn:aws:backup:us-east-1:123456789012:backup-vault:app"],
            "RecoveryPointTypes": ["SNAPSHOT"],
            "SelectionWindowDays": 7,
        },
    }
    created = backup.create_restore_testing_plan(RestoreTestingPlan=plan, Tags={"Env": "prod"}, CreatorRequestId="r1")
    arn = created["RestoreTestingPlanArn"]
    assert arn.endswith(":restore-testing-plan:weekly_tests")
    read = backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_tests")["RestoreTestingPlan"]
    assert read["RecoveryPointSelection"] == plan["RecoveryPointSelection"]
    assert (read["ScheduleExpression"], read["CreatorRequestId"]) == ("cron(0 6 ? * SAT *)", "r1")
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {"Env": "prod"}

    backup.update_restore_testing_plan(
        RestoreTestingPlanName="weekly_tests", RestoreTestingPlan={"ScheduleExpression": "cron(0 7 ? * SUN *)"}
    )
    updated = backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_tests")["RestoreTestingPlan"]
    assert updated["ScheduleExpression"] == "cron(0 7 ? * SUN *)"
    assert updated["RecoveryPointSelection"] == plan["RecoveryPointSelection"]

    selection = {
        "RestoreTestingSelectionName": "rds",
        "ProtectedResourceType": "RDS",
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "ProtectedResourceConditions": {"StringEquals": [{"Key": "aws:ResourceTag/Env", "Value": "prod"}]},
        "ValidationWindowHours": 4,
    }
    backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_tests", RestoreTestingSelection=selection)
    got = backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_tests", RestoreTestingSelectionName="rds")
    assert {k: got["RestoreTestingSelection"][k] for k in selection} == selection
    listed = backup.list_restore_testing_selections(RestoreTestingPlanName="weekly_tests")["RestoreTestingSelections"]
    assert [s["RestoreTestingSelectionName"] for s in listed] == ["rds"]
    backup.update_restore_testing_selection(
        RestoreTestingPlanName="weekly_tests",
        RestoreTestingSelectionName="rds",
        RestoreTestingSelection={"ValidationWindowHours": 8},
    )
    again = backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_tests", RestoreTestingSelectionName="rds")
    assert again["RestoreTestingSelection"]["ValidationWindowHours"] == 8

    with pytest.raises(ClientError, match="InvalidRequestException"):
        backup.delete_restore_testing_plan(RestoreTestingPlanName="weekly_tests")  # a selection is left
    backup.delete_restore_testing_selection(RestoreTestingPlanName="weekly_tests", RestoreTestingSelectionName="rds")
    backup.delete_restore_testing_plan(RestoreTestingPlanName="weekly_tests")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_tests")


def _without_trailing_slash(request: Any, **_: Any) -> None:
    request.url = request.url.replace("/?", "?").rstrip("/")


def test_backup_tags_read_back_for_the_go_sdks_path(aws: boto3.Session) -> None:
    backup = aws.client("backup")
    go_like = aws.client("backup")
    go_like.meta.events.register("before-sign.backup.ListTags", _without_trailing_slash)
    vault = backup.create_backup_vault(BackupVaultName="tagged", BackupVaultTags={"Env": "prod", "Name": "tagged"})
    plan = backup.create_backup_plan(
        BackupPlan={"BackupPlanName": "tagged", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "tagged"}]},
        BackupPlanTags={"Env": "prod"},
    )
    for arn, tags in ((vault["BackupVaultArn"], {"Env": "prod", "Name": "tagged"}), (plan["BackupPlanArn"], {"Env": "prod"})):
        assert go_like.list_tags(ResourceArn=arn)["Tags"] == tags
        assert backup.list_tags(ResourceArn=arn)["Tags"] == tags


def test_rds_automated_backups_replicate_to_another_region(aws: boto3.Session) -> None:
    source = aws.client("rds", region_name="us-east-1")
    arn = source.create_db_instance(
        DBInstanceIdentifier="replicated",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        StorageEncrypted=True,
        BackupRetentionPeriod=7,
    )["DBInstance"]["DBInstanceArn"]
    destination = aws.client("rds", region_name="us-west-2")
    key = "arn:aws:kms:us-west-2:123456789012:key/dr"
    started = destination.start_db_instance_automated_backups_replication(
        SourceDBInstanceArn=arn, BackupRetentionPeriod=35, KmsKeyId=key
    )["DBInstanceAutomatedBackup"]
    backups_arn = started["DBInstanceAutomatedBackupsArn"]
    assert backups_arn.startswith("arn:aws:rds:us-west-2:123456789012:auto-backup:ab-")
    with pytest.raises(ClientError, match="already replicated"):
        destination.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)
    with pytest.raises(ClientError, match="another region"):
        source.start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)

    by_arn = destination.describe_db_instance_automated_backups(DBInstanceAutomatedBackupsArn=backups_arn)
    by_name = destination.describe_db_instance_automated_backups(DBInstanceIdentifier="replicated")
    for found in (by_arn, by_name):
        (backup,) = found["DBInstanceAutomatedBackups"]
        assert (backup["DBInstanceArn"], backup["Region"], backup["Status"]) == (arn, "us-east-1", "replicating")
        assert (backup["BackupRetentionPeriod"], backup["KmsKeyId"], backup["Encrypted"]) == (35, key, True)

    source.stop_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)
    assert destination.describe_db_instance_automated_backups(DBInstanceAutomatedBackupsArn=backups_arn)[
        "DBInstanceAutomatedBackups"
    ] == []
    source.delete_db_instance(DBInstanceIdentifier="replicated", SkipFinalSnapshot=True)


def test_xray_sampling_rule_lifecycle(aws: boto3.Session) -> None:
    xray = aws.client("xray")
    rule = {
        "RuleName": "app-api",
        "Priority": 1000,
        "FixedRate": 0.05,
        "ReservoirSize": 1,
        "ServiceName": "app-api",
        "ServiceType": "*",
        "Host": "*",
        "HTTPMethod": "*",
        "URLPath": "*",
        "ResourceARN": "*",
        "Version": 1,
    }
    record = xray.create_sampling_rule(SamplingRule=rule, Tags=[{"Key": "Env", "Value": "prod"}])["SamplingRuleRecord"]
    arn = record["SamplingRule"]["RuleARN"]
    assert arn == "arn:aws:xray:us-east-1:123456789012:sampling-rule/app-api"
    assert {k: record["SamplingRule"][k] for k in rule} == rule
    with pytest.raises(ClientError, match="already exists"):
        xray.create_sampling_rule(SamplingRule=rule)
    xray.tag_resource(ResourceARN=arn, Tags=[{"Key": "Team", "Value": "backend"}])
    xray.untag_resource(ResourceARN=arn, TagKeys=["Env"])
    assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "Team", "Value": "backend"}]
    xray.update_sampling_rule(SamplingRuleUpdate={"RuleARN": arn, "ReservoirSize": 5})
    (read,) = [r for r in xray.get_sampling_rules()["SamplingRuleRecords"] if r["SamplingRule"]["RuleName"] == "app-api"]
    assert (read["SamplingRule"]["ReservoirSize"], read["SamplingRule"]["FixedRate"]) == (5, 0.05)
    xray.delete_sampling_rule(RuleARN=arn)
    with pytest.raises(ClientError, match="does not exist"):
        xray.delete_sampling_rule(RuleName="app-api")


def test_composite_alarm_over_window_alarms(aws: boto3.Session) -> None:
    cloudwatch = aws.client("cloudwatch")
    for window in ("long", "short"):
        cloudwatch.put_metric_alarm(
            AlarmName=f"slo-{window}",
            Namespace="AWS/ApplicationELB",
            MetricName="RequestCount",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanThreshold",
        )
    rule = 'ALARM("slo-long") AND ALARM("slo-short")'
    cloudwatch.put_composite_alarm(
        AlarmName="slo",
        AlarmRule=rule,
        AlarmDescription="burning",
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:alerts"],
        OKActions=["arn:aws:sns:us-east-1:123456789012:alerts"],
    )
    found = cloudwatch.describe_alarms(AlarmNames=["slo", "slo-long"])
    (composite,) = found["CompositeAlarms"]
    assert (composite["AlarmRule"], composite["AlarmDescription"], composite["ActionsEnabled"]) == (rule, "burning", True)
    assert composite["OKActions"] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
    assert [a["AlarmName"] for a in found["MetricAlarms"]] == ["slo-long"]
    cloudwatch.delete_alarms(AlarmNames=["slo", "slo-long", "slo-short"])
    assert cloudwatch.describe_alarms(AlarmNames=["slo"])["CompositeAlarms"] == []


def _distribution(reference: str, target: str, members: list[str]) -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 2,
            "Items": [
                {"Id": o, "DomainName": f"{o}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
                for o in ("primary", "replica")
            ],
        },
        "OriginGroups": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "failover",
                    "FailoverCriteria": {"StatusCodes": {"Quantity": 4, "Items": [500, 502, 503, 504]}},
                    "Members": {"Quantity": len(members), "Items": [{"OriginId": m} for m in members]},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": target,
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    }


def test_cloudfront_behavior_targets_an_origin_group(aws: boto3.Session) -> None:
    cloudfront = aws.client("cloudfront")
    created = cloudfront.create_distribution(DistributionConfig=_distribution("ok", "failover", ["primary", "replica"]))
    config = cloudfront.get_distribution_config(Id=created["Distribution"]["Id"])["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "failover"
    (group,) = config["OriginGroups"]["Items"]
    assert [m["OriginId"] for m in group["Members"]["Items"]] == ["primary", "replica"]
    assert group["FailoverCriteria"]["StatusCodes"]["Items"] == [500, 502, 503, 504]
    # A group whose members are not origins of the distribution, and an unknown target.
    with pytest.raises(ClientError, match="NoSuchOrigin"):
        cloudfront.create_distribution(DistributionConfig=_distribution("bad", "failover", ["primary", "elsewhere"]))
    with pytest.raises(ClientError, match="NoSuchOrigin"):
        cloudfront.create_distribution(DistributionConfig=_distribution("bad2", "nowhere", ["primary", "replica"]))


def test_s3_replication_rules_read_back_as_written(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    for bucket in ("rr-source", "rr-replica", "rr-logs", "rr-logs-replica"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    kms = {
        "ID": "dr",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Enabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {
            "Bucket": "arn:aws:s3:::rr-replica",
            "StorageClass": "STANDARD_IA",
            "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:us-west-2:123456789012:key/dr"},
        },
    }
    plain = {"ID": "logs", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
             "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::rr-logs-replica"}}
    role = "arn:aws:iam::123456789012:role/replication"
    for bucket, rule in (("rr-source", kms), ("rr-logs", plain)):
        s3.put_bucket_replication(Bucket=bucket, ReplicationConfiguration={"Role": role, "Rules": [rule]})
        read = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]
        assert read["Role"] == role
        assert read["Rules"] == [rule]


def test_batch_deletes_under_the_tls_only_policy_but_not_under_a_plain_deny(aws: boto3.Session) -> None:
    s3 = aws.client("s3")

    def bucket_with(name: str, statement: dict[str, Any]) -> list[dict[str, str]]:
        s3.create_bucket(Bucket=name)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        for key in ("a", "b"):
            s3.put_object(Bucket=name, Key=key, Body=b"log")
        policy = {"Version": "2012-10-17", "Statement": [{**statement, "Resource": [f"arn:aws:s3:::{name}/*"]}]}
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
        versions = s3.list_object_versions(Bucket=name)["Versions"]
        answer = s3.delete_objects(
            Bucket=name, Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]}
        )
        return list(answer.get("Errors", []))

    tls_only = {
        "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert bucket_with("policy-tls-only", tls_only) == []
    assert s3.list_object_versions(Bucket="policy-tls-only").get("Versions", []) == []
    plain_deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject"}
    assert [e["Code"] for e in bucket_with("policy-deny", plain_deny)] == ["AccessDenied", "AccessDenied"]


def test_patch_baselines_groups_and_window_tasks_read_back(aws: boto3.Session) -> None:
    ssm = aws.client("ssm")
    rules = {
        "PatchRules": [
            {
                "PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security", "Bugfix"]}]},
                "ApproveAfterDays": 7,
                "ComplianceLevel": "CRITICAL",
            }
        ]
    }
    baseline = ssm.create_patch_baseline(
        Name="hosts-al2023", OperatingSystem="AMAZON_LINUX_2023", ApprovalRules=rules, Description="security",
        Tags=[{"Key": "Env", "Value": "dev"}],
    )["BaselineId"]
    ssm.add_tags_to_resource(ResourceType="PatchBaseline", ResourceId=baseline, Tags=[{"Key": "Team", "Value": "ml"}])
    assert {t["Key"] for t in ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline)["TagList"]} == {"Env", "Team"}
    with pytest.raises(ClientError, match="DoesNotExistException"):
        ssm.add_tags_to_resource(ResourceType="PatchBaseline", ResourceId="pb-0000000000000000", Tags=[{"Key": "a", "Value": "b"}])

    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="dev-gpu")
    read = ssm.get_patch_baseline(BaselineId=baseline)
    assert (read["Name"], read["OperatingSystem"], read["Description"]) == ("hosts-al2023", "AMAZON_LINUX_2023", "security")
    assert read["ApprovalRules"] == rules and read["PatchGroups"] == ["dev-gpu"]
    (mapping,) = ssm.describe_patch_groups()["Mappings"]
    assert (mapping["PatchGroup"], mapping["BaselineIdentity"]["BaselineId"]) == ("dev-gpu", baseline)
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="dev-gpu")
    assert ssm.describe_patch_groups()["Mappings"] == []
    assert ssm.get_patch_baseline(BaselineId=baseline)["PatchGroups"] == []

    window = ssm.create_maintenance_window(
        Name="dev-patching", Schedule="cron(0 3 ? * SUN *)", Duration=3, Cutoff=1, AllowUnassociatedTargets=False
    )["WindowId"]
    targets = [
        ssm.register_target_with_maintenance_window(
            WindowId=window, ResourceType="INSTANCE", Targets=[{"Key": "tag:Patch Group", "Values": [group]}]
        )["WindowTargetId"]
        for group in ("dev-gpu", "dev-tools")
    ]
    filtered = ssm.describe_maintenance_window_targets(
        WindowId=window, Filters=[{"Key": "WindowTargetId", "Values": [targets[1]]}]
    )["Targets"]
    assert [t["WindowTargetId"] for t in filtered] == [targets[1]]
    invocation = {"RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 3600}}
    task = ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunPatchBaseline", TaskType="RUN_COMMAND", Priority=1,
        Targets=[{"Key": "WindowTargetIds", "Values": targets}], MaxConcurrency="50%", MaxErrors="1",
        TaskInvocationParameters=invocation, Name="install",
    )["WindowTaskId"]
    got = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    assert (got["TaskArn"], got["MaxConcurrency"], got["Name"]) == ("AWS-RunPatchBaseline", "50%", "install")
    assert got["TaskInvocationParameters"] == invocation
    assert [t["WindowTaskId"] for t in ssm.describe_maintenance_window_tasks(
        WindowId=window, Filters=[{"Key": "WindowTaskId", "Values": [task]}]
    )["Tasks"]] == [task]
    with pytest.raises(ClientError, match="DoesNotExistException"):
        ssm.get_maintenance_window_task(WindowId=window, WindowTaskId="00000000-0000-0000-0000-000000000000")
