"""RDS: a DB instance's automated backups replicated to another region.

moto 5.2 has no StartDBInstanceAutomatedBackupsReplication (HTTP 500), so
``aws_db_instance_automated_backups_replication`` could not be created. Started
in the destination region, a replication exists there as an automated backup
of the source instance (status ``replicating``, its own ARN, the given key and
retention), and is found by DescribeDBInstanceAutomatedBackups by that ARN or
by the instance's identifier. As in AWS, it is stopped in the source region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.common_models import BaseModel
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random
from moto.rds.exceptions import DBInstanceNotFoundError, InvalidParameterValue
from moto.rds.models import RDSBackend, rds_backends
from moto.rds.responses import RDSResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = RDSBackend
    _Response = RDSResponse
else:
    _Backend = _Response = object

_moto_describe = RDSBackend.describe_db_instance_automated_backups


class ReplicatedAutomatedBackup(BaseModel):
    """The automated backups of a DB instance of another region, replicated here."""

    def __init__(
        self,
        source: Any,
        source_region: str,
        region: str,
        account: str,
        retention: int,
        kms_key_id: str | None,
    ) -> None:
        self.db_instance_arn: str = source.db_instance_arn
        self.dbi_resource_id: str = source.dbi_resource_id
        self.db_instance_identifier: str = source.db_instance_identifier
        self.region = source_region
        self.db_instance_automated_backups_arn = (
            f"arn:aws:rds:{region}:{account}:auto-backup:ab-{mock_random.get_random_hex(26)}"
        )
        self.backup_retention_period = retention
        self.kms_key_id = kms_key_id
        self.encrypted = kms_key_id is not None or bool(source.storage_encrypted)
        self.engine: str = source.engine
        self.engine_version: str = source.engine_version
        self.allocated_storage: int = source.allocated_storage
        self.port: int = source.port
        self.master_username: str = source.master_username
        self.instance_create_time = utcnow()
        self.status = "replicating"
        self.restore_window = {"EarliestTime": self.instance_create_time}


class AutomatedBackupsReplicationBackend(_Backend):
    """Methods for moto's ``RDSBackend``."""

    replicated_automated_backups: dict[str, ReplicatedAutomatedBackup]

    def extend_init(self) -> None:
        """Keep the replications into this region, by source instance ARN."""
        self.replicated_automated_backups = {}

    def start_db_instance_automated_backups_replication(
        self, source_arn: str, retention: int | None, kms_key_id: str | None
    ) -> ReplicatedAutomatedBackup:
        """Replicate the automated backups of ``source_arn`` (another region) into this one."""
        source_region = source_arn.split(":")[3] if source_arn.count(":") >= 6 else ""
        if source_region == self.region_name:
            raise InvalidParameterValue("The source DB instance must be in another region")
        source = self.find_db_from_id(source_arn)
        if source_arn in self.replicated_automated_backups:
            raise InvalidParameterValue(
                f"Automated backups of {source_arn} are already replicated to {self.region_name}"
            )
        replica = ReplicatedAutomatedBackup(
            source,
            source_region,
            self.region_name,
            self.account_id,
            retention or source.backup_retention_period,
            kms_key_id,
        )
        self.replicated_automated_backups[source_arn] = replica
        return replica

    def stop_db_instance_automated_backups_replication(
        self, source_arn: str
    ) -> ReplicatedAutomatedBackup:
        """Stop (in the source region) every replication of the instance's backups."""
        self.find_db_from_id(source_arn)
        for backend in rds_backends[self.account_id].values():
            replicas: dict[str, ReplicatedAutomatedBackup] = getattr(
                backend, "replicated_automated_backups", {}
            )
            if source_arn in replicas:
                return replicas.pop(source_arn)
        raise DBInstanceNotFoundError(source_arn)

    def describe_db_instance_automated_backups(
        self, db_instance_identifier: str | None = None, **params: Any
    ) -> list[Any]:
        """The automated backups of this region's instances, and the replicated ones."""
        # moto's response hands over the request's parameters, named as in the API.
        arn = params.get("DBInstanceAutomatedBackupsArn")
        identifier = params.get("DBInstanceIdentifier") or db_instance_identifier
        found: list[Any] = [
            replica
            for replica in self.replicated_automated_backups.values()
            if (arn is None or replica.db_instance_automated_backups_arn == arn)
            and (identifier is None or replica.db_instance_identifier == identifier)
        ]
        if arn is None:
            found += [
                backup
                for backup in _moto_describe(self, db_instance_identifier=identifier)
                if identifier is None or backup.db_instance_identifier == identifier
            ]
        return found


class AutomatedBackupsReplicationResponse(_Response):
    """Methods for moto's ``RDSResponse``."""

    if TYPE_CHECKING:

        @property
        def backend(self) -> AutomatedBackupsReplicationBackend:
            """The backend, with the methods above."""

    def start_db_instance_automated_backups_replication(self) -> ActionResult:
        """StartDBInstanceAutomatedBackupsReplication (in the destination region)."""
        replica = self.backend.start_db_instance_automated_backups_replication(
            self.params["SourceDBInstanceArn"],
            self.params.get("BackupRetentionPeriod"),
            self.params.get("KmsKeyId"),
        )
        return ActionResult({"DBInstanceAutomatedBackup": replica})

    def stop_db_instance_automated_backups_replication(self) -> ActionResult:
        """StopDBInstanceAutomatedBackupsReplication (in the source region)."""
        replica = self.backend.stop_db_instance_automated_backups_replication(
            self.params["SourceDBInstanceArn"]
        )
        replica.status = "deleting"
        return ActionResult({"DBInstanceAutomatedBackup": replica})


def check(session: boto3.Session) -> bool:
    """A replication started in us-west-2 is described there, then stopped from us-east-1."""
    source = session.client("rds", region_name="us-east-1")
    arn = source.create_db_instance(
        DBInstanceIdentifier="ext-source",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        BackupRetentionPeriod=7,
    )["DBInstance"]["DBInstanceArn"]
    destination = session.client("rds", region_name="us-west-2")
    started = destination.start_db_instance_automated_backups_replication(
        SourceDBInstanceArn=arn, BackupRetentionPeriod=14
    )["DBInstanceAutomatedBackup"]
    found = destination.describe_db_instance_automated_backups(
        DBInstanceAutomatedBackupsArn=started["DBInstanceAutomatedBackupsArn"]
    )["DBInstanceAutomatedBackups"]
    source.stop_db_instance_automated_backups_replication(SourceDBInstanceArn=arn)
    left = destination.describe_db_instance_automated_backups(
        DBInstanceAutomatedBackupsArn=started["DBInstanceAutomatedBackupsArn"]
    )["DBInstanceAutomatedBackups"]
    source.delete_db_instance(DBInstanceIdentifier="ext-source", SkipFinalSnapshot=True)
    return bool(
        len(found) == 1
        and found[0]["DBInstanceArn"] == arn
        and found[0]["BackupRetentionPeriod"] == 14
        and found[0]["Status"] == "replicating"
        and left == []
    )


EXTENSION = Extension(
    name="rds_automated_backups_replication",
    summary="a DB instance's automated backups replicated to another region, found, stopped",
    operations=(
        "StartDBInstanceAutomatedBackupsReplication",
        "StopDBInstanceAutomatedBackupsReplication",
        "DescribeDBInstanceAutomatedBackups",
    ),
    grafts=(
        Graft(RDSBackend, AutomatedBackupsReplicationBackend),
        Graft(RDSResponse, AutomatedBackupsReplicationResponse),
    ),
    check=check,
)
