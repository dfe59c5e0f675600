"""RDS: each DB instance gets its own resource id (``DbiResourceId``).

moto 5.2 gives every DB instance the same ``DbiResourceId``. The AWS provider
uses it as the instance's id and looks the instance up with the
``dbi-resource-id`` filter; with two instances in one account and region (dev
and staging share the nonprod account) that lookup finds two, which the provider
reads as "not found", and the apply fails while "waiting for RDS DB Instance".
As in AWS, the id is ``db-`` and 26 upper-case letters and digits, fixed for the
instance's life.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

import boto3
from moto.moto_api._internal import mock_random as random
from moto.rds.models import DBInstance

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _DBInstance = DBInstance
else:
    _DBInstance = object

_ALPHABET = string.ascii_uppercase + string.digits


class UniqueResourceIdDBInstance(_DBInstance):
    """Properties for moto's ``DBInstance``."""

    @property
    def dbi_resource_id(self) -> str:
        """The instance's own resource id."""
        return str(self.__dict__["_tfgen_dbi_resource_id"])

    @dbi_resource_id.setter
    def dbi_resource_id(self, _moto_constant: str) -> None:
        # moto's __init__ assigns its one constant; the first assignment makes the id.
        if "_tfgen_dbi_resource_id" not in self.__dict__:
            suffix = "".join(random.choice(_ALPHABET) for _ in range(26))
            self.__dict__["_tfgen_dbi_resource_id"] = f"db-{suffix}"


def check(session: boto3.Session) -> bool:
    """Two instances have two ids, and the filter finds each one alone."""
    rds = session.client("rds")
    ids = []
    for name in ("ext-dbi-a", "ext-dbi-b"):
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            DBInstanceClass="db.t4g.micro",
            Engine="postgres",
            MasterUsername="app",
            MasterUserPassword="secret123456",
            AllocatedStorage=20,
        )
        ids.append(
            rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DbiResourceId"]
        )
    found = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ids[1]]}])
    return bool(
        ids[0] != ids[1]
        and [i["DBInstanceIdentifier"] for i in found["DBInstances"]] == ["ext-dbi-b"]
    )


EXTENSION = Extension(
    name="rds_dbi_resource_ids",
    summary="each DB instance its own resource id, so the provider's lookup by it finds one",
    operations=("CreateDBInstance", "DescribeDBInstances"),
    grafts=(Graft(DBInstance, UniqueResourceIdDBInstance),),
    check=check,
)
