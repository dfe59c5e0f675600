"""``storage``: S3 buckets of the environment, and its log bucket."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tfgen.rules import NAME, retention_problems
from tfgen.section import (
    Call,
    Context,
    KeySet,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    Strict,
    dr_kms_key,
    kms_key,
)

_MAX_BUCKET_NAME = 63


class Bucket(Strict):
    """One S3 bucket, named ``<project>-<env>-<key>``."""

    versioning: bool = True
    transition_to_ia_days: int | None = Field(default=None, ge=30)
    transition_to_glacier_days: int | None = Field(default=None, ge=1)
    expiration_days: int | None = Field(default=None, ge=1)
    noncurrent_expiration_days: int = Field(default=90, ge=1)


class Storage(SectionModel):
    """S3 buckets plus the environment's log bucket."""

    buckets: dict[str, Bucket] = Field(default_factory=dict)
    log_retention_days: int = 365


class StorageSection(Section[Storage]):
    """Buckets are SSE-KMS with the data key; the log bucket takes access logs.

    With a DR region (the dr section), every bucket is replicated there, into
    replicas encrypted with the DR region's data key.
    """

    key = "storage"
    model = Storage
    order = 2
    modules = {"storage": "storage"}
    builds = (
        "S3 buckets (versioning, SSE-KMS, public access block, TLS-only, lifecycle, access"
        " logging) and the environment's log bucket; with a DR region, their replicas there"
        " (cross-region replication, the DR region's key)"
    )

    def calls(self, ctx: Context, part: Storage) -> list[Call]:
        """The storage module call; with a DR region, its buckets are replicated there."""
        dr = ctx.dr
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "force_destroy": not ctx.env.deletion_protection,
            "log_retention_days": part.log_retention_days,
            "buckets": {
                key: bucket.model_dump(exclude_none=True) for key, bucket in part.buckets.items()
            },
            **({"replication": {"kms_key_arn": dr_kms_key()}} if dr else {}),
        }
        outputs: tuple[tuple[str, str], ...] = (("bucket_ids", "bucket_ids"),)
        if dr:
            outputs += (("replica_bucket_ids", "replica_bucket_ids"),)
        # The replicas' region; without one the module is handed the default provider.
        providers = {"aws": None, "aws.replica": dr}
        return [self.call("storage", inputs, providers=providers, outputs=outputs)]

    def problems(self, ctx: Context, part: Storage) -> Iterator[Problem]:
        """Bucket names usable in S3; a log retention CloudWatch accepts."""
        for key in part.buckets:
            bucket = f"{ctx.name}-{key}"
            if not NAME.match(key) or len(bucket) > _MAX_BUCKET_NAME:
                message = f"use lower-case letters, digits, hyphens; '{bucket}' must fit in 63"
                yield (self.key, "buckets", key), message
        yield from retention_problems(
            (self.key, "log_retention_days"), part.log_retention_days, ctx.env
        )
        if ctx.dr:
            for key, settings in part.buckets.items():
                if not settings.versioning:
                    message = "replication to the DR region needs versioning on"
                    yield (self.key, "buckets", key, "versioning"), message

    def kms(self, ctx: Context, part: Storage) -> list[KmsUse]:
        """Buckets are encrypted with the data key."""
        return [KmsUse("data", "S3 buckets")]

    def keyed_outputs(self, ctx: Context, part: Storage) -> dict[str, KeySet]:
        """Buckets by their key in the inventory."""
        buckets = KeySet(list(part.buckets), "bucket", "storage.buckets")
        return {
            "bucket_ids": buckets,
            "bucket_arns": buckets,
            "bucket_regional_domain_names": buckets,
            "replica_bucket_ids": buckets,
            "replica_bucket_arns": buckets,
        }


section = StorageSection()
