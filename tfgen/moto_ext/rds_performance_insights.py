"""RDS: a DB instance's Performance Insights settings read back.

moto 5.2 ignores ``EnablePerformanceInsights``, ``PerformanceInsightsKMSKeyId``
and ``PerformanceInsightsRetentionPeriod`` on CreateDBInstance and answers
``PerformanceInsightsEnabled: false``; a ModifyDBInstance stores them under
the request's names, which no answer reads. So every plan wanted to turn
Performance Insights on again. As in AWS, turning it on without a retention
keeps 7 days, and without a key uses the account's ``aws/rds`` key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.rds.models import DBInstance

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _DBInstance = DBInstance
else:
    _DBInstance = object

_moto_init = DBInstance.__init__
_moto_update = DBInstance.update
_DEFAULT_RETENTION_DAYS = 7


class PerformanceInsightsDBInstance(_DBInstance):
    """Methods for moto's ``DBInstance``."""

    performance_insights_enabled: bool = False
    performance_insights_kms_key_id: str | None = None
    performance_insights_retention_period: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _moto_init(self, *args, **kwargs)
        self._set_performance_insights(kwargs)

    def update(self, **db_kwargs: Any) -> None:  # type: ignore[override]
        """Apply a ModifyDBInstance, Performance Insights included."""
        _moto_update(self, **db_kwargs)
        self._set_performance_insights(db_kwargs)

    def _set_performance_insights(self, request: dict[str, Any]) -> None:
        enabled = request.get("enable_performance_insights")
        if enabled is None:
            if not self.performance_insights_enabled:
                return
        elif not enabled:
            self.performance_insights_enabled = False
            self.performance_insights_kms_key_id = None
            self.performance_insights_retention_period = None
            return
        self.performance_insights_enabled = True
        key = request.get("performance_insights_kms_key_id")
        self.performance_insights_kms_key_id = (
            key
            or self.performance_insights_kms_key_id
            or f"arn:{self.partition}:kms:{self.region}:{self.account_id}:alias/aws/rds"
        )
        retention = request.get("performance_insights_retention_period")
        self.performance_insights_retention_period = int(
            retention or self.performance_insights_retention_period or _DEFAULT_RETENTION_DAYS
        )


def check(session: boto3.Session) -> bool:
    """Settings given at create read back, and a modify changes them."""
    rds = session.client("rds")
    key = "arn:aws:kms:us-east-1:123456789012:key/ext"
    rds.create_db_instance(
        DBInstanceIdentifier="ext-pi",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="secret123456",
        AllocatedStorage=20,
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId=key,
        PerformanceInsightsRetentionPeriod=731,
    )
    created = rds.describe_db_instances(DBInstanceIdentifier="ext-pi")["DBInstances"][0]
    rds.modify_db_instance(
        DBInstanceIdentifier="ext-pi", PerformanceInsightsRetentionPeriod=7, ApplyImmediately=True
    )
    modified = rds.describe_db_instances(DBInstanceIdentifier="ext-pi")["DBInstances"][0]
    return bool(
        created.get("PerformanceInsightsEnabled") is True
        and created.get("PerformanceInsightsKMSKeyId") == key
        and created.get("PerformanceInsightsRetentionPeriod") == 731
        and modified.get("PerformanceInsightsRetentionPeriod") == 7
        and modified.get("PerformanceInsightsKMSKeyId") == key
    )


EXTENSION = Extension(
    name="rds_performance_insights",
    summary="a DB instance's Performance Insights (enabled, KMS key, retention) read back",
    operations=("CreateDBInstance", "ModifyDBInstance", "DescribeDBInstances"),
    grafts=(Graft(DBInstance, PerformanceInsightsDBInstance),),
    check=check,
)
