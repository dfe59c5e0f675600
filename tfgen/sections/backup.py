"""``backup``: AWS Backup for the environment's data stores, copied to the DR region.

A KMS-encrypted vault, a plan of rules (daily, monthly...) and a selection: the
RDS, DynamoDB, EBS and S3 resources carrying the selection tags, by default the
environment's own ``tags`` (the provider's default tags put them on every
resource it creates, so the environment's data stores are selected, and another
environment's in the same account are not). In production the
vault is locked in compliance mode, every recovery point is copied to a vault of
the DR region, and restores are tested on a schedule. Failed backup, copy and
restore jobs alarm to the alerts topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    KmsUse,
    Metric,
    Problem,
    Section,
    SectionModel,
    Strict,
    count_alarm,
    dr_kms_key,
    kms_key,
    ref,
)

ResourceType = Literal["RDS", "DynamoDB", "EBS", "S3"]
RESOURCE_TYPES: tuple[ResourceType, ...] = ("RDS", "DynamoDB", "EBS", "S3")
RESTORE_TESTED: tuple[ResourceType, ...] = ("RDS", "S3")
_CRON = re.compile(r"^cron\(\S+( \S+){5}\)$")
# Cold storage keeps recovery points 90 days at least.
_COLD_STORAGE_MINIMUM_DAYS = 90


class BackupRule(Strict):
    """One rule of the plan: when, how long recovery points are kept, and where copied."""

    schedule: str = Field(description="a cron() expression, in UTC")
    retention_days: int = Field(ge=1, le=36500)
    cold_storage_after_days: int | None = Field(default=None, ge=1)
    continuous: bool = Field(
        default=False, description="point-in-time recovery (RDS, S3), kept at most 35 days"
    )
    copy_to_dr: bool = Field(default=True, description="copy to the DR region's vault, if any")


class VaultLock(Strict):
    """Vault Lock in compliance mode: retention limits nobody can lift once it is fixed."""

    min_retention_days: int = Field(ge=1)
    max_retention_days: int = Field(le=36500)
    changeable_for_days: int = Field(
        default=3, ge=3, description="grace days before the lock can no longer be changed"
    )


class RestoreTesting(Strict):
    """Scheduled restores of the latest recovery points, checked and then deleted."""

    schedule: str = "cron(0 6 ? * SAT *)"
    resource_types: list[ResourceType] = Field(default_factory=lambda: list(RESTORE_TESTED))
    selection_window_days: int = Field(default=7, ge=1, le=365)
    validation_window_hours: int = Field(default=4, ge=1, le=168)


class Backup(SectionModel):
    """The vault, the plan's rules, what is selected, the lock and restore tests."""

    rules: dict[str, BackupRule]
    resource_types: list[ResourceType] = Field(default_factory=lambda: list(RESOURCE_TYPES))
    selection_tags: dict[str, str] | None = Field(
        default=None,
        description="tags a resource must all carry to be backed up (default: the environment's)",
    )
    vault_lock: VaultLock | None = None
    restore_testing: RestoreTesting | None = None


