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
    """Buckets are SSE-KMS with the data key; the log bucket takes access logs."""

    key = "storage"
    model = Storage
    order = 2
    modules = {"storage": "storage"}
    builds = (
        "S3 buckets (versioning, SSE-KMS, public access block, TLS-only, lifecycle, access"
        " logging) and the environment's log bucket"
    )

    def calls(self, ctx: Context, part: Storage) -> list[Call]:
        """The storage module call."""
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "force_destroy": not ctx.env.deletion_protection,
            "log_retention_days": part.log_retention_days,
            "buckets": {
                key: bucket.model_dump(exclude_none=True) for key, bucket in part.buckets.items()
            },
        }
        return [
            self.call(
                "storage",
                inputs,
                outputs=(("bucket_ids", "bucket_ids"),),
            )
        ]

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
        }


section = StorageSection()
