"""``data``: the data lake (raw and curated zones, Glue, Athena) and its streams.

The Glue job scripts and the ETL function's code live in the repository; like
the functions section's zips, tfgen copies them into the generated root
(``envs/<env>/artifacts/data/``), byte for byte, so ``tfgen generate --check``
sees a changed script and terraform uploads it only when it changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field

from tfgen.errors import InputError
from tfgen.hcl import Expr
from tfgen.package import package_function
from tfgen.project import escaping_links, outside_project
from tfgen.rules import name_problems
from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    KeySet,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    Strict,
    count_alarm,
    kms_key,
    ref,
)

ARTIFACTS = "artifacts/data"
PRODUCTION_MIN_STREAM_RETENTION_HOURS = 168
FIREHOSE_FRESHNESS_SECONDS = 1800
KINESIS_ITERATOR_AGE_MS = 15 * 60 * 1000
LAMBDA_ERRORS = 1
GLUE_FAILED_TASKS = 1


class Job(Strict):
    """A Glue Spark job from the raw zone to the curated zone."""

    script: str = Field(description="the job's .py script, relative to the inventory")
    worker_type: Literal["G.1X", "G.2X", "G.4X", "G.8X"] = "G.1X"
    workers: int = Field(default=2, ge=2, le=299)
    timeout_minutes: int = Field(default=60, ge=1, le=2880)
    arguments: dict[str, str] = Field(default_factory=dict)


class EtlFunction(Strict):
    """The Lambda function run for every new object of the raw zone."""

    source: str = Field(
        default="data/etl", description="folder relative to the inventory, zipped by tfgen"
    )
    handler: str = "handler.handler"
    runtime: str = "python3.12"
    memory_size: int = Field(default=512, ge=128, le=10240)
    timeout: int = Field(default=120, ge=1, le=900)
    reserved_concurrency: int = Field(default=5, ge=1)


class Stream(Strict):
    """A Kinesis data stream, delivered by Firehose into the raw zone."""

    retention_hours: int = Field(default=24, ge=24, le=8760)
    buffer_mib: int = Field(default=64, ge=1, le=128)
    buffer_seconds: int = Field(default=300, ge=0, le=900)


class Data(SectionModel):
    """The data lake and its streams."""

    raw_transition_to_glacier_days: int | None = Field(default=None, ge=1)
    raw_expiration_days: int | None = Field(default=None, ge=1)
    crawler_schedule: str | None = "cron(0 2 * * ? *)"
    jobs: dict[str, Job] = Field(default_factory=dict)
    etl_function: EtlFunction = EtlFunction()
    streams: dict[str, Stream] = Field(default_factory=dict)
    athena_query_limit_mib: int = Field(
        default=10240, ge=10, description="bytes one Athena query may scan, in MiB"
    )


class DataSection(Section[Data]):
    """Zones log to the storage section's log bucket; the ETL function runs in the VPC."""

    key = "data"
    model = Data
    order = 15
    modules = {"data": "data"}
    builds = (
        "data lake: raw and curated zones (versioned, KMS), Glue catalog per zone, crawler,"
        " Spark jobs from `data/jobs/`, Glue security configuration; Athena workgroup"
        " (enforced, KMS results, bytes-scanned limit); Kinesis streams (on demand, KMS) into"
        " the raw zone through Firehose; an ETL Lambda on raw-zone object events"
    )

    def calls(self, ctx: Context, part: Data) -> list[Call]:
        """The data module call, and the scripts and zip it deploys."""
        artifacts = {f"{ARTIFACTS}/etl.zip": _etl_zip(ctx, part.etl_function)}
        artifacts.update(
            (f"{ARTIFACTS}/jobs/{key}.py", _script(ctx, job.script))
            for key, job in part.jobs.items()
        )
        function = part.etl_function
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "access_log_bucket": ref("storage", "log_bucket_id"),
            "vpc_id": ref("network", "vpc_id"),
            "subnet_ids": ref("network", "private_subnet_ids"),
            "force_destroy": not ctx.env.deletion_protection,
            "raw_transition_to_glacier_days": part.raw_transition_to_glacier_days,
            "raw_expiration_days": part.raw_expiration_days,
            "crawler_schedule": part.crawler_schedule,
            "jobs": {
                key: {
                    "script_path": _root_path(f"jobs/{key}.py"),
                    "worker_type": job.worker_type,
                    "number_of_workers": job.workers,
                    "timeout": job.timeout_minutes,
                    "arguments": dict(job.arguments),
                }
                for key, job in part.jobs.items()
            },
            "etl_function": {
                "package_path": _root_path("etl.zip"),
                "handler": function.handler,
                "runtime": function.runtime,
                "memory_size": function.memory_size,
                "timeout": function.timeout,
                "reserved_concurrency": function.reserved_concurrency,
            },
            "streams": {
                key: {
                    "retention_hours": stream.retention_hours,
                    "buffering_size_mib": stream.buffer_mib,
                    "buffering_interval_sec": stream.buffer_seconds,
                }
                for key, stream in part.streams.items()
            },
            "athena_bytes_scanned_cutoff": part.athena_query_limit_mib * 1024**2,
        }
        outputs = (
            ("data_raw_bucket", "raw_bucket_id"),
            ("data_athena_workgroup", "athena_workgroup_name"),
            ("data_stream_names", "stream_names"),
        )
        return [self.call("data", inputs, outputs=outputs, artifacts=artifacts)]

    def problems(self, ctx: Context, part: Data) -> Iterator[Problem]:
        """Sources inside the project; stream retention and raw lifecycle that make sense."""
        yield from name_problems((self.key, "jobs"), part.jobs)
        yield from name_problems((self.key, "streams"), part.streams)
        for key, job in part.jobs.items():
            where = (self.key, "jobs", key, "script")
            problem = outside_project(ctx.project_dir, job.script)
            if problem is None and not job.script.endswith(".py"):
                problem = "a Glue job's script is a .py file"
            elif problem is None and not (ctx.project_dir / job.script).is_file():
                problem = f"no file '{job.script}' next to the inventory"
            if problem is not None:
                yield where, problem
        source = part.etl_function.source
        at = (self.key, "etl_function", "source")
        outside = outside_project(ctx.project_dir, source)
        if outside is not None:
            yield at, outside
        elif not (ctx.project_dir / source).is_dir():
            yield at, f"no folder '{source}' next to the inventory"
        else:
            for link in escaping_links(ctx.project_dir, ctx.project_dir / source):
                yield at, f"{link} is a symlink that leads out of the project"
        glacier, expiry = part.raw_transition_to_glacier_days, part.raw_expiration_days
        if glacier is not None and expiry is not None and expiry <= glacier:
            message = "must come after raw_transition_to_glacier_days"
            yield (self.key, "raw_expiration_days"), message
        if ctx.env.production:
            minimum = PRODUCTION_MIN_STREAM_RETENTION_HOURS
            for key, stream in part.streams.items():
                if stream.retention_hours < minimum:
                    message = f"a production stream keeps records {minimum} hours at least"
                    yield (self.key, "streams", key, "retention_hours"), message

    def kms(self, ctx: Context, part: Data) -> list[KmsUse]:
        """Zones, streams, Glue and Athena with the data key; logs with the logs key."""
        return [
            KmsUse("data", "data lake zones, Kinesis streams, Glue bookmarks and Athena results"),
            KmsUse("logs", "CloudWatch Logs log groups"),
        ]

    def keyed_outputs(self, ctx: Context, part: Data) -> dict[str, KeySet]:
        """Jobs and streams by their key in the inventory."""
        streams = KeySet(list(part.streams), "stream", "data.streams")
        return {
            "job_names": KeySet(list(part.jobs), "job", "data.jobs"),
            "stream_names": streams,
            "stream_arns": streams,
            "delivery_stream_names": streams,
        }

    def alarms(self, ctx: Context, part: Data) -> dict[str, Alarm]:
        """Stale deliveries and lagging readers of each stream; ETL function and job failures."""
        alarms: dict[str, Alarm] = {
            "data-etl-errors": count_alarm(
                f"Data lake ETL function had at least {LAMBDA_ERRORS} errors in 5 minutes.",
                LAMBDA_ERRORS,
                namespace="AWS/Lambda",
                metric_name="Errors",
                dimensions={"FunctionName": ref("data", "etl_function_name")},
            )
        }
        for name in part.streams:
            alarms[f"firehose-{name}-freshness"] = Alarm(
                description=f"Firehose {name}: the oldest record not yet in the raw zone is older"
                f" than {FIREHOSE_FRESHNESS_SECONDS} s.",
                threshold=FIREHOSE_FRESHNESS_SECONDS,
                evaluation_periods=2,
                treat_missing_data="notBreaching",
                namespace="AWS/Firehose",
                metric_name="DeliveryToS3.DataFreshness",
                dimensions={"DeliveryStreamName": ref("data", "delivery_stream_names", name)},
                statistic="Maximum",
            )
            alarms[f"kinesis-{name}-iterator-age"] = Alarm(
                description=f"Kinesis stream {name}: records wait more than"
                f" {KINESIS_ITERATOR_AGE_MS // 60000} minutes to be read.",
                threshold=KINESIS_ITERATOR_AGE_MS,
                evaluation_periods=2,
                treat_missing_data="notBreaching",
                namespace="AWS/Kinesis",
                metric_name="GetRecords.IteratorAgeMilliseconds",
                dimensions={"StreamName": ref("data", "stream_names", name)},
                statistic="Maximum",
            )
        for name in part.jobs:
            alarms[f"glue-{name}-failed-tasks"] = count_alarm(
                f"Glue job {name} had at least {GLUE_FAILED_TASKS} failed Spark tasks.",
                GLUE_FAILED_TASKS,
                namespace="Glue",
                metric_name="glue.driver.aggregate.numFailedTasks",
                dimensions={
                    "JobName": ref("data", "job_names", name),
                    "JobRunId": "ALL",
                    "Type": "count",
                },
            )
        return alarms

    def graphs(self, ctx: Context, part: Data) -> list[Graph]:
        """Records into the streams, bytes delivered, ETL invocations, Athena bytes scanned."""
        graphs = [
            Graph(
                "Data lake ETL function (sum)",
                "Sum",
                tuple(
                    (
                        ("AWS/Lambda", metric, "FunctionName", ref("data", "etl_function_name")),
                        metric,
                    )
                    for metric in ("Invocations", "Errors")
                ),
            ),
            Graph(
                "Athena bytes scanned (sum)",
                "Sum",
                (
                    (
                        (
                            "AWS/Athena",
                            "ProcessedBytes",
                            "WorkGroup",
                            ref("data", "athena_workgroup_name"),
                        ),
                        "bytes scanned",
                    ),
                ),
            ),
        ]
        if part.streams:
            graphs.append(
                Graph(
                    "Kinesis incoming records (sum)",
                    "Sum",
                    tuple(
                        (
                            (
                                "AWS/Kinesis",
                                "IncomingRecords",
                                "StreamName",
                                ref("data", "stream_names", name),
                            ),
                            name,
                        )
                        for name in part.streams
                    ),
                )
            )
            graphs.append(
                Graph(
                    "Firehose bytes delivered to the raw zone (sum)",
                    "Sum",
                    tuple(
                        (
                            (
                                "AWS/Firehose",
                                "DeliveryToS3.Bytes",
                                "DeliveryStreamName",
                                ref("data", "delivery_stream_names", name),
                            ),
                            name,
                        )
                        for name in part.streams
                    ),
                )
            )
        return graphs


def _root_path(relative: str) -> Expr:
    # path.root: the artifact sits in the generated root, wherever terraform runs.
    return Expr(f'"${{path.root}}/{ARTIFACTS}/{relative}"')


def _etl_zip(ctx: Context, function: EtlFunction) -> bytes:
    return package_function(ctx.project_dir / function.source, ctx.project_dir)


def _script(ctx: Context, script: str) -> bytes:
    # The rules refuse such paths first; this guards generation on its own.
    problem = outside_project(ctx.project_dir, script)
    if problem is not None:
        raise InputError(f"Glue job script {problem}")
    path: Path = ctx.project_dir / script
    if not path.is_file():
        raise InputError(f"Glue job script {path} does not exist")
    return path.read_bytes()


section = DataSection()