class BackupSection(Section[Backup]):
    """Backs up the tagged data stores; copies to the DR region when there is one."""

    key = "backup"
    model = Backup
    order = 11
    modules = {"backup": "backup"}
    builds = (
        "AWS Backup: a KMS-encrypted vault (Vault Lock in compliance mode in production), a"
        " plan of rules, a selection of the tagged RDS, DynamoDB, EBS and S3 resources,"
        " copies to a vault in the DR region, restore testing, alarms on failed jobs"
    )

    def calls(self, ctx: Context, part: Backup) -> list[Call]:
        """The backup module call."""
        dr = ctx.dr
        inputs: dict[str, Any] = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "rules": {
                name: {
                    "schedule": rule.schedule,
                    "retention_days": rule.retention_days,
                    **(
                        {"cold_storage_after_days": rule.cold_storage_after_days}
                        if rule.cold_storage_after_days
                        else {}
                    ),
                    **({"continuous": True} if rule.continuous else {}),
                    **({} if rule.copy_to_dr else {"copy": False}),
                }
                for name, rule in part.rules.items()
            },
            "resource_types": list(part.resource_types),
            "selection_tags": _selection(ctx, part),
            # Logs are kept by their own lifecycle; the site is rebuilt by its pipeline.
            "not_resources": [f"arn:aws:s3:::{ctx.name}-logs", f"arn:aws:s3:::{ctx.name}-web"],
        }
        if part.vault_lock is not None:
            inputs["vault_lock"] = part.vault_lock.model_dump()
        if dr is not None:
            inputs["copy"] = {"kms_key_arn": dr_kms_key()}
        if part.restore_testing is not None:
            inputs["restore_testing"] = {
                "schedule": part.restore_testing.schedule,
                "resource_types": list(part.restore_testing.resource_types),
                "selection_window_days": part.restore_testing.selection_window_days,
                "validation_window_hours": part.restore_testing.validation_window_hours,
            }
        outputs = (("backup_vault_name", "vault_name"),)
        providers = {"aws": None, "aws.dr": dr}
        return [self.call("backup", inputs, providers=providers, outputs=outputs)]

    def problems(self, ctx: Context, part: Backup) -> Iterator[Problem]:
        """Schedules, retention within the lock and cold storage; production's lock and tests."""
        if not part.rules:
            yield (self.key, "rules"), "give at least one rule (e.g. daily)"
        lock = part.vault_lock
        for name, rule in part.rules.items():
            where = (self.key, "rules", name)
            if not _CRON.match(rule.schedule):
                message = "a cron() expression of six fields, e.g. cron(0 5 * * ? *)"
                yield (*where, "schedule"), message
            cold = rule.cold_storage_after_days
            if cold is not None and rule.retention_days < cold + _COLD_STORAGE_MINIMUM_DAYS:
                message = f"cold storage keeps at least {_COLD_STORAGE_MINIMUM_DAYS} days: keep"
                yield (*where, "retention_days"), f"{message} {cold + 90} days or more"
            if rule.continuous and rule.retention_days > 35:
                yield (*where, "retention_days"), "continuous backups are kept at most 35 days"
            if lock is not None and not (
                lock.min_retention_days <= rule.retention_days <= lock.max_retention_days
            ):
                message = (
                    f"the vault lock keeps recovery points {lock.min_retention_days} to"
                    f" {lock.max_retention_days} days"
                )
                yield (*where, "retention_days"), message
        if lock is not None and lock.min_retention_days > lock.max_retention_days:
            where = (self.key, "vault_lock", "min_retention_days")
            yield where, "must not exceed max_retention_days"
        if ctx.env.production:
            if lock is None:
                message = "a production vault is locked in compliance mode: set vault_lock"
                yield (self.key, "vault_lock"), message
            if part.restore_testing is None:
                message = "production backups are restored on a schedule: set restore_testing"
                yield (self.key, "restore_testing"), message
        if part.restore_testing is not None and not _CRON.match(part.restore_testing.schedule):
            where = (self.key, "restore_testing", "schedule")
            yield where, "a cron() expression of six fields, e.g. cron(0 6 ? * SAT *)"
        yield from _selection_problems(ctx, part)

    def kms(self, ctx: Context, part: Backup) -> list[KmsUse]:
        """Recovery points are encrypted with the data key."""
        return [KmsUse("data", "AWS Backup vault")]

    def alarms(self, ctx: Context, part: Backup) -> dict[str, Alarm]:
        """Failed backup jobs; failed copies to the DR region; failed restore tests."""
        vault = {"BackupVaultName": ref("backup", "vault_name")}
        alarms = {
            "backup-jobs-failed": count_alarm(
                "An AWS Backup job of the vault failed.",
                1,
                namespace="AWS/Backup",
                metric_name="NumberOfBackupJobsFailed",
                dimensions=vault,
            )
        }
        if ctx.dr is not None:
            alarms["backup-copy-jobs-failed"] = count_alarm(
                "A copy of a recovery point to the DR region failed.",
                1,
                namespace="AWS/Backup",
                metric_name="NumberOfCopyJobsFailed",
                dimensions=vault,
            )
        if part.restore_testing is not None:
            types = part.restore_testing.resource_types
            alarms["backup-restore-tests-failed"] = count_alarm(
                "A restore test (or another restore job) failed.",
                1,
                expression=" + ".join(f"FILL(m{i}, 0)" for i in range(len(types))),
                metrics={
                    f"m{i}": Metric(
                        "AWS/Backup", "NumberOfRestoreJobsFailed", "Sum", {"ResourceType": kind}
                    )
                    for i, kind in enumerate(types)
                },
            )
        return alarms

    def graphs(self, ctx: Context, part: Backup) -> list[Graph]:
        """Backup jobs completed and failed."""
        vault = ref("backup", "vault_name")
        return [
            Graph(
                "AWS Backup jobs (sum)",
                "Sum",
                tuple(
                    (("AWS/Backup", metric, "BackupVaultName", vault), label)
                    for metric, label in (
                        ("NumberOfBackupJobsCompleted", "completed"),
                        ("NumberOfBackupJobsFailed", "failed"),
                    )
                ),
            )
        ]


def _selection(ctx: Context, part: Backup) -> dict[str, str]:
    return dict(ctx.env.tags if part.selection_tags is None else part.selection_tags)


def _selection_problems(ctx: Context, part: Backup) -> Iterator[Problem]:
    """A selection names tags, and picks no other environment's resources."""
    where = ("backup", "selection_tags") if part.selection_tags is not None else ("tags",)
    mine = _selection(ctx, part)
    if not mine:
        message = "the backup selection needs tags, or it selects every resource of the region"
        yield where, message
        return
    inventory = ctx.inventory
    if inventory is None:
        return
    account = getattr(ctx.env, "account", None)
    for name, other in inventory.environments.items():
        shares_region = other.account == account and other.region == ctx.env.region
        if name != ctx.env_name and shares_region and mine.items() <= other.tags.items():
            message = (
                f"environment '{name}' carries these tags too, in the same account and region:"
                " its resources would be backed up by this plan; select on a tag that tells"
                " them apart (such as Environment)"
            )
            yield where, message


section = BackupSection()
