"""A platform section: one capability of an environment, written as one unit.

A section is one file of ``tfgen/sections/`` plus its Terraform module folder.
The file holds everything tfgen knows about the capability: its inventory model,
the module calls it makes and the references they carry, its rules (cross-field
and production ones), and what it adds to the shared parts (the KMS key purposes
it uses, its alarms and dashboard graphs). The waivers its module carries live
in the module's folder (``waivers.yaml``), beside the code they excuse.

Each section file ends with ``section = TheSection()``; constructing it registers
it, as checkov's checks register themselves. Nothing else lists sections by
name: the environment model, composition, shared parts and the README's tables
ask ``all_sections()``. Dependencies between sections are never declared: they
follow from the ``module.X.Y`` references a section's calls make, which
composition checks against what the environment really generates.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from tfgen.hcl import Expr
from tfgen.yaml_source import FieldPath

if TYPE_CHECKING:
    from tfgen.environment import RootBase
    from tfgen.inventory import Inventory


@dataclass(frozen=True)
class ProviderAlias:
    """An aliased AWS provider a root declares for a module: ``aws.<alias>`` in ``region``."""

    alias: str
    region: str
    why: str

    @property
    def ref(self) -> str:
        """How a module call's ``providers`` names it."""
        return f"aws.{self.alias}"


# Resources that AWS only accepts in us-east-1 (CloudFront's certificate and web
# ACL), whatever the environment's region.
US_EAST_1 = ProviderAlias(
    "us_east_1", "us-east-1", "CloudFront's certificate and web ACL live in us-east-1"
)

# An environment's disaster-recovery region (the dr section's ``region``) is reached
# through this alias; ``Context.dr`` gives it, with the region filled in.
DR_ALIAS = "dr"

# (path inside the environment, message): rules yield these; the loader adds the
# file, line and environment.
Problem = tuple[FieldPath, str]


