"""``compute``: ECR, the ECS cluster, Fargate services and the ALB in front of them.

Besides running the services, the section owns what is said about them: the API's
name (an alias record) and its Route 53 health check, Service Connect (a Cloud
Map namespace, security group rules only along the declared ``calls``), tracing
sidecars with their X-Ray sampling rules, and each service's SLOs: error-budget
burn-rate alarms (fast and slow windows) on its 5xx ratio and its latency,
combined in composite alarms, with SLO graphs on the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from tfgen.hcl import Expr
from tfgen.rules import health_check_problems, label_problems, name_problems
from tfgen.section import (
    Alarm,
    Call,
    CarriedWaiver,
    CompositeAlarm,
    Context,
    Graph,
    KeySet,
    KmsUse,
    Metric,
    Problem,
    Section,
    SectionModel,
    Strict,
    health_check_alarm,
    kms_key,
    ref,
)
from tfgen.yaml_source import FieldPath

# Memory (MiB) Fargate accepts for each CPU size (units).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
}

ALB_5XX_COUNT = 10
ALB_P95_LATENCY_SECONDS = 1.5
ALB_UNHEALTHY_HOSTS = 0
ECS_CPU_PERCENT = 80
ECS_MEMORY_PERCENT = 80

# Multiwindow, multi-burn-rate alerts (Google SRE workbook, for a 30-day SLO): a
# window alarms when the error budget burns this many times too fast over both its
# long and its short window (the short one stops the alert soon after a recovery).
# fast: 2% of the month's budget gone in an hour; slow: 5% in six hours.
BURN_WINDOWS = (
    ("fast", 14.4, 3600, 300),
    ("slow", 6.0, 21600, 1800),
)


class Slo(Strict):
    """A service's objectives over 30 days: availability, and requests answered fast."""

    availability: float = Field(
        default=99.9, gt=0, lt=100, description="% of requests answered without a 5xx"
    )
    latency_seconds: float = Field(
        default=1.0, gt=0, le=60, description="a request answered within this is fast"
    )
    latency_target: float = Field(default=99.0, gt=0, lt=100, description="% of requests fast")


class Tracing(Strict):
    """A tracing sidecar in the service's tasks, and its X-Ray sampling rule."""

    sidecar: Literal["xray", "adot"] = Field(
        default="xray", description="the X-Ray daemon, or the AWS Distro for OpenTelemetry"
    )
    sample_rate: float = Field(default=0.05, ge=0, le=1)
    reservoir_per_second: int = Field(default=1, ge=0)


class Service(Strict):
    """One Fargate service behind the ALB."""

    cpu: int
    memory: int
    desired_count: int = Field(ge=0)
    min_count: int = Field(ge=0)
    max_count: int = Field(ge=1)
    priority: int = Field(ge=1, le=50000)
    container_port: int = Field(default=8080, ge=1, le=65535)
    health_check_path: str = "/health"
    image_tag: str = "bootstrap"
    cpu_target_percent: int = Field(default=60, ge=10, le=95)
    path_patterns: list[str] = Field(default_factory=lambda: ["/*"])
    environment: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(
        default_factory=dict, description="env var name ➜ name of a secret in `secrets`"
    )
    gpu: int = Field(default=0, ge=0, le=8, description="GPUs per task: runs on the `gpu` section")
    tables: list[str] = Field(
        default_factory=list, description="tables of `tables` its task role may read and write"
    )
    calls: list[str] = Field(
        default_factory=list, description="services it calls (http://<service>:<port>)"
    )
    tracing: Tracing | None = None
    slo: Slo = Slo()


class Compute(SectionModel):
    """ECR, the ECS cluster, Fargate services and the ALB in front of them."""

    subdomain: str = "api"
    health_check_path: str | None = Field(
        default=None, description="path a Route 53 health check of the API requests (us-east-1)"
    )
    service_connect: bool = True
    services: dict[str, Service] = Field(default_factory=dict)


