"""State bootstrap against a real moto server: hardening read back, idempotence, locks."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import boto3
import pytest
from botocore.exceptions import ClientError

from tfgen import sandbox
from tfgen.bootstrap import bootstrap, lock_holders
from tfgen.errors import RunError

REGION: Final = "eu-west-1"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sandbox.Sandbox]:
    state_dir = tmp_path_factory.mktemp("bootstrap") / ".tfgen"
    yield sandbox.start(state_dir)
    sandbox.stop(state_dir)


@pytest.fixture
def session(emulator: sandbox.Sandbox) -> boto3.Session:
    return emulator.boto3_session(REGION)


def _bucket_settings(session: boto3.Session, bucket: str) -> dict[str, Any]:
    s3 = session.client("s3")
    return {
        "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
        "encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
            "Rules"
        ],
        "public_access_block": s3.get_public_access_block(Bucket=bucket)[
            "PublicAccessBlockConfiguration"
        ],
        "ownership": s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"],
        "policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
    }


def _table_settings(session: boto3.Session, table: str) -> dict[str, Any]:
    dynamodb = session.client("dynamodb")
    described = dynamodb.describe_table(TableName=table)["Table"]
    backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    return {
        "status": described["TableStatus"],
        "key": described["KeySchema"],
        "attributes": described["AttributeDefinitions"],
        "billing": described["BillingModeSummary"]["BillingMode"],
        "sse": described["SSEDescription"]["Status"],
        "pitr": backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
    }


def test_bootstrap_creates_a_hardened_bucket_and_table(session: boto3.Session) -> None:
    report = bootstrap(
        session, bucket="clientnest-tfstate-dev", table="tflock-dev", region=REGION, tls_only=True
    )

    assert report.lines() == [
        "state bucket clientnest-tfstate-dev: created (versioning, SSE-KMS, public access block,"
        " owner-enforced ownership, TLS-only policy)",
        "lock table tflock-dev: created (on-demand, SSE-KMS, point-in-time recovery)",
    ]
    bucket = _bucket_settings(session, "clientnest-tfstate-dev")
    assert bucket["versioning"] == "Enabled"
    [rule] = bucket["encryption"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    assert bucket["public_access_block"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["ownership"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [statement] = bucket["policy"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(statement["Resource"]) == {
        "arn:aws:s3:::clientnest-tfstate-dev",
        "arn:aws:s3:::clientnest-tfstate-dev/*",
    }

    assert _table_settings(session, "tflock-dev") == {
        "status": "ACTIVE",
        "key": [{"AttributeName": "LockID", "KeyType": "HASH"}],
        "attributes": [{"AttributeName": "LockID", "AttributeType": "S"}],
        "billing": "PAY_PER_REQUEST",
        "sse": "ENABLED",
        "pitr": "ENABLED",
    }


def test_second_run_reports_exists_and_changes_nothing(session: boto3.Session) -> None:
    names = {"bucket": "clientnest-tfstate-twice", "table": "tflock-twice", "region": REGION}
    bootstrap(session, **names, tls_only=True)
    before = _bucket_settings(session, names["bucket"]), _table_settings(session, names["table"])

    report = bootstrap(session, **names, tls_only=True)

    assert not report.changed
    assert (report.bucket.status, report.table.status) == ("exists", "exists")
    assert report.lines() == [
        "state bucket clientnest-tfstate-twice: exists (all settings in place)",
        "lock table tflock-twice: exists (all settings in place)",
    ]
    after = _bucket_settings(session, names["bucket"]), _table_settings(session, names["table"])
    assert after == before


def test_existing_bucket_is_repaired_and_its_own_policy_kept(session: boto3.Session) -> None:
    s3 = session.client("s3")
    s3.create_bucket(
        Bucket="clientnest-tfstate-old", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    theirs = {
        "Sid": "ReadForAuditors",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::clientnest-tfstate-old/*",
    }
    s3.put_bucket_policy(
        Bucket="clientnest-tfstate-old",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [theirs]}),
    )

    report = bootstrap(
        session, bucket="clientnest-tfstate-old", table="tflock-old", region=REGION, tls_only=True
    )

    assert report.bucket.status == "exists"
    assert {"versioning", "TLS-only policy"} <= set(report.bucket.fixed)
    assert report.bucket.describe().startswith(
        "state bucket clientnest-tfstate-old: exists (re-applied "
    )
    statements = _bucket_settings(session, "clientnest-tfstate-old")["policy"]["Statement"]
    assert [s["Sid"] for s in statements] == ["ReadForAuditors", "DenyInsecureTransport"]
    assert not bootstrap(
        session, bucket="clientnest-tfstate-old", table="tflock-old", region=REGION, tls_only=True
    ).changed


def test_tls_only_policy_is_left_out_behind_a_plain_http_endpoint(session: boto3.Session) -> None:
    report = bootstrap(
        session, bucket="clientnest-tfstate-http", table="tflock-http", region=REGION
    )

    assert report.bucket.skipped == ("TLS-only policy",)
    assert report.bucket.describe().endswith("; not applied: TLS-only policy)")
    s3 = session.client("s3")
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket="clientnest-tfstate-http")
    # terraform can write its state here ...
    s3.put_object(Bucket="clientnest-tfstate-http", Key="env/terraform.tfstate", Body=b"{}")
    # ... and where the statement is asked for, it is there. (The sandbox stands
    # for AWS's HTTPS endpoints, so it lets such writes through: tfgen/moto_ext.)
    bootstrap(
        session, bucket="clientnest-tfstate-tls", table="tflock-http", region=REGION, tls_only=True
    )
    assert "aws:SecureTransport" in s3.get_bucket_policy(Bucket="clientnest-tfstate-tls")["Policy"]
    s3.put_object(Bucket="clientnest-tfstate-tls", Key="env/terraform.tfstate", Body=b"{}")


def test_bucket_in_us_east_1_has_no_location_constraint(emulator: sandbox.Sandbox) -> None:
    session = emulator.boto3_session("us-east-1")
    report = bootstrap(
        session, bucket="clientnest-tfstate-use1", table="tflock-use1", region="us-east-1"
    )

    assert report.bucket.created
    location = session.client("s3").get_bucket_location(Bucket="clientnest-tfstate-use1")
    assert location.get("LocationConstraint") is None


def test_bucket_in_another_region_is_refused(emulator: sandbox.Sandbox) -> None:
    bootstrap(
        emulator.boto3_session(REGION),
        bucket="clientnest-tfstate-euw1",
        table="t-euw1",
        region=REGION,
    )

    with pytest.raises(RunError, match="clientnest-tfstate-euw1 exists in eu-west-1"):
        bootstrap(
            emulator.boto3_session("us-east-1"),
            bucket="clientnest-tfstate-euw1",
            table="t-euw1",
            region="us-east-1",
        )


def test_bucket_of_another_account_is_refused(
    emulator: sandbox.Sandbox, session: boto3.Session
) -> None:
    bootstrap(session, bucket="clientnest-tfstate-taken", table="tflock-taken", region=REGION)
    other = emulator.boto3_session(REGION)

    def as_other_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = "111111111111"

    other.events.register("before-sign.*.*", as_other_account)

    with pytest.raises(RunError, match="clientnest-tfstate-taken already exists") as caught:
        bootstrap(other, bucket="clientnest-tfstate-taken", table="tflock-taken", region=REGION)
    assert caught.value.hint is not None
    assert "pick another bucket name" in caught.value.hint


def test_table_with_another_key_is_refused(session: boto3.Session) -> None:
    session.client("dynamodb").create_table(
        TableName="tflock-wrong-key",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with pytest.raises(RunError, match="tflock-wrong-key exists, but its key is not"):
        bootstrap(session, bucket="clientnest-tfstate-wk", table="tflock-wrong-key", region=REGION)


def test_missing_credentials_are_a_run_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with pytest.raises(RunError, match="no usable AWS credentials"):
        bootstrap(boto3.Session(), bucket="b-nocreds", table="t-nocreds", region=REGION)


def test_unreachable_endpoint_is_a_run_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    nowhere = sandbox.Sandbox(
        endpoint=f"http://127.0.0.1:{port}",
        port=port,
        pid=0,
        log_path=tmp_path / "sandbox.log",
        started_at="2024-01-01T00:00:00+00:00",
    )
    with pytest.raises(RunError, match="cannot reach AWS"):
        bootstrap(
            nowhere.boto3_session(REGION), bucket="b-nowhere", table="t-nowhere", region=REGION
        )


def test_lock_holders_lists_held_locks_but_not_digests(session: boto3.Session) -> None:
    bootstrap(session, bucket="clientnest-tfstate-locks", table="tflock-locks", region=REGION)
    assert lock_holders(session, "tflock-locks") == []

    # What terraform's S3 backend writes: a lasting digest, and one item per held lock.
    state = "clientnest-tfstate-locks/envs/dev/terraform.tfstate"
    info = {
        "ID": "5f2a7f4e-0000-4000-8000-000000000001",
        "Operation": "OperationTypeApply",
        "Info": "",
        "Who": "ci@runner",
        "Version": "1.11.4",
        "Created": "2024-05-01T10:00:00Z",
        "Path": state,
    }
    dynamodb = session.client("dynamodb")
    dynamodb.put_item(
        TableName="tflock-locks",
        Item={"LockID": {"S": f"{state}-md5"}, "Digest": {"S": "d41d8cd98f00b204e9800998ecf8427e"}},
    )
    assert lock_holders(session, "tflock-locks") == []
    dynamodb.put_item(
        TableName="tflock-locks", Item={"LockID": {"S": state}, "Info": {"S": json.dumps(info)}}
    )

    [holder] = lock_holders(session, "tflock-locks")
    assert holder == {"LockID": state, **info}

    dynamodb.delete_item(TableName="tflock-locks", Key={"LockID": {"S": state}})
    assert lock_holders(session, "tflock-locks") == []


def test_lock_holders_of_a_missing_table_is_a_run_error(session: boto3.Session) -> None:
    with pytest.raises(RunError, match="lock table tflock-none does not exist"):
        lock_holders(session, "tflock-none")
