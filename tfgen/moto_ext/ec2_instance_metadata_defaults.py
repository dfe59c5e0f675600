"""EC2: the account's instance metadata defaults (IMDSv2 required by default).

moto 5.2 has no ModifyInstanceMetadataDefaults or GetInstanceMetadataDefaults
(HTTP 500), so ``aws_ec2_instance_metadata_defaults`` could not be applied.
Each region of an account keeps the settings it was given; ``no-preference``
(or a hop limit of -1) removes a setting, and GetInstanceMetadataDefaults
answers only those that are set, as AWS does. The emulator's new instances do
not take these defaults: moto still starts them with its own metadata options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidParameterValueError
from moto.ec2.models import EC2Backend
from moto.ec2.responses import EC2Response

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = EC2Backend
    _Response = EC2Response
else:
    _Backend = _Response = object

NO_PREFERENCE = "no-preference"
# The settings and the values each accepts besides no-preference.
ALLOWED = {
    "HttpTokens": ("optional", "required"),
    "HttpEndpoint": ("enabled", "disabled"),
    "InstanceMetadataTags": ("enabled", "disabled"),
}


class InstanceMetadataDefaultsBackend(_Backend):
    """Methods for moto's ``EC2Backend``."""

    instance_metadata_defaults: dict[str, Any]

    def extend_init(self) -> None:
        """No defaults until the account sets some."""
        self.instance_metadata_defaults = {}

    def modify_instance_metadata_defaults(self, settings: dict[str, str | None]) -> None:
        """Set the given settings; no-preference (hop limit -1) removes one.

        Nothing changes unless every given value is valid.
        """
        changed = dict(self.instance_metadata_defaults)
        for name, value in settings.items():
            if value is None:
                continue
            if name == "HttpPutResponseHopLimit":
                limit = int(value)
                if limit == -1:
                    changed.pop(name, None)
                elif 1 <= limit <= 64:
                    changed[name] = limit
                else:
                    raise InvalidParameterValueError(f"{value} (HttpPutResponseHopLimit)")
            elif value == NO_PREFERENCE:
                changed.pop(name, None)
            elif value in ALLOWED[name]:
                changed[name] = value
            else:
                raise InvalidParameterValueError(f"{value} ({name})")
        self.instance_metadata_defaults = changed

    def get_instance_metadata_defaults(self) -> dict[str, Any]:
        """The settings that are set."""
        return dict(self.instance_metadata_defaults)


class InstanceMetadataDefaultsResponse(_Response):
    """Methods for moto's ``EC2Response``."""

    if TYPE_CHECKING:

        @property
        def ec2_backend(self) -> InstanceMetadataDefaultsBackend:
            """The backend, with the methods above."""

    def modify_instance_metadata_defaults(self) -> ActionResult:
        """ModifyInstanceMetadataDefaults."""
        self.error_on_dryrun()
        names = ("HttpPutResponseHopLimit", *ALLOWED)
        self.ec2_backend.modify_instance_metadata_defaults(
            {name: self._get_param(name) for name in names}
        )
        return ActionResult({"Return": True})

    def get_instance_metadata_defaults(self) -> ActionResult:
        """GetInstanceMetadataDefaults."""
        self.error_on_dryrun()
        return ActionResult({"AccountLevel": self.ec2_backend.get_instance_metadata_defaults()})


def check(session: boto3.Session) -> bool:
    """Settings are read back as set; no-preference removes them."""
    ec2 = session.client("ec2")
    ec2.modify_instance_metadata_defaults(HttpTokens="required", HttpPutResponseHopLimit=2)
    ec2.modify_instance_metadata_defaults(HttpEndpoint="enabled")
    first = ec2.get_instance_metadata_defaults()["AccountLevel"]
    ec2.modify_instance_metadata_defaults(
        HttpTokens="no-preference",
        HttpPutResponseHopLimit=-1,
        HttpEndpoint="no-preference",
        InstanceMetadataTags="no-preference",
    )
    after = ec2.get_instance_metadata_defaults().get("AccountLevel", {})
    return bool(
        first == {"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"}
        and after == {}
    )


EXTENSION = Extension(
    name="ec2_instance_metadata_defaults",
    summary="the account's instance metadata defaults, set, read back and reset per region",
    operations=("ModifyInstanceMetadataDefaults", "GetInstanceMetadataDefaults"),
    grafts=(
        Graft(EC2Backend, InstanceMetadataDefaultsBackend),
        Graft(EC2Response, InstanceMetadataDefaultsResponse),
    ),
    check=check,
)
