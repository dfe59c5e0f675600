"""Read-back fidelity extensions (ECS, RDS, Lambda, EC2), round trips against a running sandbox server."""

from __future__ import annotations

import io
import zipfile

import boto3


def test_ecs_service_availability_zone_rebalancing(aws: boto3.Session) -> None:
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="az")
    ecs.register_task_definition(family="az", containerDefinitions=[{"name": "app", "image": "app", "memory": 512}])
    ecs.create_service(cluster="az", serviceName="on", taskDefinition="az", desiredCount=1, availabilityZoneRebalancing="ENABLED")
    ecs.create_service(cluster="az", serviceName="default", taskDefinition="az", desiredCount=1)
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster="az", services=["on", "default"])["services"]}
    assert services["on"]["availabilityZoneRebalancing"] == "ENABLED"
    assert services["default"]["availabilityZoneRebalancing"] == "DISABLED"
    ecs.update_service(cluster="az", service="on", availabilityZoneRebalancing="DISABLED")
    assert ecs.describe_services(cluster="az", services=["on"])["services"][0]["availabilityZoneRebalancing"] == "DISABLED"


def test_rds_performance_insights_read_back(aws: boto3.Session) -> None:
    rds = aws.client("rds")
    key = "arn:aws:kms:us-east-1:123456789012:key/data"
    common = {"DBInstanceClass": "db.t4g.micro", "Engine": "postgres", "MasterUsername": "app", "MasterUserPassword": "secret123456", "AllocatedStorage": 20}
    rds.create_db_instance(DBInstanceIdentifier="pi-on", EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=key, PerformanceInsightsRetentionPeriod=7, **common)
    rds.create_db_instance(DBInstanceIdentifier="pi-off", **common)

    def described(name: str) -> dict[str, object]:
        instance = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
        return {k: instance.get(k) for k in ("PerformanceInsightsEnabled", "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod")}

    assert described("pi-on") == {"PerformanceInsightsEnabled": True, "PerformanceInsightsKMSKeyId": key, "PerformanceInsightsRetentionPeriod": 7}
    assert described("pi-off")["PerformanceInsightsEnabled"] is False

    rds.modify_db_instance(DBInstanceIdentifier="pi-off", EnablePerformanceInsights=True, ApplyImmediately=True)
    on = described("pi-off")
    assert on["PerformanceInsightsEnabled"] is True and on["PerformanceInsightsRetentionPeriod"] == 7
    assert str(on["PerformanceInsightsKMSKeyId"]).endswith(":alias/aws/rds")
    rds.modify_db_instance(DBInstanceIdentifier="pi-on", PerformanceInsightsRetentionPeriod=731, ApplyImmediately=True)
    assert described("pi-on")["PerformanceInsightsRetentionPeriod"] == 731
    rds.modify_db_instance(DBInstanceIdentifier="pi-on", EnablePerformanceInsights=False, ApplyImmediately=True)
    assert described("pi-on") == {"PerformanceInsightsEnabled": False, "PerformanceInsightsKMSKeyId": None, "PerformanceInsightsRetentionPeriod": None}


def test_rds_parameters_set_by_the_user_say_so(aws: boto3.Session) -> None:
    rds = aws.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres16", Description="x")
    rds.modify_db_parameter_group(
        DBParameterGroupName="pg",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"},
            {"ParameterName": "log_min_duration_statement", "ParameterValue": "1000", "ApplyMethod": "immediate"},
        ],
    )
    parameters = rds.describe_db_parameters(DBParameterGroupName="pg", Source="user")["Parameters"]
    assert sorted((p["ParameterName"], p["ParameterValue"], p["ApplyMethod"], p["Source"]) for p in parameters) == [
        ("log_min_duration_statement", "1000", "immediate", "user"),
        ("rds.force_ssl", "1", "pending-reboot", "user"),
    ]
    assert len(rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]) == 2
    assert rds.describe_db_parameters(DBParameterGroupName="pg", Source="engine-default")["Parameters"] == []


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def test_lambda_dead_letter_config_read_back(aws: boto3.Session) -> None:
    role = aws.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    aws_lambda = aws.client("lambda")
    dlq = "arn:aws:sqs:us-east-1:123456789012:fn-dlq"
    created = aws_lambda.create_function(
        FunctionName="fn", Runtime="python3.12", Role=role, Handler="handler.handler",
        Code={"ZipFile": _zip()}, DeadLetterConfig={"TargetArn": dlq},
    )
    assert created["DeadLetterConfig"] == {"TargetArn": dlq}
    assert aws_lambda.get_function(FunctionName="fn")["Configuration"]["DeadLetterConfig"] == {"TargetArn": dlq}
    aws_lambda.update_function_configuration(FunctionName="fn", Timeout=10)
    assert aws_lambda.get_function_configuration(FunctionName="fn")["DeadLetterConfig"] == {"TargetArn": dlq}
    aws_lambda.update_function_configuration(FunctionName="fn", DeadLetterConfig={})
    assert "DeadLetterConfig" not in aws_lambda.get_function_configuration(FunctionName="fn")


def test_descriptions_of_rules_that_reference_a_group(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    service = ec2.create_security_group(GroupName="svc", Description="x", VpcId=vpc)["GroupId"]
    alb = ec2.create_security_group(GroupName="alb", Description="x", VpcId=vpc)["GroupId"]
    ingress = ec2.authorize_security_group_ingress(
        GroupId=service,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": alb, "Description": "from the ALB"}]}],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    egress = ec2.authorize_security_group_egress(
        GroupId=alb,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": service, "Description": "to the service"}]}],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    cidr = ec2.authorize_security_group_ingress(
        GroupId=alb,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS"}]}],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    rules = {r["SecurityGroupRuleId"]: r for r in ec2.describe_security_group_rules(SecurityGroupRuleIds=[ingress, egress, cidr])["SecurityGroupRules"]}
    assert rules[ingress]["Description"] == "from the ALB" and rules[ingress]["ReferencedGroupInfo"]["GroupId"] == alb
    assert rules[egress]["Description"] == "to the service" and rules[egress]["IsEgress"] is True
    assert rules[cidr]["Description"] == "HTTPS"
