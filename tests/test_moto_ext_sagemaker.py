"""SageMaker extensions, round trips through boto3 against a running sandbox server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/clientnest-dev-model-recommender:1.4.0"
ROLE = "arn:aws:iam::123456789012:role/recommender-sagemaker"


def test_model_network_isolation_and_vpc_read_back(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    vpc = {"Subnets": ["subnet-1", "subnet-2"], "SecurityGroupIds": ["sg-1"]}
    sagemaker.create_model(
        ModelName="recommender-v1",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://ml/models/recommender/v1/model.tar.gz"},
        VpcConfig=vpc,
        EnableNetworkIsolation=True,
    )
    sagemaker.create_model(ModelName="recommender-open", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    described = sagemaker.describe_model(ModelName="recommender-v1")
    assert described["EnableNetworkIsolation"] is True
    assert described["VpcConfig"] == vpc
    assert sagemaker.describe_model(ModelName="recommender-open").get("EnableNetworkIsolation") is False


def test_model_package_group_delete(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    arn = sagemaker.create_model_package_group(
        ModelPackageGroupName="recommender", Tags=[{"Key": "Team", "Value": "ai"}]
    )["ModelPackageGroupArn"]
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "Team", "Value": "ai"}]
    sagemaker.delete_model_package_group(ModelPackageGroupName="recommender")
    with pytest.raises(ClientError, match="does not exist"):
        sagemaker.describe_model_package_group(ModelPackageGroupName="recommender")
    with pytest.raises(ClientError, match="does not exist"):
        sagemaker.delete_model_package_group(ModelPackageGroupName="recommender")


def test_a_group_holding_versions_is_not_deleted(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName="ranker")
    sagemaker.create_model_package(
        ModelPackageGroupName="ranker",
        InferenceSpecification={
            "Containers": [{"Image": IMAGE}],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )
    with pytest.raises(ClientError, match="ConflictException"):
        sagemaker.delete_model_package_group(ModelPackageGroupName="ranker")
    assert sagemaker.describe_model_package_group(ModelPackageGroupName="ranker")["ModelPackageGroupName"] == "ranker"