class Strict(BaseModel):
    """Unknown keys are refused; loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionModel(Strict):
    """A platform part an environment can switch off (``enabled: false``)."""

    enabled: bool = True


M = TypeVar("M", bound=Strict)


@dataclass(frozen=True)
class Call:
    """One module call of an environment, before it is checked and rendered.

    ``where`` is the inventory path (inside the environment) the call comes
    from; problems found in its inputs or references point there.
    """

    name: str
    module: str
    inputs: dict[str, Any]
    where: FieldPath
    # The module's provider name ("aws", "aws.us_east_1") -> the root's provider.
    providers: dict[str, ProviderAlias | None] = field(default_factory=dict)
    outputs: tuple[tuple[str, str], ...] = ()
    artifacts: dict[str, bytes] = field(default_factory=dict)
    # Module blocks to create first, when the root has them (an ordering, not a need).
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class KmsUse:
    """A section's use of one of the environment's KMS keys.

    Attributes:
        purpose: The key: ``logs``, ``data`` or ``secrets``.
        what: What it encrypts with it, for the key's description.
        services: Service principals that use the key themselves (publishing
            into an encrypted topic, say), added to the key policy.
    """

    purpose: str
    what: str
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric, for metric-math alarms."""

    namespace: str
    metric_name: str
    stat: str
    dimensions: Mapping[str, str | Expr] = field(default_factory=dict)
    period: int = 300


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch alarm a section asks observability to create.

    Either one metric (``namespace``, ``metric_name``, ``dimensions`` and
    ``statistic`` or ``extended_statistic``) or metric math (``metrics`` by id
    and an ``expression`` over them). Values may be references.
    """

    description: str
    threshold: float
    comparison_operator: str = "GreaterThanThreshold"
    evaluation_periods: int = 3
    datapoints_to_alarm: int | None = None
    period: int = 300
    # Utilization keeps reporting while a resource lives, so a gap is worth
    # seeing; counts and ages have no data when nothing happens.
    treat_missing_data: str = "missing"
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: Mapping[str, str | Expr] = field(default_factory=dict)
    statistic: str | None = None
    extended_statistic: str | None = None
    expression: str | None = None
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    # False for an alarm that only feeds composite alarms: it notifies nobody itself.
    notify: bool = True

    def as_input(self) -> dict[str, Any]:
        """The alarm as the observability module's ``alarms`` entry.

        Settings equal to the module's defaults are left out, so the generated
        root shows what is particular to each alarm.
        """
        entry: dict[str, Any] = {"description": self.description, "threshold": self.threshold}
        entry.update(
            (name, value)
            for name, value, default in (
                ("comparison_operator", self.comparison_operator, "GreaterThanThreshold"),
                ("evaluation_periods", self.evaluation_periods, 3),
                ("datapoints_to_alarm", self.datapoints_to_alarm, None),
                ("period", self.period, 300),
                ("treat_missing_data", self.treat_missing_data, "missing"),
                ("notify", self.notify, True),
            )
            if value != default
        )
        if self.expression is not None:
            entry["expression"] = self.expression
            entry["metrics"] = {
                key: {
                    "namespace": m.namespace,
                    "metric_name": m.metric_name,
                    "stat": m.stat,
                    "dimensions": dict(m.dimensions),
                    **({"period": m.period} if m.period != 300 else {}),
                }
                for key, m in self.metrics.items()
            }
            return entry
        entry.update(namespace=self.namespace, metric_name=self.metric_name)
        entry["dimensions"] = dict(self.dimensions)
        if self.extended_statistic is not None:
            entry["extended_statistic"] = self.extended_statistic
        elif self.statistic not in (None, "Average"):
            entry["statistic"] = self.statistic
        return entry


def count_alarm(description: str, threshold: float, **metric: Any) -> Alarm:
    """An alarm on a count or an age: one period over the threshold, no data is fine."""
    settings: dict[str, Any] = {
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "evaluation_periods": 1,
        "treat_missing_data": "notBreaching",
        "statistic": "Sum",
    }
    return Alarm(description=description, threshold=threshold, **{**settings, **metric})


_ALARM_KEY = re.compile(r"\{([a-z0-9][a-z0-9-]*)\}")


@dataclass(frozen=True)
class CompositeAlarm:
    """An alarm over other alarms of the environment, which observability creates.

    ``rule`` is a CloudWatch alarm rule with each alarm written as its key in
    braces: ``({slo-api-fast-long} AND {slo-api-fast-short}) OR ...``; each
    becomes ``ALARM("<name>-<key>")``. The alarms must be ones some section asks for.
    """

    description: str
    rule: str

    @property
    def alarm_keys(self) -> tuple[str, ...]:
        """The keys of the alarms the rule is made of."""
        return tuple(_ALARM_KEY.findall(self.rule))

    def as_input(self, name: str) -> dict[str, Any]:
        """The alarm as the observability module's ``composite_alarms`` entry."""
        rule = _ALARM_KEY.sub(lambda found: f'ALARM("{name}-{found.group(1)}")', self.rule)
        return {"description": self.description, "rule": rule}


@dataclass(frozen=True)
class HostGroup:
    """EC2 hosts a section runs: patched and reached by the maintenance section.

    The section tags its instances (and their volumes)
    ``Patch Group = <resource name prefix>-<name>``
    (``module.maintenance.patch_groups["<name>"]``) and gives them the instance
    profile ``module.maintenance.instance_profile_names["<name>"]``: Systems
    Manager patches them in the environment's maintenance window, and Session
    Manager is the only way in (no key pair, no inbound port). Hosts that need a
    role of their own (ECS container instances) set ``instance_profile`` false
    and attach ``AmazonSSMManagedInstanceCore`` and
    ``module.maintenance.host_policy_json`` (session and patching logs) to it.

    Attributes:
        name: The group, e.g. ``gpu``: a lower-case label.
        operating_system: The patch baseline's operating system, as Systems
            Manager names it (``AMAZON_LINUX_2023``, ``UBUNTU``...).
        what: What the hosts are, for descriptions.
        instance_profile: Whether the maintenance module makes their instance
            profile.
    """

    name: str
    operating_system: str = "AMAZON_LINUX_2023"
    what: str = "EC2 hosts"
    instance_profile: bool = True


def health_check_alarm(what: str, health_check_id: Expr) -> Alarm:
    """An alarm when Route 53's checkers find ``what`` unhealthy for two minutes."""
    return Alarm(
        description=f"Route 53 health checks of {what} fail (2 minutes).",
        threshold=1,
        comparison_operator="LessThanThreshold",
        evaluation_periods=2,
        period=60,
        namespace="AWS/Route53",
        metric_name="HealthCheckStatus",
        dimensions={"HealthCheckId": health_check_id},
        statistic="Minimum",
    )


