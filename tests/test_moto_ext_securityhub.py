"""Security Hub extensions, round trips through boto3 against a running sandbox server.

Each test uses its own account of the emulator: Security Hub is one hub per
account and region.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tfgen.sandbox import Sandbox

REGION = "eu-west-1"
FSBP = f"arn:aws:securityhub:{REGION}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_3 = f"arn:aws:securityhub:{REGION}::standards/cis-aws-foundations-benchmark/v/3.0.0"
CIS_1_2 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"


def _hub(emulator: Sandbox, account: str) -> Any:
    return emulator.account_session(account, REGION).client("securityhub")


def test_hub_configuration_is_kept_and_read_back(emulator: Sandbox) -> None:
    securityhub = _hub(emulator, "210000000001")
    with pytest.raises(ClientError, match="InvalidAccessException"):
        securityhub.update_security_hub_configuration(AutoEnableControls=False)

    securityhub.enable_security_hub(EnableDefaultStandards=False)
    hub = securityhub.describe_hub()
    assert hub["HubArn"] == f"arn:aws:securityhub:{REGION}:210000000001:hub/default"
    assert (hub["AutoEnableControls"], hub["ControlFindingGenerator"]) == (True, "SECURITY_CONTROL")

    securityhub.update_security_hub_configuration(
        AutoEnableControls=False, ControlFindingGenerator="STANDARD_CONTROL"
    )
    hub = securityhub.describe_hub(HubArn=hub["HubArn"])
    assert (hub["AutoEnableControls"], hub["ControlFindingGenerator"]) == (False, "STANDARD_CONTROL")
    with pytest.raises(ClientError, match="ResourceConflictException"):
        securityhub.enable_security_hub()

    # Enabled again after a disable, the hub starts from the defaults or what it is given.
    securityhub.disable_security_hub()
    securityhub.enable_security_hub(EnableDefaultStandards=False, ControlFindingGenerator="STANDARD_CONTROL")
    hub = securityhub.describe_hub()
    assert (hub["AutoEnableControls"], hub["ControlFindingGenerator"]) == (True, "STANDARD_CONTROL")


def test_standards_are_offered_subscribed_and_unsubscribed(emulator: Sandbox) -> None:
    securityhub = _hub(emulator, "210000000002")
    with pytest.raises(ClientError, match="InvalidAccessException"):
        securityhub.get_enabled_standards()
    securityhub.enable_security_hub(EnableDefaultStandards=False)
    offered = {s["StandardsArn"] for s in securityhub.describe_standards()["Standards"]}
    assert {FSBP, CIS_3, CIS_1_2} <= offered
    assert securityhub.get_enabled_standards()["StandardsSubscriptions"] == []

    enabled = securityhub.batch_enable_standards(
        StandardsSubscriptionRequests=[{"StandardsArn": CIS_3}, {"StandardsArn": FSBP}]
    )["StandardsSubscriptions"]
    arns = [s["StandardsSubscriptionArn"] for s in enabled]
    assert arns == [
        f"arn:aws:securityhub:{REGION}:210000000002:subscription/cis-aws-foundations-benchmark/v/3.0.0",
        f"arn:aws:securityhub:{REGION}:210000000002:subscription/aws-foundational-security-best-practices/v/1.0.0",
    ]
    # Subscribing again changes nothing.
    securityhub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": CIS_3}])
    one = securityhub.get_enabled_standards(StandardsSubscriptionArns=[arns[0]])["StandardsSubscriptions"]
    assert [(s["StandardsArn"], s["StandardsStatus"]) for s in one] == [(CIS_3, "READY")]
    assert len(securityhub.get_enabled_standards()["StandardsSubscriptions"]) == 2

    with pytest.raises(ClientError, match="InvalidInputException"):
        securityhub.batch_enable_standards(
            StandardsSubscriptionRequests=[{"StandardsArn": CIS_3.replace(REGION, "us-east-1")}]
        )
    disabled = securityhub.batch_disable_standards(StandardsSubscriptionArns=[arns[0]])["StandardsSubscriptions"]
    assert [s["StandardsStatus"] for s in disabled] == ["DELETING"]
    assert securityhub.get_enabled_standards(StandardsSubscriptionArns=[arns[0]])["StandardsSubscriptions"] == []
    with pytest.raises(ClientError, match="InvalidInputException"):
        securityhub.batch_disable_standards(StandardsSubscriptionArns=[arns[0]])

    # Disabling Security Hub ends every subscription.
    securityhub.disable_security_hub()
    securityhub.enable_security_hub(EnableDefaultStandards=False)
    assert securityhub.get_enabled_standards()["StandardsSubscriptions"] == []


def test_enabling_with_default_standards_subscribes_to_them(emulator: Sandbox) -> None:
    securityhub = _hub(emulator, "210000000003")
    securityhub.enable_security_hub()
    subscribed = {s["StandardsArn"] for s in securityhub.get_enabled_standards()["StandardsSubscriptions"]}
    assert subscribed == {FSBP, CIS_1_2}
