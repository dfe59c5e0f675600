"""Rules across fields of one environment that pydantic alone cannot express.

Each rule yields ``(field path, message)``; the inventory loader turns them into
``file:line: dotted.path: message`` lines. They refuse inputs that cannot work
on AWS (a Fargate memory size its CPU does not allow) or that a production
environment must not have (single-AZ data, no deletion protection, short log
retention).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tfgen.model import Environment, Functions, Service
from tfgen.project import escaping_links, outside_project
from tfgen.yaml_source import FieldPath

# Memory (MiB) Fargate accepts for each CPU size (units).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
}
# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)  # fmt: skip
PRODUCTION_MIN_LOG_RETENTION_DAYS = 365

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_KEY = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ROUTE_KEY = re.compile(r"(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*")


def environment_problems(
    path: FieldPath, env: Environment, *, resource_prefix: str, project_dir: Path
) -> Iterator[tuple[FieldPath, str]]:
    """Every cross-field problem of one environment."""
    yield from _retention_problems(path, env)
    yield from _production_problems(path, env)
    yield from _naming_problems(path, env, resource_prefix)
    yield from _compute_problems(path, env)
    yield from _reference_problems(path, env, project_dir)


def _retention_problems(path: FieldPath, env: Environment) -> Iterator[tuple[FieldPath, str]]:
    minimum = PRODUCTION_MIN_LOG_RETENTION_DAYS if env.production else 1
    settings: list[tuple[FieldPath, int]] = [
        (("network", "flow_logs", "retention_days"), env.network.flow_logs.retention_days)
    ]
    if env.observability is not None:
        days = env.observability.log_retention_days
        settings.append((("observability", "log_retention_days"), days))
    if env.storage is not None:
        settings.append((("storage", "log_retention_days"), env.storage.log_retention_days))
    allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
    for where, days in settings:
        if days not in LOG_RETENTION_DAYS:
            yield (*path, *where), f"CloudWatch accepts only {allowed} days"
        elif days < minimum:
            message = f"{days} days is below the {minimum} days a production environment keeps"
            yield (*path, *where), message


def _production_problems(path: FieldPath, env: Environment) -> Iterator[tuple[FieldPath, str]]:
    if not env.production:
        return
    if not env.deletion_protection:
        message = "a production environment needs deletion_protection: true"
        yield (*path, "deletion_protection"), message
    if env.has("database") and env.database is not None and not env.database.multi_az:
        yield (*path, "database", "multi_az"), "a production database must be multi-AZ"
    cache = env.cache
    if env.has("cache") and cache is not None and not (cache.automatic_failover and cache.multi_az):
        yield (*path, "cache"), "a production cache needs automatic_failover and multi_az"
    if env.network.nat_gateways == "single":
        message = "a production environment needs a NAT gateway per AZ (per_az), not one for all"
        yield (*path, "network", "nat_gateways"), message


_NAMED_SECTIONS = (
    ("compute", "services"),
    ("messaging", "queues"),
    ("messaging", "topics"),
    ("functions", "functions"),
    ("secrets", "secrets"),
)


def _naming_problems(
    path: FieldPath, env: Environment, resource_prefix: str
) -> Iterator[tuple[FieldPath, str]]:
    if env.storage is not None:
        for key in env.storage.buckets:
            bucket = f"{resource_prefix}-{key}"
            if not _KEY.match(key) or len(bucket) > 63:
                message = f"use lower-case letters, digits, hyphens; '{bucket}' must fit in 63"
                yield (*path, "storage", "buckets", key), message
    if env.dns is not None and not _HOSTNAME.match(env.dns.domain):
        yield (*path, "dns", "domain"), f"'{env.dns.domain}' is not a lower-case DNS name"
    for section in ("frontend", "compute"):
        part = getattr(env, section)
        if part is not None and not _LABEL.match(part.subdomain):
            yield (*path, section, "subdomain"), "must be one lower-case DNS label"
    for section, field in _NAMED_SECTIONS:
        part = getattr(env, section)
        for key in getattr(part, field) if part is not None else {}:
            if not _KEY.match(key):
                message = (
                    "names are 1-24 lower-case letters, digits, hyphens, starting with a letter"
                )
                yield (*path, section, field, key), message
    if env.observability is not None:
        for index, email in enumerate(env.observability.alert_emails):
            if not _EMAIL.match(email):
                where = (*path, "observability", "alert_emails", index)
                yield where, f"'{email}' is not an e-mail address"


def _compute_problems(path: FieldPath, env: Environment) -> Iterator[tuple[FieldPath, str]]:
    if env.compute is not None:
        priorities: dict[int, str] = {}
        for name, service in env.compute.services.items():
            yield from _service_problems((*path, "compute", "services", name), service, env)
            other = priorities.setdefault(service.priority, name)
            if other != name:
                message = f"priority {service.priority} is used by '{other}' too"
                yield (*path, "compute", "services", name, "priority"), message
    cache = env.cache
    needs_replica = cache is not None and (cache.automatic_failover or cache.multi_az)
    if env.has("cache") and cache is not None and needs_replica and cache.num_cache_clusters < 2:
        message = "automatic_failover and multi_az need 2+ clusters (a primary and a replica)"
        yield (*path, "cache", "num_cache_clusters"), message


def _service_problems(
    where: FieldPath, service: Service, env: Environment
) -> Iterator[tuple[FieldPath, str]]:
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
    if env.production and service.min_count < 2:
        yield (*where, "min_count"), "a production service needs at least 2 tasks (one per AZ)"


def _reference_problems(
    path: FieldPath, env: Environment, project_dir: Path
) -> Iterator[tuple[FieldPath, str]]:
    secrets = set(env.secrets.secrets) if env.has("secrets") and env.secrets else set()
    functions = env.functions.functions if env.has("functions") and env.functions else {}
    if env.compute is not None:
        for name, service in env.compute.services.items():
            for variable, secret_name in service.secrets.items():
                if secret_name not in secrets:
                    where = (*path, "compute", "services", name, "secrets", variable)
                    yield where, f"no secret '{secret_name}' in this environment's secrets"
    if env.secrets is not None:
        for name, secret in env.secrets.secrets.items():
            rotator = secret.rotation_function
            if rotator is not None and rotator not in functions:
                where = (*path, "secrets", "secrets", name, "rotation_function")
                yield where, f"no function '{rotator}' in this environment's functions"
    if env.messaging is not None:
        queues = env.messaging.queues
        for name, topic in env.messaging.topics.items():
            for index, queue in enumerate(topic.queue_subscriptions):
                if queue not in queues:
                    where = (*path, "messaging", "topics", name, "queue_subscriptions", index)
                    yield where, f"no queue '{queue}' in this environment's messaging.queues"
    if env.functions is not None:
        yield from _function_problems((*path, "functions"), env.functions, project_dir)
    for section, needs, why in _DEPENDENCIES:
        if env.has(section) and not env.has(needs):
            yield (*path, section), f"{section} needs {needs} ({why})"


_DEPENDENCIES = (
    ("frontend", "dns", "its domain and certificate live there"),
    ("compute", "dns", "the ALB's HTTPS certificate lives there"),
    ("compute", "storage", "the ALB writes access logs to the log bucket"),
    ("database", "compute", "it admits only the compute services"),
    ("cache", "compute", "it admits only the compute services"),
)


def _function_problems(
    path: FieldPath, functions: Functions, project_dir: Path
) -> Iterator[tuple[FieldPath, str]]:
    for name, function in functions.functions.items():
        where = (*path, "functions", name, "source")
        outside = outside_project(project_dir, function.source)
        if outside is not None:
            yield where, outside
        elif not (project_dir / function.source).is_dir():
            yield where, f"no folder '{function.source}' next to the inventory"
        else:
            for link in escaping_links(project_dir, project_dir / function.source):
                yield where, f"{link} is a symlink that leads out of the project"
    api = functions.api
    for route_key, route in api.routes.items():
        where = (*path, "api", "routes", route_key)
        if route.function not in functions.functions:
            yield (*where, "function"), f"no function '{route.function}'"
        if not _ROUTE_KEY.fullmatch(route_key):
            yield where, "route keys look like 'GET /items/{id}'"
    uses_jwt = any(route.authorization == "JWT" for route in api.routes.values())
    if api.enabled and uses_jwt and not api.jwt_issuer:
        yield (*path, "api", "jwt_issuer"), "JWT routes need a jwt_issuer"