class ComputeSection(Section[Compute]):
    """Served on ``<subdomain>.<dns domain>``; the regional certificate covers it."""

    key = "compute"
    model = Compute
    order = 8
    modules = {"service": "service"}
    builds = (
        "ECR (immutable, scan on push, KMS), ECS cluster (container insights), Fargate"
        " services with auto scaling, ALB (TLS 1.3, HTTP➜HTTPS, access logs, WAF),"
        " separate task and execution roles; the API's alias record and Route 53 health"
        " check, Service Connect (a Cloud Map namespace, security group rules only along"
        " declared calls), tracing sidecars with X-Ray sampling rules, SLO burn-rate alarms"
    )

    def calls(self, ctx: Context, part: Compute) -> list[Call]:
        """The service module call."""
        services = {
            name: {
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
                **({"calls": list(svc.calls)} if svc.calls else {}),
                **({"tracing": svc.tracing.model_dump()} if svc.tracing else {}),
                "secrets": {
                    variable: ref(
                        "secrets",
                        "secret_arns",
                        secret,
                        where=(self.key, "services", name, "secrets", variable),
                    )
                    for variable, secret in svc.secrets.items()
                },
                **_gpu_and_tables(name, svc),
            }
            for name, svc in part.services.items()
        }
        gpu_services = [name for name, svc in part.services.items() if svc.gpu]
        waf = ctx.has("waf")
        inputs = {
            "name": ctx.name,
            "vpc_id": ref("network", "vpc_id"),
            "vpc_cidr_block": ref("network", "vpc_cidr_block"),
            "public_subnet_ids": ref("network", "public_subnet_ids"),
            "private_subnet_ids": ref("network", "private_subnet_ids"),
            "certificate_arn": ref("dns", "certificate_arn"),
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "access_logs_bucket": ref("storage", "log_bucket_id"),
            "enable_waf": waf,
            **({"web_acl_arn": ref("waf", "web_acl_arn")} if waf else {}),
            "deletion_protection": ctx.env.deletion_protection,
            "service_connect": part.service_connect,
            "zone_id": ref("dns", "zone_id"),
            "domain_name": _api_domain(ctx, part),
            **(
                {"health_check": {"path": part.health_check_path}}
                if part.health_check_path is not None
                else {}
            ),
            "services": services,
        }
        if gpu_services:
            where = (self.key, "services", gpu_services[0], "gpu")
            inputs["gpu_capacity_provider"] = ref("gpu", "capacity_provider_name", where=where)
        oidc = ctx.github_oidc()
        if oidc is not None:
            # Each team's pipeline pushes its image and rolls out its own service only.
            inputs["github_deploy"] = {
                "oidc_provider_arn": oidc[0],
                "subject": oidc[1],
                "role_name_prefix": f"tfgen-{ctx.env_name}-deploy-",
            }
        outputs = (
            ("alb_dns_name", "alb_dns_name"),
            ("ecs_cluster_name", "cluster_name"),
            ("ecr_repository_urls", "ecr_repository_urls"),
        )
        return [self.call("service", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Compute) -> Iterator[Problem]:
        """Fargate sizes, scaling ranges, unique priorities, production task counts, calls."""
        yield from label_problems((self.key, "subdomain"), part.subdomain)
        yield from name_problems((self.key, "services"), part.services)
        if part.health_check_path is not None:
            path: FieldPath = (self.key, "health_check_path")
            if not part.health_check_path.startswith("/"):
                yield path, "a path starting with '/'"
            yield from health_check_problems(path, ctx.env)
        for name, service in part.services.items():
            for index, callee in enumerate(service.calls):
                call: FieldPath = (self.key, "services", name, "calls", index)
                if callee == name:
                    yield call, "a service does not call itself through Service Connect"
                elif callee not in part.services:
                    yield call, f"no service '{callee}' (known: {', '.join(part.services)})"
            if service.calls and not part.service_connect:
                message = "calls go through Service Connect: set service_connect: true"
                yield (self.key, "services", name, "calls"), message
        priorities: dict[int, str] = {}
        for name, service in part.services.items():
            where = (self.key, "services", name)
            yield from _service_problems(where, service, production=ctx.env.production)
            other = priorities.setdefault(service.priority, name)
            if other != name:
                message = f"priority {service.priority} is used by '{other}' too"
                yield (*where, "priority"), message

    def kms(self, ctx: Context, part: Compute) -> list[KmsUse]:
        """ECR images with the data key; service logs with the logs key."""
        return [
            KmsUse("data", "ECR repositories"),
            KmsUse("logs", "CloudWatch Logs log groups"),
        ]

    def waivers(self, ctx: Context, part: Compute) -> list[CarriedWaiver]:
        """With WAF on, checkov cannot see the web ACL attached to the ALB by ARN."""
        if not ctx.has("waf"):
            return []
        reason = """The ALB's web ACL (the waf section's) includes
            AWSManagedRulesKnownBadInputsRuleSet, with the Log4j RCE rules; checkov cannot
            link a web ACL attached by ARN from another module."""
        return [self.waiver("CKV2_AWS_76", "module.service.aws_lb.this", reason)]

    def certificate_names(self, ctx: Context, part: Compute) -> list[str]:
        """The ALB serves the API on its subdomain."""
        return [part.subdomain]

    def keyed_outputs(self, ctx: Context, part: Compute) -> dict[str, KeySet]:
        """Per-service outputs are keyed by the service's name."""
        services = KeySet(list(part.services), "service", "compute.services")
        return {
            name: services
            for name in ("service_names", "ecr_repository_urls", "target_group_arn_suffixes")
        }

    def alarms(self, ctx: Context, part: Compute) -> dict[str, Alarm]:
        """The ALB's 5xx, latency and target health; each service's CPU and memory."""
        alb = ref("service", "alb_arn_suffix")
        alarms: dict[str, Alarm] = {
            "alb-5xx": Alarm(
                description=f"Load balancer and target 5xx responses reached {ALB_5XX_COUNT}"
                " in 5 minutes.",
                threshold=ALB_5XX_COUNT,
                comparison_operator="GreaterThanOrEqualToThreshold",
                evaluation_periods=1,
                treat_missing_data="notBreaching",
                expression="FILL(elb, 0) + FILL(target, 0)",
                metrics={
                    "elb": Metric(
                        "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", {"LoadBalancer": alb}
                    ),
                    "target": Metric(
                        "AWS/ApplicationELB",
                        "HTTPCode_Target_5XX_Count",
                        "Sum",
                        {"LoadBalancer": alb},
                    ),
                },
            ),
            "alb-p95-latency": Alarm(
                description="p95 target response time of the load balancer above"
                f" {ALB_P95_LATENCY_SECONDS} s for 15 minutes.",
                threshold=ALB_P95_LATENCY_SECONDS,
                treat_missing_data="notBreaching",
                namespace="AWS/ApplicationELB",
                metric_name="TargetResponseTime",
                dimensions={"LoadBalancer": alb},
                extended_statistic="p95",
            ),
        }
        if part.health_check_path is not None:
            api = f"https://{_api_domain(ctx, part)}{part.health_check_path}"
            alarms["api-health"] = health_check_alarm(api, ref("service", "health_check_id"))
        for name, service in part.services.items():
            alarms.update(_burn_rate_alarms(name, service.slo))
        for name in part.services:
            target_group = ref("service", "target_group_arn_suffixes", name)
            alarms[f"alb-{name}-unhealthy-hosts"] = Alarm(
                description=f"Target group {name} has more than {ALB_UNHEALTHY_HOSTS}"
                " unhealthy targets for 15 minutes.",
                threshold=ALB_UNHEALTHY_HOSTS,
                namespace="AWS/ApplicationELB",
                metric_name="UnHealthyHostCount",
                dimensions={"LoadBalancer": alb, "TargetGroup": target_group},
                statistic="Maximum",
            )
            for metric, limit in (("CPU", ECS_CPU_PERCENT), ("Memory", ECS_MEMORY_PERCENT)):
                alarms[f"ecs-{name}-{metric.lower()}"] = Alarm(
                    description=f"ECS service {name} average {metric.lower()} above {limit}%"
                    " for 15 minutes.",
                    threshold=limit,
                    namespace="AWS/ECS",
                    metric_name=f"{metric}Utilization",
                    dimensions=_service_dimensions(name),
                )
        return alarms

    def composite_alarms(self, ctx: Context, part: Compute) -> dict[str, CompositeAlarm]:
        """Per service and objective: either window pair burning the error budget."""
        composites = {}
        for name, service in part.services.items():
            for sli, what in (
                ("availability", f"{service.slo.availability:g}% of requests without a 5xx"),
                (
                    "latency",
                    f"{service.slo.latency_target:g}% of requests within"
                    f" {service.slo.latency_seconds:g} s",
                ),
            ):
                rule = " OR ".join(
                    f"({{slo-{name}-{sli}-{window}-long}} AND {{slo-{name}-{sli}-{window}-short}})"
                    for window, *_ in BURN_WINDOWS
                )
                composites[f"slo-{name}-{sli}"] = CompositeAlarm(
                    description=f"Service {name} burns its error budget ({what} over 30 days)"
                    " too fast: 2% of it in an hour, or 5% in six hours.",
                    rule=rule,
                )
        return composites

    def graphs(self, ctx: Context, part: Compute) -> list[Graph]:
        """SLOs, requests and errors, latency, target health, service CPU and memory."""
        alb: tuple[Any, ...] = ("AWS/ApplicationELB",)
        lb = ref("service", "alb_arn_suffix")
        graphs = [_slo_graph(name, service.slo) for name, service in part.services.items()]
        graphs += [
            Graph(
                "ALB requests and 5xx (sum)",
                "Sum",
                tuple(
                    ((*alb, metric, "LoadBalancer", lb), metric)
                    for metric in (
                        "RequestCount",
                        "HTTPCode_ELB_5XX_Count",
                        "HTTPCode_Target_5XX_Count",
                    )
                ),
            ),
            Graph(
                "ALB target response time (p95, s)",
                "p95",
                (((*alb, "TargetResponseTime", "LoadBalancer", lb), "p95"),),
            ),
        ]
        if part.services:
            graphs.append(
                Graph(
                    "ALB unhealthy targets (max)",
                    "Maximum",
                    tuple(
                        (
                            (
                                *alb,
                                "UnHealthyHostCount",
                                "TargetGroup",
                                ref("service", "target_group_arn_suffixes", name),
                                "LoadBalancer",
                                lb,
                            ),
                            name,
                        )
                        for name in part.services
                    ),
                )
            )
            for metric in ("CPUUtilization", "MemoryUtilization"):
                rows = tuple(
                    (
                        (
                            "AWS/ECS",
                            metric,
                            "ClusterName",
                            ref("service", "cluster_name"),
                            "ServiceName",
                            ref("service", "service_names", name),
                        ),
                        name,
                    )
                    for name in part.services
                )
                graphs.append(Graph(f"ECS {metric} (%)", "Average", rows))
        return graphs


def _api_domain(ctx: Context, part: Compute) -> str | None:
    domain = getattr(ctx.part("dns"), "domain", None)
    return f"{part.subdomain}.{domain}" if domain else None


def _slo_metrics(name: str, slo: Slo, period: int) -> dict[str, Metric]:
    """The metrics of a service's SLIs: its target group's, and the load balancer's."""
    alb = ref("service", "alb_arn_suffix")
    group = {"LoadBalancer": alb, "TargetGroup": ref("service", "target_group_arn_suffixes", name)}
    metric = "AWS/ApplicationELB"
    return {
        "t5": Metric(metric, "HTTPCode_Target_5XX_Count", "Sum", group, period),
        "r": Metric(metric, "RequestCount", "Sum", group, period),
        "e5": Metric(metric, "HTTPCode_ELB_5XX_Count", "Sum", {"LoadBalancer": alb}, period),
        "lb": Metric(metric, "RequestCount", "Sum", {"LoadBalancer": alb}, period),
        "fast": Metric(
            metric, "TargetResponseTime", f"PR(:{slo.latency_seconds:g})", group, period
        ),
    }


# Bad requests as a fraction: the service's own 5xx, and the load balancer's 5xx at
# the load balancer's rate (they cannot be told apart by service).
_ERROR_RATIO = "(FILL(t5, 0) / r + FILL(e5, 0) / lb)"
_SLOW_RATIO = "(100 - fast) / 100"


def _burn_rate_alarms(name: str, slo: Slo) -> dict[str, Alarm]:
    """For each objective and window: the long and the short burn-rate alarm."""
    budgets = {
        "availability": (_ERROR_RATIO, ("t5", "r", "e5", "lb"), 1 - slo.availability / 100),
        "latency": (_SLOW_RATIO, ("fast",), 1 - slo.latency_target / 100),
    }
    alarms = {}
    for sli, (ratio, ids, budget) in budgets.items():
        for window, burn, long_seconds, short_seconds in BURN_WINDOWS:
            for length, seconds in (("long", long_seconds), ("short", short_seconds)):
                metrics = _slo_metrics(name, slo, seconds)
                alarms[f"slo-{name}-{sli}-{window}-{length}"] = Alarm(
                    description=f"Service {name}: {sli} error budget burning {burn:g}x too"
                    f" fast over {seconds // 60} minutes.",
                    threshold=burn,
                    evaluation_periods=1,
                    period=seconds,
                    treat_missing_data="notBreaching",
                    expression=f"{ratio} / {round(budget, 6):g}",
                    metrics={key: metrics[key] for key in ids},
                    notify=False,
                )
    return alarms


def _slo_graph(name: str, slo: Slo) -> Graph:
    """The service's SLIs against its objectives, over 5-minute periods."""
    metrics = _slo_metrics(name, slo, 300)
    return Graph(
        f"SLO {name}: availability {slo.availability:g}%, {slo.latency_target:g}%"
        f" within {slo.latency_seconds:g} s",
        "Sum",
        (),
        hidden={key: (_metric_array(m), m.stat) for key, m in metrics.items()},
        expressions=(
            ("available (%)", f"100 * (1 - {_ERROR_RATIO})"),
            (f"within {slo.latency_seconds:g} s (%)", "fast"),
        ),
    )


def _metric_array(metric: Metric) -> tuple[str | Expr, ...]:
    pairs = [item for pair in metric.dimensions.items() for item in pair]
    return (metric.namespace, metric.metric_name, *pairs)


def _service_dimensions(name: str) -> dict[str, str | Expr]:
    return {
        "ClusterName": ref("service", "cluster_name"),
        "ServiceName": ref("service", "service_names", name),
    }


def _gpu_and_tables(name: str, service: Service) -> dict[str, Any]:
    # Only when asked for: other services' inputs stay as they were.
    where = ("compute", "services", name, "tables")
    extra: dict[str, Any] = {"gpu": service.gpu} if service.gpu else {}
    if service.tables:
        extra["table_arns"] = [
            ref("tables", "table_arns", table, where=(*where, index))
            for index, table in enumerate(service.tables)
        ]
    return extra


def _service_problems(
    where: tuple[str | int, ...], service: Service, *, production: bool
) -> Iterator[Problem]:
    allowed = FARGATE_MEMORY.get(service.cpu)
    if allowed is None:
        yield (*where, "cpu"), f"Fargate CPU must be one of {', '.join(map(str, FARGATE_MEMORY))}"
    elif service.memory not in allowed:
        valid = ", ".join(map(str, allowed))
        message = f"Fargate runs {service.cpu} CPU units with {valid} MiB, not {service.memory}"
        yield (*where, "memory"), message
    if not service.min_count <= service.desired_count <= service.max_count:
        counts = f"{service.min_count} <= {service.desired_count} <= {service.max_count}"
        yield (*where, "desired_count"), f"needs min_count <= desired_count <= max_count ({counts})"
    if production and service.min_count < 2:
        yield (*where, "min_count"), "a production service needs at least 2 tasks (one per AZ)"


section = ComputeSection()
