"""Operations runbooks: one Markdown file per environment, written by ``tfgen docs``.

``docs/runbooks/<env>.md`` says what the environment is made of (with a Mermaid
diagram of its network, services, data stores and the edges between them) and
how to operate it: restore the database to a point in time or from the backup
vault, fail over to the DR region, rotate each secret, free a state lock, and
where each alarm goes. Every command carries the environment's real names.

The facts come from the inventory and from the composed root (the same module
calls ``tfgen generate`` writes), and the names follow the modules' naming; so
``tfgen docs --check`` fails in CI when a runbook no longer says what the
environment is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from tfgen.compose import RootSpec, compose_root
from tfgen.inventory import Inventory
from tfgen.project import Project
from tfgen.roots import Backend

RUNBOOKS_DIR = Path("docs") / "runbooks"
# Without named accounts, the account is whichever the credentials are for.
_CALLER_ACCOUNT = "$(aws sts get-caller-identity --query Account --output text)"
TEMPLATE = "runbook.md.jinja"


@dataclass(frozen=True)
class RunbookResult:
    """Runbooks that were (or, with ``check``, would be) written or removed."""

    stale: tuple[Path, ...]


@dataclass(frozen=True)
class Service:
    """A service as its runbook sections speak of it."""

    name: str
    runs_on: str  # "Fargate", or the GPU capacity
    cpu: int
    memory: int
    tasks: str
    paths: list[str]
    port: int
    calls: list[str]
    secrets: dict[str, str]
    tracing: str | None
    slo: str


@dataclass(frozen=True)
class AlarmEntry:
    """One alarm of the environment: its full name, what it says, who hears it."""

    name: str
    description: str
    notifies: bool
    composite: bool = False


@dataclass(frozen=True)
class Facts:
    """What a runbook says about one environment."""

    env: str
    display: str
    name: str
    region: str
    account: str
    account_id: str
    production: bool
    deletion_protection: bool
    backend: Backend
    apply_role: str | None
    dr_region: str | None
    network: Mapping[str, Any]
    domain: str | None
    api_domain: str | None
    site_domain: str | None
    api_health_check: bool
    site_health_check: bool
    waf: bool
    services: list[Service]
    database: Mapping[str, Any] | None
    cache: Mapping[str, Any] | None
    buckets: list[str]
    queues: list[str]
    topics: dict[str, list[str]]
    functions: list[str]
    api_routes: dict[str, str]
    secrets: list[tuple[str, list[str], str | None]]
    backup: Mapping[str, Any] | None
    host_groups: list[str]
    alerts_topic: str | None
    alert_emails: list[str]
    alarms: list[AlarmEntry]
    diagram: str
    modules: list[str] = field(default_factory=list)


def runbook_path(project: Project, env: str) -> Path:
    """Where the runbook of ``env`` lives."""
    return project.root / RUNBOOKS_DIR / f"{env}.md"


def render_runbook(inventory: Inventory, project: Project, env: str) -> str:
    """The runbook of environment ``env``, as Markdown."""
    facts = _facts(inventory, project, env, compose_root(inventory, env, project))
    template = _jinja(project.templates_dir).get_template(TEMPLATE)
    return template.render(facts=facts, inventory_name=inventory.path.name)


def update_runbooks(inventory: Inventory, project: Project, *, check: bool) -> RunbookResult:
    """Write (or, with ``check``, compare) every environment's runbook.

    Runbooks of environments the inventory no longer has are removed (listed
    as stale with ``check``).
    """
    folder = project.root / RUNBOOKS_DIR
    stale: list[Path] = []
    wanted = {runbook_path(project, env): env for env in inventory.environments}
    for path, env in wanted.items():
        text = render_runbook(inventory, project, env)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path not in wanted:
            stale.append(path)
            if not check:
                path.unlink()
    return RunbookResult(stale=tuple(stale))


def _jinja(templates_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML
    )
    environment.filters["json"] = lambda value: json.dumps(value, indent=2, sort_keys=True)
    return environment


def _inputs(spec: RootSpec, module: str) -> dict[str, Any] | None:
    return next((call.inputs for call in spec.modules if call.name == module), None)


def _facts(inventory: Inventory, project: Project, env: str, spec: RootSpec) -> Facts:
    settings = inventory.settings(env)
    ctx = inventory.context(env)
    name = ctx.name
    root = inventory.root(env)
    part = settings.part
    dns = part("dns") if settings.has("dns") else None
    domain = getattr(dns, "domain", None)
    compute = part("compute") if settings.has("compute") else None
    frontend = part("frontend") if settings.has("frontend") else None
    observability = _inputs(spec, "observability")
    github = inventory.ci.github
    return Facts(
        env=env,
        display=inventory.display_name,
        name=name,
        region=settings.region,
        account=root.account.describe() if root.account else "the credentials' account",
        account_id=root.account.id if root.account else _CALLER_ACCOUNT,
        production=settings.production,
        deletion_protection=settings.deletion_protection,
        backend=inventory.backend(env),
        apply_role=(
            f"arn:aws:iam::{root.account.id}:role/tfgen-{env}-apply"
            if github is not None and root.account is not None
            else None
        ),
        dr_region=getattr(part("dr"), "region", None),
        network=_network(settings.part("network"), ctx.name_tag_prefix),
        domain=domain,
        api_domain=f"{compute.subdomain}.{domain}" if compute and domain else None,
        site_domain=f"{frontend.subdomain}.{domain}" if frontend and domain else None,
        api_health_check=bool(compute and compute.health_check_path),
        site_health_check=bool(frontend and frontend.health_check_path),
        waf=settings.has("waf"),
        services=list(_services(compute)) if compute else [],
        database=_database(settings, name),
        cache=(
            {"id": f"{name}-redis", "nodes": part("cache").num_cache_clusters}
            if settings.has("cache")
            else None
        ),
        buckets=(
            [f"{name}-{key}" for key in part("storage").buckets] if settings.has("storage") else []
        ),
        queues=list(part("messaging").queues) if settings.has("messaging") else [],
        topics=(
            {
                topic: list(settings_topic.queue_subscriptions)
                for topic, settings_topic in part("messaging").topics.items()
            }
            if settings.has("messaging")
            else {}
        ),
        functions=list(part("functions").functions) if settings.has("functions") else [],
        api_routes=(
            {route: target.function for route, target in part("functions").api.routes.items()}
            if settings.has("functions") and part("functions").api.enabled
            else {}
        ),
        secrets=list(_secrets(settings, compute)),
        backup=_backup(spec),
        host_groups=sorted((_inputs(spec, "maintenance") or {}).get("host_groups", {})),
        alerts_topic=f"{name}-alerts" if observability is not None else None,
        alert_emails=list((observability or {}).get("alert_emails", [])),
        alarms=list(_alarms(name, observability)),
        diagram=_diagram(settings, name, compute, domain),
        modules=[call.name for call in spec.modules],
    )


def _network(network: Any, tag_prefix: str) -> dict[str, Any]:
    return {
        "vpc": f"{tag_prefix}-VPC",
        "cidr": network.cidr,
        "azs": len(network.public_subnets),
        "public": list(network.public_subnets),
        "private": list(network.private_subnets),
        "nat": {
            "single": "one NAT gateway",
            "per_az": "a NAT gateway per AZ",
            "none": "no NAT gateway",
        }[network.nat_gateways],
    }


def _services(compute: Any) -> Iterator[Service]:
    for key, svc in compute.services.items():
        slo = svc.slo
        yield Service(
            name=key,
            runs_on=f"EC2 GPU capacity ({svc.gpu} GPU per task)" if svc.gpu else "Fargate",
            cpu=svc.cpu,
            memory=svc.memory,
            tasks=f"{svc.min_count}-{svc.max_count}",
            paths=list(svc.path_patterns),
            port=svc.container_port,
            calls=[f"{callee}:{compute.services[callee].container_port}" for callee in svc.calls],
            secrets=dict(svc.secrets),
            tracing=svc.tracing.sidecar if svc.tracing else None,
            slo=(
                f"{slo.availability:g}% available, {slo.latency_target:g}% within"
                f" {slo.latency_seconds:g} s"
            ),
        )


def _database(settings: Any, name: str) -> dict[str, Any] | None:
    if not settings.has("database"):
        return None
    database = settings.part("database")
    return {
        "id": f"{name}-postgres",
        "subnet_group": f"{name}-postgres",
        "security_group": f"{name}-db",
        "parameter_group": f"{name}-postgres{database.engine_version.split('.')[0]}",
        "engine_version": database.engine_version,
        "instance_class": database.instance_class,
        "multi_az": database.multi_az,
        "retention": database.backup_retention_days,
    }


def _secrets(settings: Any, compute: Any) -> Iterator[tuple[str, list[str], str | None]]:
    if not settings.has("secrets"):
        return
    for key, secret in settings.part("secrets").secrets.items():
        users = [
            service
            for service, svc in (compute.services.items() if compute else [])
            if key in svc.secrets.values()
        ]
        yield key, users, secret.rotation_function


def _backup(spec: RootSpec) -> dict[str, Any] | None:
    inputs = _inputs(spec, "backup")
    if inputs is None:
        return None
    return {
        "vault": inputs["name"],
        "rules": inputs["rules"],
        "lock": inputs.get("vault_lock"),
        "copies": "copy" in inputs,
        "restore_testing": inputs.get("restore_testing"),
        "resource_types": inputs["resource_types"],
        "tags": inputs["selection_tags"],
    }


def _alarms(name: str, observability: Mapping[str, Any] | None) -> Iterator[AlarmEntry]:
    if observability is None:
        return
    for key, alarm in sorted(observability.get("composite_alarms", {}).items()):
        yield AlarmEntry(f"{name}-{key}", alarm["description"], True, composite=True)
    for key, alarm in sorted(observability["alarms"].items()):
        yield AlarmEntry(f"{name}-{key}", alarm["description"], alarm.get("notify", True))


def _diagram(settings: Any, name: str, compute: Any, domain: str | None) -> str:
    """A Mermaid flowchart: the edge, the VPC's subnets and what runs there, the data."""
    has = settings.has
    lines = ["flowchart LR", "  users((Users))"]
    edges: list[str] = []
    network = settings.part("network")
    dr_region = getattr(settings.part("dr"), "region", None)
    if has("frontend"):
        site = f"{settings.part('frontend').subdomain}.{domain}" if domain else "site"
        lines.append(f'  cdn["CloudFront {site}"]')
        lines.append(f'  web[("S3 {name}-web")]')
        edges += ["  users --> cdn", "  cdn --> web"]
        if dr_region:
            lines.append(f'  webdr[("S3 {name}-web-{dr_region}")]')
            edges.append("  cdn -. failover .-> webdr")
    if has("functions") and settings.part("functions").api.enabled:
        lines.append(f'  httpapi["HTTP API {name}-api"]')
        edges.append("  users --> httpapi")
        routes = settings.part("functions").api.routes.values()
        for function in sorted({route.function for route in routes}):
            edges.append(f"  httpapi --> fn_{_id(function)}")
    lines.append(f'  subgraph vpc["VPC {network.cidr}, {len(network.public_subnets)} AZs"]')
    lines.append('    subgraph public["public subnets (NACL: 80/443 in)"]')
    if compute:
        api = f"{compute.subdomain}.{domain}" if domain else "api"
        lines.append(f'      alb["ALB {name} ({api})"]')
        edges.append("  users --> alb")
    if network.nat_gateways != "none":
        count = len(network.public_subnets) if network.nat_gateways == "per_az" else 1
        lines.append(f'      nat["NAT gateways x{count}"]')
    lines.append("    end")
    lines.append('    subgraph private["private subnets (NACL: VPC only)"]')
    if compute:
        for key, svc in compute.services.items():
            lines.append(f'      svc_{_id(key)}["ECS {key}"]')
            for pattern in svc.path_patterns:
                edges.append(f'  alb -- "{pattern}" --> svc_{_id(key)}')
            edges += [
                f"  svc_{_id(key)} -- Service Connect --> svc_{_id(callee)}" for callee in svc.calls
            ]
    if has("database"):
        lines.append(f'      db[("RDS PostgreSQL {name}-postgres")]')
    if has("cache"):
        lines.append(f'      cache[("ElastiCache Redis {name}-redis")]')
    lines += ["    end", "  end"]
    if compute:
        for key in compute.services:
            if has("database"):
                edges.append(f"  svc_{_id(key)} --> db")
            if has("cache"):
                edges.append(f"  svc_{_id(key)} --> cache")
            if network.nat_gateways != "none":
                edges.append(f"  svc_{_id(key)} -- HTTPS --> nat")
    for function in settings.part("functions").functions if has("functions") else []:
        lines.append(f'  fn_{_id(function)}["Lambda {name}-{function}"]')
    if has("messaging"):
        messaging = settings.part("messaging")
        for topic, spec in messaging.topics.items():
            lines.append(f'  topic_{_id(topic)}{{{{"SNS {name}-{topic}"}}}}')
            edges += [f"  topic_{_id(topic)} --> q_{_id(q)}" for q in spec.queue_subscriptions]
        for queue in messaging.queues:
            lines.append(f'  q_{_id(queue)}[["SQS {name}-{queue}"]]')
    if has("storage"):
        buckets = ", ".join(settings.part("storage").buckets)
        lines.append(f'  buckets[("S3 {name}-*: {buckets}")]')
        if dr_region:
            lines.append(f'  bucketsdr[("S3 replicas *-{dr_region}")]')
            edges.append("  buckets -. replication .-> bucketsdr")
    if has("backup"):
        lines.append(f'  vault[("Backup vault {name}")]')
        if has("database"):
            edges.append("  db -. AWS Backup .-> vault")
        if has("storage"):
            edges.append("  buckets -. AWS Backup .-> vault")
        if dr_region:
            lines.append(f'  vaultdr[("Backup vault {name} ({dr_region})")]')
            edges.append("  vault -. copy .-> vaultdr")
    if dr_region and has("database"):
        lines.append(f'  dbdr[("RDS automated backups ({dr_region})")]')
        edges.append("  db -. backup replication .-> dbdr")
    return "\n".join(lines + edges)


def _id(key: str) -> str:
    return key.replace("-", "_")
