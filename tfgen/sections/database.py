"""``database``: RDS PostgreSQL, reachable from the compute services only."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    kms_key,
    ref,
)

RDS_CPU_PERCENT = 80
RDS_FREE_STORAGE_BYTES = 2 * 1024**3
RDS_CONNECTIONS = 80


class Database(SectionModel):
    """RDS PostgreSQL."""

    engine_version: str = "16"
    instance_class: str = "db.t4g.micro"
    allocated_storage: int = Field(default=20, ge=20, le=65536)
    max_allocated_storage: int = Field(default=100, ge=20, le=65536)
    multi_az: bool = True
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    performance_insights_retention_days: int = 7


class DatabaseSection(Section[Database]):
    """Admits only the compute services' security group."""

    key = "database"
    model = Database
    order = 9
    modules = {"database": "database"}
    builds = (
        "RDS PostgreSQL: `rds.force_ssl`, statement logging, KMS, managed master password"
        " (never in files or state), backups, multi-AZ, Performance Insights, enhanced"
        " monitoring, IAM auth, log exports"
    )

    def calls(self, ctx: Context, part: Database) -> list[Call]:
        """The database module call."""
        inputs = {
            "name": ctx.name,
            "vpc_id": ref("network", "vpc_id"),
            "subnet_ids": ref("network", "private_subnet_ids"),
            "allowed_security_group_ids": [ref("service", "service_security_group_id")],
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "engine_version": part.engine_version,
            "instance_class": part.instance_class,
            "allocated_storage": part.allocated_storage,
            "max_allocated_storage": part.max_allocated_storage,
            "multi_az": part.multi_az,
            "backup_retention_days": part.backup_retention_days,
            "performance_insights_retention_days": part.performance_insights_retention_days,
            "deletion_protection": ctx.env.deletion_protection,
        }
        outputs = (
            ("db_endpoint", "endpoint"),
            ("db_master_user_secret_arn", "master_user_secret_arn"),
        )
        return [self.call("database", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Database) -> Iterator[Problem]:
        """A production database is multi-AZ."""
        if ctx.env.production and not part.multi_az:
            yield (self.key, "multi_az"), "a production database must be multi-AZ"

    def kms(self, ctx: Context, part: Database) -> list[KmsUse]:
        """Storage and Performance Insights with the data key; log exports with the logs key."""
        return [KmsUse("data", "RDS storage"), KmsUse("logs", "CloudWatch Logs log groups")]

    def alarms(self, ctx: Context, part: Database) -> dict[str, Alarm]:
        """CPU, free storage and connections."""
        dimensions = {"DBInstanceIdentifier": ref("database", "db_instance_identifier")}
        return {
            "rds-cpu": Alarm(
                description=f"RDS instance average CPU above {RDS_CPU_PERCENT}% for 15 minutes.",
                threshold=RDS_CPU_PERCENT,
                namespace="AWS/RDS",
                metric_name="CPUUtilization",
                dimensions=dimensions,
            ),
            "rds-free-storage": Alarm(
                description=f"RDS instance free storage below {RDS_FREE_STORAGE_BYTES} bytes.",
                threshold=RDS_FREE_STORAGE_BYTES,
                comparison_operator="LessThanThreshold",
                evaluation_periods=1,
                namespace="AWS/RDS",
                metric_name="FreeStorageSpace",
                dimensions=dimensions,
                statistic="Minimum",
            ),
            "rds-connections": Alarm(
                description=f"RDS instance connections above {RDS_CONNECTIONS} for 15 minutes.",
                threshold=RDS_CONNECTIONS,
                namespace="AWS/RDS",
                metric_name="DatabaseConnections",
                dimensions=dimensions,
                statistic="Maximum",
            ),
        }

    def graphs(self, ctx: Context, part: Database) -> list[Graph]:
        """CPU, connections and free storage."""
        instance = ref("database", "db_instance_identifier")
        return [
            Graph(
                f"RDS {metric}",
                stat,
                ((("AWS/RDS", metric, "DBInstanceIdentifier", instance), metric),),
            )
            for metric, stat in (
                ("CPUUtilization", "Average"),
                ("DatabaseConnections", "Maximum"),
                ("FreeStorageSpace", "Minimum"),
            )
        ]


section = DatabaseSection()
