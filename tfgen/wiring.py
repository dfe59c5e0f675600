"""How inventory sections become module calls, and how the modules are wired.

Each builder turns one section of an environment into one module call; every
cross-module reference (subnets, security groups, KMS keys, the log bucket, the
alerts topic) is made here, as an ``Expr``, never by hand in ``envs/``. Which
module exists is decided by the inventory alone, so every ``count`` in the
modules stays known at plan time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.hcl import Expr
from tfgen.model import Environment
from tfgen.package import package_function

# Provider for resources that AWS only accepts in us-east-1 (CloudFront's
# certificate and web ACL), whatever the environment's region.
US_EAST_1 = "aws.us_east_1"


@dataclass(frozen=True)
class Call:
    """One module call of an environment, before it is checked and rendered."""

    name: str
    module: str
    inputs: dict[str, Any]
    providers: dict[str, str] = field(default_factory=dict)
    outputs: tuple[tuple[str, str], ...] = ()
    artifacts: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What every builder may read."""

    env_name: str
    env: Environment
    name: str
    name_tag_prefix: str
    project_dir: Path

    @property
    def log_retention_days(self) -> int:
        """Retention of every log group the platform creates."""
        observability = self.env.observability
        return observability.log_retention_days if observability is not None else 365


def _ref(module: str, output: str, key: str | None = None) -> Expr:
    return Expr(f'module.{module}.{output}["{key}"]' if key else f"module.{module}.{output}")


def _logs_key() -> Expr:
    return _ref("kms", "key_arns", "logs")


def _data_key() -> Expr:
    return _ref("kms", "key_arns", "data")


def network(ctx: Context) -> Call | None:
    """The VPC, reproducing the seed's template for the dev inputs."""
    net = ctx.env.network
    inputs: dict[str, Any] = {
        "name": ctx.name,
        "name_tag_prefix": ctx.name_tag_prefix,
        "cidr": net.cidr,
        # Without explicit AZs the module takes the region's first ones, as the seed does.
        **({"azs": list(net.azs)} if net.azs else {}),
        "public_subnets": list(net.public_subnets),
        "private_subnets": list(net.private_subnets),
        "nat_gateway_mode": net.nat_gateways,
        "enable_flow_logs": net.flow_logs.enabled,
        "flow_log_retention_days": net.flow_logs.retention_days,
    }
    # The network's outputs match the seed template's exports.
    outputs = (
        ("vpc_id", "vpc_id"),
        ("public_subnet_ids", "public_subnet_ids"),
        ("private_subnet_ids", "private_subnet_ids"),
        ("nat_public_ips", "nat_public_ips"),
        ("flow_log_group_name", "flow_log_group_name"),
    )
    return Call("network", "network", inputs, outputs=outputs)


def kms(ctx: Context) -> Call | None:
    """Customer-managed keys per purpose; only when another module uses one."""
    if not _uses_kms(ctx.env):
        return None
    inputs = {"name": ctx.name, "deletion_window_in_days": ctx.env.kms.deletion_window_days}
    return Call("kms", "kms", inputs, outputs=(("kms_key_arns", "key_arns"),))


def storage(ctx: Context) -> Call | None:
    """Buckets and the environment's log bucket."""
    part = ctx.env.storage
    if part is None or not part.enabled:
        return None
    inputs = {
        "name": ctx.name,
        "kms_key_arn": _data_key(),
        "force_destroy": not ctx.env.deletion_protection,
        "log_retention_days": part.log_retention_days,
        "buckets": {
            key: bucket.model_dump(exclude_none=True) for key, bucket in part.buckets.items()
        },
    }
    return Call("storage", "storage", inputs, outputs=(("bucket_ids", "bucket_ids"),))


