"""``ml``: SageMaker real-time endpoints, with model versions and A/B traffic weights.

Each endpoint serves named versions of one model (an image tag of its image
repository and an artifact in the ML bucket) through production variants. An A/B
test is the weights of the variants: shifting them is an inventory edit, and its
plan replaces the endpoint configuration and moves the endpoint to it, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from tfgen.hcl import Expr
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

NAMESPACE = "AWS/SageMaker"
ENDPOINT_4XX_ERRORS = 25
ENDPOINT_5XX_ERRORS = 1
ENDPOINT_FAILED_INVOCATIONS = 1
# SageMaker names have 63 characters; a generated suffix of 26 follows the prefix.
MAX_CONFIG_PREFIX = 37
_VARIANT_KEY_LENGTH = 16


class Version(Strict):
    """A model version: an image tag and the artifact at models/<endpoint>/<version>/."""

    image_tag: str
    network_isolation: bool = Field(
        default=True, description="no network for the model container; off only if it needs one"
    )
    environment: dict[str, str] = Field(default_factory=dict)


class Variant(Strict):
    """A production variant: a version, its share of the traffic, its instances."""

    version: str
    weight: float = Field(ge=0)
    instance_type: str | None = Field(default=None, description="default: the endpoint's")
    min_instances: int = Field(default=1, ge=1)
    max_instances: int = Field(default=1, ge=1)


class Endpoint(Strict):
    """A real-time inference endpoint."""

    instance_type: str = "ml.m5.large"
    versions: dict[str, Version]
    variants: dict[str, Variant]
    invocations_per_instance: int = Field(
        default=100, ge=1, description="auto scaling target per instance, per minute"
    )
    data_capture_percent: int = Field(default=0, ge=0, le=100)
    latency_p95_ms: int = Field(default=500, ge=1, description="p95 model latency alarm, ms")


class Ml(SectionModel):
    """SageMaker endpoints."""

    endpoints: dict[str, Endpoint] = Field(default_factory=dict)


class MlSection(Section[Ml]):
    """Endpoints in the private subnets; artifacts, capture and volumes with the data key."""

    key = "ml"
    model = Ml
    order = 16
    modules = {"ml": "ml"}
    builds = (
        "SageMaker endpoints: model package groups (versions), models from ECR images and S3"
        " artifacts (network isolation, private subnets), variants with A/B traffic weights,"
        " data capture (KMS), auto scaling on invocations per instance"
    )

    def calls(self, ctx: Context, part: Ml) -> list[Call]:
        """The ml module call."""
        endpoints: dict[str, Any] = {
            key: {
                "versions": {name: v.model_dump() for name, v in endpoint.versions.items()},
                "variants": {
                    name: {
                        "version": variant.version,
                        "weight": int(variant.weight)
                        if variant.weight.is_integer()
                        else variant.weight,
                        "instance_type": variant.instance_type or endpoint.instance_type,
                        "min_instances": variant.min_instances,
                        "max_instances": variant.max_instances,
                    }
                    for name, variant in endpoint.variants.items()
                },
                "invocations_per_instance": endpoint.invocations_per_instance,
                "data_capture_percent": endpoint.data_capture_percent,
            }
            for key, endpoint in part.endpoints.items()
        }
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "access_log_bucket": ref("storage", "log_bucket_id"),
            "vpc_id": ref("network", "vpc_id"),
            "subnet_ids": ref("network", "private_subnet_ids"),
            "force_destroy": not ctx.env.deletion_protection,
            "endpoints": endpoints,
        }
        outputs = (
            ("ml_endpoint_names", "endpoint_names"),
            ("ml_repository_urls", "repository_urls"),
            ("ml_bucket", "bucket_id"),
        )
        return [self.call("ml", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Ml) -> Iterator[Problem]:
        """Variants of real versions with traffic somewhere; production redundancy and capture."""
        yield from name_problems((self.key, "endpoints"), part.endpoints)
        for key, endpoint in part.endpoints.items():
            where = (self.key, "endpoints", key)
            if len(f"{ctx.name}-{key}-") > MAX_CONFIG_PREFIX:
                yield where, f"'{ctx.name}-{key}-' must fit in {MAX_CONFIG_PREFIX} characters"
            for kind, names in (("versions", endpoint.versions), ("variants", endpoint.variants)):
                for name in names:
                    if len(name) > _VARIANT_KEY_LENGTH or not name.replace("-", "").isalnum():
                        message = f"{kind} are 1-{_VARIANT_KEY_LENGTH} letters, digits, hyphens"
                        yield (*where, kind, name), message
            if not endpoint.variants:
                yield (*where, "variants"), "an endpoint needs at least one variant"
            elif not any(variant.weight > 0 for variant in endpoint.variants.values()):
                yield (*where, "variants"), "at least one variant must have a weight above 0"
            if not endpoint.instance_type.startswith("ml."):
                yield (*where, "instance_type"), "SageMaker instance types start with 'ml.'"
            for name, variant in endpoint.variants.items():
                yield from _variant_problems(ctx, (*where, "variants", name), endpoint, variant)
            if ctx.env.production and endpoint.data_capture_percent == 0:
                message = "a production endpoint captures data for model monitoring (1-100%)"
                yield (*where, "data_capture_percent"), message

    def kms(self, ctx: Context, part: Ml) -> list[KmsUse]:
        """Artifacts, captured data, images and ML volumes with the data key."""
        return [
            KmsUse("data", "model artifacts, captured data, model images and ML volumes"),
            KmsUse("logs", "CloudWatch Logs log groups"),
        ]

    def keyed_outputs(self, ctx: Context, part: Ml) -> dict[str, KeySet]:
        """Endpoints by their key in the inventory."""
        endpoints = KeySet(list(part.endpoints), "endpoint", "ml.endpoints")
        return {
            name: endpoints
            for name in (
                "endpoint_names",
                "endpoint_arns",
                "model_package_group_names",
                "repository_urls",
            )
        }

    def alarms(self, ctx: Context, part: Ml) -> dict[str, Alarm]:
        """Per variant: 4xx and 5xx answers, failed invocations, p95 model latency."""
        alarms: dict[str, Alarm] = {}
        for key, endpoint in part.endpoints.items():
            for variant in endpoint.variants:
                prefix = f"sagemaker-{key}-{variant}"
                where = f"SageMaker endpoint {key}, variant {variant}"
                dimensions = _dimensions(key, variant)
                alarms[f"{prefix}-4xx"] = count_alarm(
                    f"{where}: at least {ENDPOINT_4XX_ERRORS} 4xx answers in 5 minutes.",
                    ENDPOINT_4XX_ERRORS,
                    namespace=NAMESPACE,
                    metric_name="Invocation4XXErrors",
                    dimensions=dimensions,
                )
                alarms[f"{prefix}-5xx"] = count_alarm(
                    f"{where}: at least {ENDPOINT_5XX_ERRORS} 5xx answers in 5 minutes.",
                    ENDPOINT_5XX_ERRORS,
                    namespace=NAMESPACE,
                    metric_name="Invocation5XXErrors",
                    dimensions=dimensions,
                )
                alarms[f"{prefix}-failed-invocations"] = count_alarm(
                    f"{where}: at least {ENDPOINT_FAILED_INVOCATIONS} invocations the model"
                    " failed (errors, timeouts, malformed answers) in 5 minutes.",
                    ENDPOINT_FAILED_INVOCATIONS,
                    namespace=NAMESPACE,
                    metric_name="InvocationModelErrors",
                    dimensions=dimensions,
                )
                alarms[f"{prefix}-p95-latency"] = Alarm(
                    description=f"{where}: p95 model latency above {endpoint.latency_p95_ms} ms"
                    " for 15 minutes.",
                    threshold=endpoint.latency_p95_ms * 1000,  # the metric is in microseconds
                    treat_missing_data="notBreaching",
                    namespace=NAMESPACE,
                    metric_name="ModelLatency",
                    dimensions=dimensions,
                    extended_statistic="p95",
                )
        return alarms

    def graphs(self, ctx: Context, part: Ml) -> list[Graph]:
        """Invocations and p95 model latency of every variant."""
        rows = [
            ((key, variant), f"{key}/{variant}")
            for key, endpoint in part.endpoints.items()
            for variant in endpoint.variants
        ]
        if not rows:
            return []
        return [
            Graph(
                f"SageMaker {metric} ({stat})",
                stat,
                tuple(
                    (
                        (
                            NAMESPACE,
                            metric,
                            "EndpointName",
                            ref("ml", "endpoint_names", key),
                            "VariantName",
                            variant,
                        ),
                        label,
                    )
                    for (key, variant), label in rows
                ),
            )
            for metric, stat in (("Invocations", "Sum"), ("ModelLatency", "p95"))
        ]


def _dimensions(key: str, variant: str) -> dict[str, str | Expr]:
    return {"EndpointName": ref("ml", "endpoint_names", key), "VariantName": variant}


def _variant_problems(
    ctx: Context, where: tuple[str | int, ...], endpoint: Endpoint, variant: Variant
) -> Iterator[Problem]:
    if variant.version not in endpoint.versions:
        yield (*where, "version"), f"no version '{variant.version}' in this endpoint's versions"
    if variant.instance_type is not None and not variant.instance_type.startswith("ml."):
        yield (*where, "instance_type"), "SageMaker instance types start with 'ml.'"
    if variant.min_instances > variant.max_instances:
        message = f"min_instances {variant.min_instances} is above max_instances"
        yield (*where, "min_instances"), message
    if ctx.env.production and variant.weight > 0 and variant.min_instances < 2:
        message = "a production variant taking traffic needs 2 instances (SageMaker spreads AZs)"
        yield (*where, "min_instances"), message


section = MlSection()
