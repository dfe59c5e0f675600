"""CloudWatch: composite alarms (an alarm rule over other alarms).

moto 5.2 stores an alarm's ``AlarmRule`` and describes alarms that have one as
``CompositeAlarms``, but has no ``PutCompositeAlarm`` (HTTP 500), so
``aws_cloudwatch_composite_alarm`` could not be created. PutCompositeAlarm
stores the alarm through moto's own model, with its actions and tags; it is
described, listed as composite and deleted like any other alarm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult, EmptyResult

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = CloudWatchResponse
else:
    _Response = object


class CompositeAlarmsResponse(_Response):
    """Methods for moto's ``CloudWatchResponse``."""

    def put_composite_alarm(self) -> ActionResult:
        """PutCompositeAlarm: an alarm with a rule and no metric."""
        alarm: dict[str, Any] = dict(
            name=self._get_param("AlarmName"),
            namespace=None,
            metric_name=None,
            metric_data_queries=None,
            comparison_operator=None,
            evaluation_periods=None,
            datapoints_to_alarm=None,
            period=None,
            threshold=None,
            statistic=None,
            extended_statistic=None,
            description=self._get_param("AlarmDescription"),
            dimensions=[],
            alarm_actions=self._get_param("AlarmActions", []),
            ok_actions=self._get_param("OKActions", []),
            insufficient_data_actions=self._get_param("InsufficientDataActions", []),
            unit=None,
            actions_enabled=self._get_bool_param("ActionsEnabled"),
            treat_missing_data=None,
            evaluate_low_sample_count_percentile=None,
            threshold_metric_id=None,
            rule=self._get_param("AlarmRule"),
            tags=self._get_param("Tags", []),
        )
        self.cloudwatch_backend.put_metric_alarm(**alarm)
        return EmptyResult()


def check(session: boto3.Session) -> bool:
    """A composite alarm over a metric alarm is described as composite, then deleted."""
    cloudwatch = session.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="ext-window",
        Namespace="AWS/ApplicationELB",
        MetricName="RequestCount",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    rule = 'ALARM("ext-window")'
    cloudwatch.put_composite_alarm(
        AlarmName="ext-slo",
        AlarmRule=rule,
        AlarmDescription="burn",
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:alerts"],
        Tags=[{"Key": "team", "Value": "x"}],
    )
    found = cloudwatch.describe_alarms(AlarmNames=["ext-slo"], AlarmTypes=["CompositeAlarm"])
    composite = found["CompositeAlarms"]
    cloudwatch.delete_alarms(AlarmNames=["ext-slo", "ext-window"])
    return bool(
        len(composite) == 1
        and composite[0]["AlarmRule"] == rule
        and composite[0]["AlarmDescription"] == "burn"
        and composite[0]["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
        and found["MetricAlarms"] == []
    )


EXTENSION = Extension(
    name="cloudwatch_composite_alarms",
    summary="composite alarms: put, described as composite, deleted",
    operations=("PutCompositeAlarm", "DescribeAlarms"),
    grafts=(Graft(CloudWatchResponse, CompositeAlarmsResponse),),
    check=check,
)