def dns(ctx: Context) -> Call | None:
    """The hosted zone and the ALB's certificate."""
    part = ctx.env.dns
    if part is None or not part.enabled:
        return None
    compute = ctx.env.compute
    inputs = {
        "name": ctx.name,
        "domain_name": part.domain,
        "certificate_names": [compute.subdomain] if compute is not None and compute.enabled else [],
        "wait_for_validation": part.wait_for_validation,
    }
    outputs = (("zone_name_servers", "name_servers"),)
    return Call("dns", "dns", inputs, outputs=outputs)


def waf(ctx: Context) -> Call | None:
    """The regional web ACL for the ALB."""
    if not (ctx.env.has("waf") and ctx.env.has("compute")):
        return None
    return Call("waf", "waf", _waf_inputs(ctx, "REGIONAL"))


def waf_cloudfront(ctx: Context) -> Call | None:
    """The CloudFront web ACL, which AWS keeps in us-east-1."""
    if not (ctx.env.has("waf") and ctx.env.has("frontend")):
        return None
    return Call(
        "waf_cloudfront", "waf", _waf_inputs(ctx, "CLOUDFRONT"), providers={"aws": US_EAST_1}
    )


def _waf_inputs(ctx: Context, scope: str) -> dict[str, Any]:
    assert ctx.env.waf is not None
    return {
        "name": ctx.name,
        "scope": scope,
        "rate_limit": ctx.env.waf.rate_limit,
        "log_retention_days": ctx.log_retention_days,
        "log_kms_key_arn": _logs_key(),
    }


def frontend(ctx: Context) -> Call | None:
    """The static site behind CloudFront."""
    part, zone = ctx.env.frontend, ctx.env.dns
    if part is None or not part.enabled or zone is None:
        return None
    inputs = {
        "name": ctx.name,
        "domain_name": f"{part.subdomain}.{zone.domain}",
        "zone_id": _ref("dns", "zone_id"),
        "web_acl_arn": _ref("waf_cloudfront", "web_acl_arn"),
        "log_bucket_domain_name": _ref("storage", "log_bucket_domain_name"),
        "price_class": part.price_class,
        "force_destroy": not ctx.env.deletion_protection,
    }
    outputs = (
        ("cdn_distribution_id", "distribution_id"),
        ("cdn_domain_name", "distribution_domain_name"),
        ("site_bucket_id", "bucket_id"),
    )
    providers = {"aws": "aws", US_EAST_1: US_EAST_1}
    return Call("frontend", "frontend", inputs, providers=providers, outputs=outputs)


def service(ctx: Context) -> Call | None:
    """ECR, ECS Fargate services and the ALB."""
    part = ctx.env.compute
    if part is None or not part.enabled:
        return None
    services = {
        key: {
            "cpu": svc.cpu,
            "memory": svc.memory,
            "desired_count": svc.desired_count,
            "min_count": svc.min_count,
            "max_count": svc.max_count,
            "priority": svc.priority,
            "container_port": svc.container_port,
            "health_check_path": svc.health_check_path,
            "image_tag": svc.image_tag,
            "cpu_target_percent": svc.cpu_target_percent,
            "path_patterns": list(svc.path_patterns),
            "environment": dict(svc.environment),
            "secrets": {
                variable: _ref("secrets", "secret_arns", secret)
                for variable, secret in svc.secrets.items()
            },
        }
        for key, svc in part.services.items()
    }
    inputs = {
        "name": ctx.name,
        "vpc_id": _ref("network", "vpc_id"),
        "vpc_cidr_block": _ref("network", "vpc_cidr_block"),
        "public_subnet_ids": _ref("network", "public_subnet_ids"),
        "private_subnet_ids": _ref("network", "private_subnet_ids"),
        "certificate_arn": _ref("dns", "certificate_arn"),
        "kms_key_arn": _data_key(),
        "log_kms_key_arn": _logs_key(),
        "log_retention_days": ctx.log_retention_days,
        "access_logs_bucket": _ref("storage", "log_bucket_id"),
        "enable_waf": ctx.env.has("waf"),
        **({"web_acl_arn": _ref("waf", "web_acl_arn")} if ctx.env.has("waf") else {}),
        "deletion_protection": ctx.env.deletion_protection,
        "services": services,
    }
    outputs = (
        ("alb_dns_name", "alb_dns_name"),
        ("ecs_cluster_name", "cluster_name"),
        ("ecr_repository_urls", "ecr_repository_urls"),
    )
    return Call("service", "service", inputs, outputs=outputs)


