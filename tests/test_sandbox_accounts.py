"""Several AWS accounts in one emulator, reached through sts:AssumeRole."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfgen import sandbox


@pytest.fixture
def running(tmp_path: Path) -> Iterator[sandbox.Sandbox]:
    state_dir = tmp_path / ".tfgen"
    yield sandbox.start(state_dir)
    sandbox.stop(state_dir)


def test_each_account_has_its_own_resources(running: sandbox.Sandbox) -> None:
    first = running.account_session("111111111111", "us-east-1")
    second = running.account_session("222222222222", "us-east-1")
    assert first.client("sts").get_caller_identity()["Account"] == "111111111111"
    assert second.client("sts").get_caller_identity()["Account"] == "222222222222"

    first.client("s3").create_bucket(Bucket="only-in-111111111111")
    first.client("s3").put_object(Bucket="only-in-111111111111", Key="k", Body=b"v")

    assert [b["Name"] for b in first.client("s3").list_buckets()["Buckets"]] == ["only-in-111111111111"]
    assert second.client("s3").list_buckets()["Buckets"] == []
    with pytest.raises(second.client("s3").exceptions.ClientError, match="AccessDenied"):
        second.client("s3").get_object(Bucket="only-in-111111111111", Key="k")
    # Nor does the default account see it.
    assert running.boto3_session("us-east-1").client("s3").list_buckets()["Buckets"] == []

    first.client("sqs").create_queue(QueueName="jobs")
    assert second.client("sqs").list_queues().get("QueueUrls", []) == []


def test_a_child_process_acts_in_the_account_of_its_environment(running: sandbox.Sandbox) -> None:
    env = running.account_env("222222222222", "eu-west-1", base={"PATH": "/usr/bin:/bin", "AWS_PROFILE": "x"})
    assert "AWS_PROFILE" not in env
    assert env["AWS_SESSION_TOKEN"] and env["AWS_ACCESS_KEY_ID"] != sandbox.FAKE_ACCESS_KEY
    code = "import boto3; print(boto3.client('sts').get_caller_identity()['Account'])"
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "222222222222"


def test_an_account_id_is_twelve_digits(running: sandbox.Sandbox) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        running.account_session("2222", "us-east-1")
