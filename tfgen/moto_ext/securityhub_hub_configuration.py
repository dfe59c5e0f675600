"""Security Hub: the hub's configuration (automatic controls, finding generator).

moto 5.2 has no UpdateSecurityHubConfiguration (HTTP 500), ignores
EnableSecurityHub's ``ControlFindingGenerator`` and answers DescribeHub with
fixed values. The AWS provider updates the configuration right after enabling
the hub, so ``aws_securityhub_account`` could not be created; the hub now keeps
what it is told and DescribeHub reads it back (in the request's partition).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.securityhub.exceptions import SecurityHubClientError
from moto.securityhub.models import SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = SecurityHubBackend
    _Response = SecurityHubResponse
else:
    _Backend = _Response = object

# What a hub enabled without saying otherwise uses.
DEFAULT_GENERATOR = "SECURITY_CONTROL"
GENERATORS = ("SECURITY_CONTROL", "STANDARD_CONTROL")

_moto_describe = SecurityHubBackend.describe_hub


class InvalidAccessException(SecurityHubClientError):
    """The account has not enabled Security Hub."""

    def __init__(self) -> None:
        super().__init__("InvalidAccessException", "Account is not subscribed to AWS Security Hub")


class InvalidInputException(SecurityHubClientError):
    """A parameter has a value Security Hub does not accept."""

    def __init__(self, message: str) -> None:
        super().__init__("InvalidInputException", message)


class HubConfigurationBackend(_Backend):
    """Methods for moto's ``SecurityHubBackend``."""

    auto_enable_controls: bool
    control_finding_generator: str

    def extend_init(self) -> None:
        """A hub's configuration before anyone changes it."""
        self.auto_enable_controls = True
        self.control_finding_generator = DEFAULT_GENERATOR

    def configure_new_hub(self, control_finding_generator: str | None) -> None:
        """Start a just-enabled hub with the given (or the default) finding generator."""
        generator = control_finding_generator or DEFAULT_GENERATOR
        if generator not in GENERATORS:
            raise InvalidInputException(f"Invalid ControlFindingGenerator: {generator}")
        self.auto_enable_controls = True
        self.control_finding_generator = generator

    def update_security_hub_configuration(
        self, auto_enable_controls: bool | None, control_finding_generator: str | None
    ) -> None:
        """Change whether new controls are enabled and how control findings are made."""
        if not self.enabled:
            raise InvalidAccessException()
        if control_finding_generator is not None:
            if control_finding_generator not in GENERATORS:
                raise InvalidInputException(
                    f"Invalid ControlFindingGenerator: {control_finding_generator}"
                )
            self.control_finding_generator = control_finding_generator
        if auto_enable_controls is not None:
            self.auto_enable_controls = auto_enable_controls

    def describe_hub(self, hub_arn: str | None = None) -> dict[str, Any]:
        """The hub, with its configuration as set."""
        own_arn = (
            f"arn:{self.partition}:securityhub:{self.region_name}:{self.account_id}:hub/default"
        )
        hub = _moto_describe(self, None if hub_arn == own_arn else hub_arn)
        return hub | {
            "HubArn": own_arn,
            "AutoEnableControls": self.auto_enable_controls,
            "ControlFindingGenerator": self.control_finding_generator,
        }


class HubConfigurationResponse(_Response):
    """Methods for moto's ``SecurityHubResponse``."""

    if TYPE_CHECKING:

        @property
        def securityhub_backend(self) -> HubConfigurationBackend:
            """The backend, with the methods above."""

    def enable_security_hub(self) -> str:
        """EnableSecurityHub, keeping ``ControlFindingGenerator``."""
        params = json.loads(self.body) if self.body else {}
        backend = self.securityhub_backend
        if backend.enabled:
            raise SecurityHubClientError(
                "ResourceConflictException", "Account is already subscribed to Security Hub"
            )
        backend.enable_security_hub(
            enable_default_standards=params.get("EnableDefaultStandards", True),
            tags=params.get("Tags", {}),
        )
        backend.configure_new_hub(params.get("ControlFindingGenerator"))
        return "{}"

    def update_security_hub_configuration(self) -> str:
        """UpdateSecurityHubConfiguration."""
        params = json.loads(self.body) if self.body else {}
        self.securityhub_backend.update_security_hub_configuration(
            params.get("AutoEnableControls"), params.get("ControlFindingGenerator")
        )
        return "{}"


def check(session: boto3.Session) -> bool:
    """A hub keeps its finding generator and automatic controls setting."""
    securityhub = session.client("securityhub")
    securityhub.enable_security_hub(
        EnableDefaultStandards=False, ControlFindingGenerator="STANDARD_CONTROL"
    )
    securityhub.update_security_hub_configuration(AutoEnableControls=False)
    hub = securityhub.describe_hub()
    securityhub.disable_security_hub()
    return bool(
        hub["ControlFindingGenerator"] == "STANDARD_CONTROL" and hub["AutoEnableControls"] is False
    )


EXTENSION = Extension(
    name="securityhub_hub_configuration",
    summary="hub configuration: finding generator and automatic controls, set and read back",
    operations=("UpdateSecurityHubConfiguration", "EnableSecurityHub", "DescribeHub"),
    grafts=(
        Graft(SecurityHubBackend, HubConfigurationBackend),
        Graft(SecurityHubResponse, HubConfigurationResponse),
    ),
    check=check,
)