def _data_tier(ctx: Context) -> dict[str, Any]:
    return {
        "name": ctx.name,
        "vpc_id": _ref("network", "vpc_id"),
        "subnet_ids": _ref("network", "private_subnet_ids"),
        "allowed_security_group_ids": [_ref("service", "service_security_group_id")],
        "kms_key_arn": _data_key(),
        "log_kms_key_arn": _logs_key(),
        "log_retention_days": ctx.log_retention_days,
    }


def database(ctx: Context) -> Call | None:
    """RDS PostgreSQL, reachable from the services only."""
    part = ctx.env.database
    if part is None or not part.enabled:
        return None
    inputs = {
        **_data_tier(ctx),
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
    return Call("database", "database", inputs, outputs=outputs)


def cache(ctx: Context) -> Call | None:
    """ElastiCache Redis, reachable from the services only."""
    part = ctx.env.cache
    if part is None or not part.enabled:
        return None
    inputs = {
        **_data_tier(ctx),
        "engine_version": part.engine_version,
        "node_type": part.node_type,
        "num_cache_clusters": part.num_cache_clusters,
        "automatic_failover": part.automatic_failover,
        "multi_az": part.multi_az,
        "snapshot_retention_limit": part.snapshot_retention_limit,
    }
    outputs = (("redis_primary_endpoint", "primary_endpoint_address"),)
    return Call("cache", "cache", inputs, outputs=outputs)


def messaging(ctx: Context) -> Call | None:
    """SQS queues (with DLQs) and SNS topics."""
    part = ctx.env.messaging
    if part is None or not part.enabled:
        return None
    inputs = {
        "name": ctx.name,
        "kms_key_arn": _data_key(),
        "queues": {key: queue.model_dump() for key, queue in part.queues.items()},
        "topics": {key: topic.model_dump() for key, topic in part.topics.items()},
    }
    outputs = (("queue_urls", "queue_urls"), ("topic_arns", "topic_arns"))
    return Call("messaging", "messaging", inputs, outputs=outputs)


def functions(ctx: Context) -> Call | None:
    """Lambda functions, packaged by tfgen, and their HTTP API."""
    part = ctx.env.functions
    if part is None or not part.enabled:
        return None
    artifacts = {
        f"artifacts/{key}.zip": package_function(ctx.project_dir / fn.source, ctx.project_dir)
        for key, fn in part.functions.items()
    }
    inputs = {
        "name": ctx.name,
        "kms_key_arn": _data_key(),
        "log_kms_key_arn": _logs_key(),
        "log_retention_days": ctx.log_retention_days,
        "functions": {
            key: {
                # path.root: the zip sits in the generated root, wherever terraform runs.
                "package_path": Expr(f'"${{path.root}}/artifacts/{key}.zip"'),
                "runtime": fn.runtime,
                "handler": fn.handler,
                "memory_size": fn.memory_size,
                "timeout": fn.timeout,
                "reserved_concurrency": fn.reserved_concurrency,
                "environment": dict(fn.environment),
            }
            for key, fn in part.functions.items()
        },
        "api": {
            "enabled": part.api.enabled,
            "routes": {key: route.model_dump() for key, route in part.api.routes.items()},
            "jwt_issuer": part.api.jwt_issuer,
            "jwt_audience": list(part.api.jwt_audience),
            "cors_allow_origins": list(part.api.cors_allow_origins),
        },
    }
    outputs = (("function_names", "function_names"), ("api_endpoint", "api_endpoint"))
    return Call("functions", "functions", inputs, outputs=outputs, artifacts=artifacts)


def secrets(ctx: Context) -> Call | None:
    """Secrets Manager secrets (values are put out of band)."""
    part = ctx.env.secrets
    if part is None or not part.enabled:
        return None
    entries: dict[str, Any] = {}
    for key, secret in part.secrets.items():
        entry: dict[str, Any] = {"description": secret.description}
        if secret.rotation_function is not None:
            entry.update(
                rotate=True,
                rotation_lambda_arn=_ref("functions", "function_arns", secret.rotation_function),
                rotation_days=secret.rotation_days,
            )
        entries[key] = entry
    inputs = {
        "name": ctx.name,
        "kms_key_arn": _ref("kms", "key_arns", "secrets"),
        "recovery_window_in_days": 30 if ctx.env.deletion_protection else 0,
        "secrets": entries,
    }
    return Call("secrets", "secrets", inputs, outputs=(("secret_arns", "secret_arns"),))


def observability(ctx: Context) -> Call | None:
    """The alerts topic, alarms for what this environment has, and its dashboard."""
    part, env = ctx.env.observability, ctx.env
    if part is None or not part.enabled:
        return None
    compute, cache_part = env.compute, env.cache
    has_compute = env.has("compute") and compute is not None
    inputs: dict[str, Any] = {
        "name": ctx.name,
        "kms_key_arn": _data_key(),
        "log_kms_key_arn": _logs_key(),
        "log_retention_days": part.log_retention_days,
        "alert_emails": list(part.alert_emails),
        "alb": {"enabled": False},
        "ecs": {"enabled": False},
        "rds": {"enabled": False},
        "redis": {"enabled": False},
        "lambda": {"enabled": False},
        "sqs": {"enabled": False},
    }
    if has_compute:
        inputs["alb"] = {
            "enabled": True,
            "arn_suffix": _ref("service", "alb_arn_suffix"),
            "target_group_arn_suffixes": _ref("service", "target_group_arn_suffixes"),
        }
        inputs["ecs"] = {
            "enabled": True,
            "cluster_name": _ref("service", "cluster_name"),
            "service_names": _ref("service", "service_names"),
        }
    if env.has("database"):
        inputs["rds"] = {
            "enabled": True,
            "instance_identifier": _ref("database", "db_instance_identifier"),
        }
    if env.has("cache") and cache_part is not None:
        inputs["redis"] = {
            "enabled": True,
            "replication_group_id": _ref("cache", "replication_group_id"),
            "num_cache_clusters": cache_part.num_cache_clusters,
        }
    if env.has("functions"):
        inputs["lambda"] = {"enabled": True, "function_names": _ref("functions", "function_names")}
    if env.has("messaging"):
        inputs["sqs"] = {"enabled": True, "queue_names": _ref("messaging", "queue_names")}
    outputs = (("alerts_topic_arn", "alerts_topic_arn"), ("dashboard_name", "dashboard_name"))
    return Call("observability", "observability", inputs, outputs=outputs)


def _uses_kms(env: Environment) -> bool:
    return any(
        env.has(section)
        for section in (
            "storage",
            "waf",
            "compute",
            "database",
            "cache",
            "messaging",
            "functions",
            "secrets",
            "observability",
        )
    )


# In the order a reader meets them in main.tf: foundations first.
BUILDERS: tuple[Callable[[Context], Call | None], ...] = (
    network,
    kms,
    storage,
    dns,
    waf,
    waf_cloudfront,
    frontend,
    secrets,
    service,
    database,
    cache,
    messaging,
    functions,
    observability,
)


def environment_calls(ctx: Context) -> list[Call]:
    """Every module call of the environment, in main.tf order."""
    return [call for builder in BUILDERS if (call := builder(ctx)) is not None]