@dataclass(frozen=True)
class Graph:
    """A dashboard graph: metrics as CloudWatch arrays (values may be references).

    Metric math: ``hidden`` metrics (by id, with their stat) feed the
    ``expressions`` (label, expression over the ids), which are drawn.
    """

    title: str
    stat: str
    rows: tuple[tuple[tuple[str | Expr, ...], str], ...]
    hidden: Mapping[str, tuple[tuple[str | Expr, ...], str]] = field(default_factory=dict)
    expressions: tuple[tuple[str, str], ...] = ()

    def as_input(self) -> dict[str, Any]:
        """The graph as the observability module's ``graphs`` entry."""
        rows: list[dict[str, Any]] = [
            {"metric": list(metric), "label": label} for metric, label in self.rows
        ]
        rows += [
            {"metric": list(metric), "id": key, "stat": stat, "visible": False}
            for key, (metric, stat) in self.hidden.items()
        ]
        rows += [{"expression": text, "label": label} for label, text in self.expressions]
        return {"title": self.title, "stat": self.stat, "rows": rows}


@dataclass(frozen=True)
class CarriedWaiver:
    """A checkov finding accepted by tfgen's own code, not by the inventory.

    A module carries the findings of its own design (``waivers.yaml``); a
    section carries those that follow from how it wires modules together (a
    web ACL attached by ARN from another module, which checkov cannot link).
    """

    check: str
    resource: str
    reason: str
    carried_by: str


@dataclass(frozen=True)
class KeySet:
    """The keys a section's map output has: e.g. the names of its secrets.

    A reference ``module.X.out["k"]`` with a key outside the set is refused,
    with ``what`` ("secret") and ``listed`` (the inventory field listing them).
    """

    keys: Collection[str]
    what: str
    listed: str


@dataclass(frozen=True)
class Context:
    """What a section may read while it builds its calls and rules.

    Attributes:
        env_name: The root's name (an environment, or ``account-<name>``).
        env: The root's settings, with its sections' parts.
        name: The lower-case prefix of its AWS resource names.
        name_tag_prefix: The prefix of its ``Name`` tags.
        project_dir: The project folder (sources of packaged code live there).
        inventory: The whole inventory: an account's baseline reads its
            environments (budgets per environment, CI roles per environment).
    """

    env_name: str
    env: RootBase
    name: str
    name_tag_prefix: str
    project_dir: Path
    inventory: Inventory | None = None

    def has(self, key: str) -> bool:
        """Whether the environment has section ``key``, enabled."""
        return self.env.has(key)

    def part(self, key: str) -> Any:
        """The environment's part for section ``key`` (None when absent)."""
        return self.env.part(key)

    def github_oidc(self) -> tuple[str, str] | None:
        """The account's GitHub OIDC provider and this root's token subject, when CI is set up.

        The provider is made by the account's baseline; a role trusting it for
        ``repo:<owner/name>:environment:<root>`` is assumable only by jobs of
        that repository running in that GitHub environment.
        """
        inventory = self.inventory
        if inventory is None or inventory.ci.github is None:
            return None
        account = inventory.root(self.env_name).account
        if account is None:
            return None
        provider = f"arn:aws:iam::{account.id}:oidc-provider/token.actions.githubusercontent.com"
        return provider, f"repo:{inventory.ci.github.repository}:environment:{self.env_name}"

    @property
    def dr(self) -> ProviderAlias | None:
        """The provider of the environment's disaster-recovery region, when it has one."""
        region = getattr(self.env.part("dr"), "region", None)
        if region is None:
            return None
        return ProviderAlias(
            DR_ALIAS, region, f"Disaster recovery: replicas and copies in {region}"
        )

    @property
    def log_retention_days(self) -> int:
        """Retention of every log group the platform creates (observability's setting)."""
        observability = self.env.part("observability")
        return int(getattr(observability, "log_retention_days", 365))


def ref(module: str, output: str, key: str | None = None, *, where: FieldPath = ()) -> Expr:
    """A reference to another module's output, e.g. ``module.network.vpc_id``.

    Args:
        module: The module call's name.
        output: One of its outputs.
        key: A key into a map output.
        where: The inventory path (inside the environment) that asks for it,
            when it is not the section itself: a problem with the reference
            points there.
    """
    text = f'module.{module}.{output}["{key}"]' if key else f"module.{module}.{output}"
    return Expr(text, where=where)


