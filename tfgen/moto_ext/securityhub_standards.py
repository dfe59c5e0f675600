"""Security Hub: the standards an account subscribes to.

moto 5.2 knows no standards: BatchEnableStandards, GetEnabledStandards,
BatchDisableStandards and DescribeStandards have no route (HTTP 404), so
``aws_securityhub_standards_subscription`` could not be applied. The hub now
offers the regional catalogue of AWS standards, subscribes to them as AWS does
(a subscription ARN per account and region, ready at once), subscribes to the
default standards when EnableSecurityHub asks for them, and forgets every
subscription when Security Hub is disabled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import moto.securityhub.urls
from moto.securityhub.exceptions import SecurityHubClientError
from moto.securityhub.models import SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse

from tfgen.moto_ext._extension import Extension, Graft, Routes

if TYPE_CHECKING:
    _Backend = SecurityHubBackend
    _Response = SecurityHubResponse
else:
    _Backend = _Response = object


@dataclass(frozen=True)
class Standard:
    """A standard of the catalogue: ``path`` is its ARN's resource after ``standards/``."""

    path: str
    name: str
    description: str
    enabled_by_default: bool = False
    # CIS 1.2.0 predates regional standards: its ARN is a global "ruleset".
    global_ruleset: bool = False

    def arn(self, partition: str, region: str) -> str:
        """The standard's ARN in a region."""
        if self.global_ruleset:
            return f"arn:{partition}:securityhub:::ruleset/{self.path}"
        return f"arn:{partition}:securityhub:{region}::standards/{self.path}"


CATALOGUE = (
    Standard(
        "aws-foundational-security-best-practices/v/1.0.0",
        "AWS Foundational Security Best Practices v1.0.0",
        "Controls that detect when accounts and resources deviate from security best practices.",
        enabled_by_default=True,
    ),
    Standard(
        "cis-aws-foundations-benchmark/v/1.2.0",
        "CIS AWS Foundations Benchmark v1.2.0",
        "Security configuration best practices for AWS, from the Center for Internet Security.",
        enabled_by_default=True,
        global_ruleset=True,
    ),
    Standard(
        "cis-aws-foundations-benchmark/v/1.4.0",
        "CIS AWS Foundations Benchmark v1.4.0",
        "Security configuration best practices for AWS, from the Center for Internet Security.",
    ),
    Standard(
        "cis-aws-foundations-benchmark/v/3.0.0",
        "CIS AWS Foundations Benchmark v3.0.0",
        "Security configuration best practices for AWS, from the Center for Internet Security.",
    ),
    Standard(
        "nist-800-53/v/5.0.0",
        "NIST Special Publication 800-53 Revision 5",
        "Controls of NIST SP 800-53 Rev. 5 that apply to AWS resources.",
    ),
    Standard(
        "pci-dss/v/3.2.1",
        "PCI DSS v3.2.1",
        "Controls for the Payment Card Industry Data Security Standard.",
    ),
    Standard(
        "aws-resource-tagging-standard/v/1.0.0",
        "AWS Resource Tagging Standard v1.0.0",
        "Controls that check that AWS resources are tagged.",
    ),
)


class InvalidAccessException(SecurityHubClientError):
    """The account has not enabled Security Hub."""

    def __init__(self) -> None:
        super().__init__("InvalidAccessException", "Account is not subscribed to AWS Security Hub")


class InvalidInputException(SecurityHubClientError):
    """A standards or subscription ARN that names nothing here."""

    def __init__(self, message: str) -> None:
        super().__init__("InvalidInputException", message)


_moto_enable = SecurityHubBackend.enable_security_hub
_moto_disable = SecurityHubBackend.disable_security_hub


