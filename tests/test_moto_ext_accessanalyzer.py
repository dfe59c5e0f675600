"""Access Analyzer (a service the sandbox adds to moto), round trips against a running server."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tfgen.sandbox import Sandbox


def test_analyzers_round_trip(aws: boto3.Session) -> None:
    analyzer = aws.client("accessanalyzer")
    arn = analyzer.create_analyzer(analyzerName="account", type="ACCOUNT", tags={"Team": "core"})["arn"]
    assert arn == "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account"
    read = analyzer.get_analyzer(analyzerName="account")["analyzer"]
    assert (read["name"], read["type"], read["status"], read["tags"]) == ("account", "ACCOUNT", "ACTIVE", {"Team": "core"})
    assert "configuration" not in read

    unused = analyzer.create_analyzer(
        analyzerName="unused",
        type="ACCOUNT_UNUSED_ACCESS",
        configuration={"unusedAccess": {"unusedAccessAge": 90}},
    )["arn"]
    assert analyzer.get_analyzer(analyzerName="unused")["analyzer"]["configuration"] == {"unusedAccess": {"unusedAccessAge": 90}}
    assert [a["name"] for a in analyzer.list_analyzers()["analyzers"]] == ["account", "unused"]
    assert [a["arn"] for a in analyzer.list_analyzers(type="ACCOUNT_UNUSED_ACCESS")["analyzers"]] == [unused]

    analyzer.tag_resource(resourceArn=arn, tags={"Env": "prod", "Team": "platform"})
    analyzer.untag_resource(resourceArn=arn, tagKeys=["Env"])
    assert analyzer.list_tags_for_resource(resourceArn=arn)["tags"] == {"Team": "platform"}

    with pytest.raises(ClientError, match="ConflictException"):
        analyzer.create_analyzer(analyzerName="account", type="ACCOUNT")
    with pytest.raises(ClientError, match="ServiceQuotaExceededException"):
        analyzer.create_analyzer(analyzerName="second", type="ACCOUNT")
    with pytest.raises(ClientError, match="ValidationException"):
        analyzer.create_analyzer(analyzerName="9lives", type="ACCOUNT")

    analyzer.delete_analyzer(analyzerName="account")
    analyzer.delete_analyzer(analyzerName="unused")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        analyzer.get_analyzer(analyzerName="account")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        analyzer.list_tags_for_resource(resourceArn=arn)


def test_each_account_and_region_has_its_own_analyzers(emulator: Sandbox) -> None:
    mine = emulator.account_session("210000000005", "us-east-1").client("accessanalyzer")
    arn = mine.create_analyzer(analyzerName="account", type="ACCOUNT")["arn"]
    assert arn == "arn:aws:access-analyzer:us-east-1:210000000005:analyzer/account"
    assert emulator.account_session("210000000006", "us-east-1").client("accessanalyzer").list_analyzers()["analyzers"] == []
    assert emulator.account_session("210000000005", "eu-west-1").client("accessanalyzer").list_analyzers()["analyzers"] == []
