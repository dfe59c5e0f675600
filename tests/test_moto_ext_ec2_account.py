"""EC2 account-level settings extensions, round trips against a running sandbox server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tfgen.sandbox import Sandbox


def test_ebs_default_kms_key_is_read_back_and_reset(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    managed = "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs"
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == managed
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)["KmsKeyId"] == key
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key

    # An encrypted volume created without a key gets the default key.
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)
    assert volume["KmsKeyId"] == key

    assert ec2.reset_ebs_default_kms_key_id()["KmsKeyId"] == managed
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == managed


def test_instance_metadata_defaults_round_trip_per_region(aws: boto3.Session, emulator: Sandbox) -> None:
    ec2 = aws.client("ec2")
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {}
    ec2.modify_instance_metadata_defaults(
        HttpTokens="required", HttpPutResponseHopLimit=1, HttpEndpoint="enabled", InstanceMetadataTags="disabled"
    )
    expected = {"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled", "InstanceMetadataTags": "disabled"}
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == expected

    # Another region, and another account, have their own.
    assert emulator.boto3_session("eu-west-1").client("ec2").get_instance_metadata_defaults()["AccountLevel"] == {}
    other = emulator.account_session("210000000004", "us-east-1").client("ec2")
    assert other.get_instance_metadata_defaults()["AccountLevel"] == {}

    # A bad value changes nothing, not even the good values beside it.
    with pytest.raises(ClientError, match="InvalidParameterValue"):
        ec2.modify_instance_metadata_defaults(HttpTokens="optional", HttpPutResponseHopLimit=65)
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == expected

    ec2.modify_instance_metadata_defaults(HttpTokens="no-preference", HttpPutResponseHopLimit=-1)
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {"HttpEndpoint": "enabled", "InstanceMetadataTags": "disabled"}