class StandardsBackend(_Backend):
    """Methods for moto's ``SecurityHubBackend``."""

    standards_subscriptions: dict[str, dict[str, Any]]

    def extend_init(self) -> None:
        """Keep the account's subscriptions by subscription ARN."""
        self.standards_subscriptions = {}

    def _catalogue(self) -> dict[str, Standard]:
        return {s.arn(self.partition, self.region_name): s for s in CATALOGUE}

    def describe_standards(self) -> list[dict[str, Any]]:
        """The standards Security Hub offers in the region."""
        return [
            {
                "StandardsArn": arn,
                "Name": standard.name,
                "Description": standard.description,
                "EnabledByDefault": standard.enabled_by_default,
                "StandardsManagedBy": {"Company": "AWS", "Product": "Security Hub"},
            }
            for arn, standard in self._catalogue().items()
        ]

    def batch_enable_standards(self, standards_arns: list[str]) -> list[dict[str, Any]]:
        """Subscribe to standards of the catalogue; subscribing again changes nothing."""
        if not self.enabled:
            raise InvalidAccessException()
        catalogue = self._catalogue()
        unknown = [arn for arn in standards_arns if arn not in catalogue]
        if unknown:
            raise InvalidInputException(f"Invalid standards ARN: {unknown[0]}")
        answer = []
        for arn in standards_arns:
            subscription_arn = (
                f"arn:{self.partition}:securityhub:{self.region_name}:{self.account_id}"
                f":subscription/{catalogue[arn].path}"
            )
            subscription = self.standards_subscriptions.setdefault(
                subscription_arn,
                {
                    "StandardsSubscriptionArn": subscription_arn,
                    "StandardsArn": arn,
                    "StandardsInput": {},
                    "StandardsStatus": "READY",
                    "StandardsControlsUpdatable": "READY_FOR_UPDATES",
                },
            )
            answer.append(subscription)
        return answer

    def get_enabled_standards(self, subscription_arns: list[str] | None) -> list[dict[str, Any]]:
        """The account's subscriptions, all or the given ones that exist."""
        if not self.enabled:
            raise InvalidAccessException()
        if not subscription_arns:
            return list(self.standards_subscriptions.values())
        return [
            self.standards_subscriptions[arn]
            for arn in subscription_arns
            if arn in self.standards_subscriptions
        ]

    def batch_disable_standards(self, subscription_arns: list[str]) -> list[dict[str, Any]]:
        """Unsubscribe; the answer shows each subscription being deleted."""
        if not self.enabled:
            raise InvalidAccessException()
        unknown = [arn for arn in subscription_arns if arn not in self.standards_subscriptions]
        if unknown:
            raise InvalidInputException(f"Invalid standards subscription ARN: {unknown[0]}")
        return [
            self.standards_subscriptions.pop(arn) | {"StandardsStatus": "DELETING"}
            for arn in subscription_arns
        ]

    def enable_security_hub(
        self, enable_default_standards: bool = True, tags: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Enable the hub, subscribed to the default standards unless told not to."""
        was_enabled = self.enabled
        answer = _moto_enable(self, enable_default_standards=False, tags=tags)
        if enable_default_standards and not was_enabled:
            self.batch_enable_standards(
                [arn for arn, s in self._catalogue().items() if s.enabled_by_default]
            )
        return answer

    def disable_security_hub(self) -> dict[str, Any]:
        """Disable the hub; its subscriptions go with it."""
        answer = _moto_disable(self)
        self.standards_subscriptions.clear()
        return answer


class StandardsResponse(_Response):
    """Methods for moto's ``SecurityHubResponse``."""

    if TYPE_CHECKING:

        @property
        def securityhub_backend(self) -> StandardsBackend:
            """The backend, with the methods above."""

    def _params(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    def describe_standards(self) -> str:
        """DescribeStandards (one page)."""
        return json.dumps({"Standards": self.securityhub_backend.describe_standards()})

    def batch_enable_standards(self) -> str:
        """BatchEnableStandards."""
        requests = self._params().get("StandardsSubscriptionRequests", [])
        subscriptions = self.securityhub_backend.batch_enable_standards(
            [request["StandardsArn"] for request in requests]
        )
        return json.dumps({"StandardsSubscriptions": subscriptions})

    def get_enabled_standards(self) -> str:
        """GetEnabledStandards (one page)."""
        subscriptions = self.securityhub_backend.get_enabled_standards(
            self._params().get("StandardsSubscriptionArns")
        )
        return json.dumps({"StandardsSubscriptions": subscriptions})

    def batch_disable_standards(self) -> str:
        """BatchDisableStandards."""
        subscriptions = self.securityhub_backend.batch_disable_standards(
            self._params().get("StandardsSubscriptionArns", [])
        )
        return json.dumps({"StandardsSubscriptions": subscriptions})


def check(session: boto3.Session) -> bool:
    """A standard is subscribed to, listed, and unsubscribed from."""
    region = session.region_name
    securityhub = session.client("securityhub")
    securityhub.enable_security_hub(EnableDefaultStandards=False)
    cis = f"arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/3.0.0"
    offered = [s["StandardsArn"] for s in securityhub.describe_standards()["Standards"]]
    subscription = securityhub.batch_enable_standards(
        StandardsSubscriptionRequests=[{"StandardsArn": cis}]
    )["StandardsSubscriptions"][0]["StandardsSubscriptionArn"]
    enabled = securityhub.get_enabled_standards(StandardsSubscriptionArns=[subscription])
    securityhub.batch_disable_standards(StandardsSubscriptionArns=[subscription])
    left = securityhub.get_enabled_standards()["StandardsSubscriptions"]
    securityhub.disable_security_hub()
    return bool(
        cis in offered
        and [s["StandardsArn"] for s in enabled["StandardsSubscriptions"]] == [cis]
        and enabled["StandardsSubscriptions"][0]["StandardsStatus"] == "READY"
        and left == []
    )


EXTENSION = Extension(
    name="securityhub_standards",
    summary="standards subscriptions: the AWS standards of a region, subscribed and unsubscribed",
    operations=(
        "BatchEnableStandards",
        "GetEnabledStandards",
        "BatchDisableStandards",
        "DescribeStandards",
        "EnableSecurityHub",
        "DisableSecurityHub",
    ),
    grafts=(
        Graft(SecurityHubBackend, StandardsBackend),
        Graft(SecurityHubResponse, StandardsResponse),
    ),
    check=check,
    routes=(
        Routes(
            moto.securityhub.urls,
            {
                "{0}/standards$": SecurityHubResponse.dispatch,
                "{0}/standards/register$": SecurityHubResponse.dispatch,
                "{0}/standards/get$": SecurityHubResponse.dispatch,
                "{0}/standards/deregister$": SecurityHubResponse.dispatch,
            },
        ),
    ),
)