def kms_key(purpose: str) -> Expr:
    """The ARN of the environment's KMS key for ``purpose``."""
    return ref("kms", "key_arns", purpose)


def dr_kms_key() -> Expr:
    """The ARN of the data key in the environment's DR region (the dr section's)."""
    return ref("kms_dr", "key_arns", "data")


class Section(Generic[M]):
    """Base of every platform section; constructing one registers it.

    Attributes:
        key: The section's key in an environment (or an account) of the inventory.
        scope: ``environment`` or ``account``: which roots it belongs to.
        model: Its inventory model.
        order: Where its calls stand in ``main.tf``: foundations first.
        modules: The module blocks it may write, by name, with the module folder
            each uses: a reference to one of them names this section.
        builds: What it builds, in a line (for the README's platform table).
    """

    key: ClassVar[str]
    scope: ClassVar[str] = "environment"
    model: type[M]
    order: ClassVar[int]
    modules: ClassVar[Mapping[str, str]]
    builds: ClassVar[str]

    def __init__(self) -> None:
        _registry[self.key] = self

    def field(self) -> tuple[Any, Any]:
        """The environment model's field for this section: optional by default."""
        return self.model | None, None

    def part(self, env: RootBase) -> M | None:
        """The part of ``env`` for this section, when present and enabled."""
        if not env.has(self.key):
            return None
        part: M = env.part(self.key)
        return part

    def calls(self, ctx: Context, part: M) -> list[Call]:
        """The module calls the section makes for an environment."""
        raise NotImplementedError

    def call(self, name: str, inputs: dict[str, Any], **details: Any) -> Call:
        """A call of the module block ``name`` (one of ``modules``) from this section."""
        return Call(name, self.modules[name], inputs, where=(self.key,), **details)

    def problems(self, ctx: Context, part: M) -> Iterator[Problem]:
        """Cross-field and production rules of the section's part."""
        return iter(())

    def kms(self, ctx: Context, part: M) -> list[KmsUse]:
        """The KMS keys the section's resources use."""
        return []

    def alarms(self, ctx: Context, part: M) -> dict[str, Alarm]:
        """Alarms for observability, keyed by the alarm name's suffix."""
        return {}

    def composite_alarms(self, ctx: Context, part: M) -> dict[str, CompositeAlarm]:
        """Alarms over the section's alarms, keyed by the alarm name's suffix."""
        return {}

    def graphs(self, ctx: Context, part: M) -> list[Graph]:
        """Graphs for the environment's dashboard."""
        return []

    def hosts(self, ctx: Context, part: M) -> list[HostGroup]:
        """The EC2 host groups the section runs (patched by the maintenance section)."""
        return []

    def waivers(self, ctx: Context, part: M) -> list[CarriedWaiver]:
        """Findings that follow from how this section wires its modules, with reasons."""
        return []

    def waiver(self, check: str, resource: str, reason: str) -> CarriedWaiver:
        """A waiver this section carries."""
        return CarriedWaiver(check, resource, " ".join(reason.split()), f"section {self.key}")

    def certificate_names(self, ctx: Context, part: M) -> list[str]:
        """Subdomains the section serves on the environment's regional certificate."""
        return []

    def keyed_outputs(self, ctx: Context, part: M) -> dict[str, KeySet]:
        """The keys of the section's map outputs, by output name."""
        return {}


_registry: dict[str, Section[Any]] = {}


@cache
def every_section() -> tuple[Section[Any], ...]:
    """Every section of ``tfgen/sections/``, of both scopes, in ``main.tf`` order."""
    import tfgen.sections

    for module in pkgutil.iter_modules(tfgen.sections.__path__):
        importlib.import_module(f"tfgen.sections.{module.name}")
    return tuple(sorted(_registry.values(), key=lambda section: (section.order, section.key)))


def all_sections(scope: str = "environment") -> tuple[Section[Any], ...]:
    """The sections of one scope (``environment`` or ``account``), in ``main.tf`` order."""
    return tuple(section for section in every_section() if section.scope == scope)


def enabled_sections(env: RootBase) -> Iterator[tuple[Section[Any], Any]]:
    """The sections ``env`` has, enabled, with their parts, in ``main.tf`` order."""
    for section in every_section():
        part = section.part(env)
        if part is not None:
            yield section, part
