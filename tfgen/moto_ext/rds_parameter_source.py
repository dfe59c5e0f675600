"""RDS: parameters set in a DB parameter group say they were set by the user.

moto 5.2 answers DescribeDBParameters with each parameter as it was given to
ModifyDBParameterGroup, without ``Source``; the AWS provider skips parameters
without one, so every plan wanted to set them again. Here a parameter set by
ModifyDBParameterGroup has ``Source: user``, and the ``Source`` filter of
DescribeDBParameters applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import boto3
from moto.core.responses import ActionResult
from moto.rds.models import DBParameterGroup
from moto.rds.responses import RDSResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _ParameterGroup = DBParameterGroup
    _Response = RDSResponse
else:
    _ParameterGroup = _Response = object

_moto_update_parameters = DBParameterGroup.update_parameters
_moto_describe_db_parameters = RDSResponse.describe_db_parameters


class UserSourcedParameterGroup(_ParameterGroup):
    """Methods for moto's ``DBParameterGroup``."""

    def update_parameters(self, new_parameters: Iterable[dict[str, Any]]) -> None:
        """Set parameters, each marked as set by the user."""
        _moto_update_parameters(self, [{**p, "Source": "user"} for p in new_parameters])


class ParameterSourceResponse(_Response):
    """Methods for moto's ``RDSResponse``."""

    def describe_db_parameters(self) -> ActionResult:
        """DescribeDBParameters, filtered by ``Source`` when one is given."""
        result = _moto_describe_db_parameters(self)
        source = self.params.get("Source")
        if source:
            answer: dict[str, Any] = result.result  # type: ignore[assignment]
            answer["Parameters"] = [p for p in answer["Parameters"] if p.get("Source") == source]
        return result


def check(session: boto3.Session) -> bool:
    """A parameter set in a group is described with ``Source: user``."""
    rds = session.client("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName="ext-pg", DBParameterGroupFamily="postgres16", Description="x"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="ext-pg",
        Parameters=[
            {"ParameterName": "log_connections", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    user = rds.describe_db_parameters(DBParameterGroupName="ext-pg", Source="user")["Parameters"]
    system = rds.describe_db_parameters(DBParameterGroupName="ext-pg", Source="system")
    return bool(
        [(p["ParameterName"], p.get("Source")) for p in user] == [("log_connections", "user")]
        and system["Parameters"] == []
    )


EXTENSION = Extension(
    name="rds_parameter_source",
    summary="DB parameters set by ModifyDBParameterGroup have Source 'user'; the Source filter",
    operations=("ModifyDBParameterGroup", "DescribeDBParameters"),
    grafts=(
        Graft(DBParameterGroup, UserSourcedParameterGroup),
        Graft(RDSResponse, ParameterSourceResponse),
    ),
    check=check,
)
