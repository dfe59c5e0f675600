"""Compose one environment: its sections' module calls, checked before anything is written.

Each enabled section builds its calls (``tfgen.section``). Before they are
rendered, every call is checked against its module's own files:

- its inputs against ``variables.tf`` (names, required ones), and against the
  module's ``validation`` conditions wherever they can be judged statically;
- every ``module.X.Y`` reference in it against the calls this environment
  really makes and the outputs ``modules/<m>/outputs.tf`` declares, and a key
  into a map output against the keys its section has.

A violation is an inventory problem at the path of the section (or field) that
made it, naming what is missing: which section to enable, which output or key
does not exist. Dependencies between sections are exactly these references.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tfgen.errors import InventoryError
from tfgen.hcl import Expr
from tfgen.inventory import Inventory
from tfgen.module_schema import ModuleSchema, load_module_schema
from tfgen.project import Project
from tfgen.roots import AccountRef, Backend
from tfgen.section import (
    Call,
    CarriedWaiver,
    KeySet,
    Problem,
    ProviderAlias,
    all_sections,
    enabled_sections,
)

_REFERENCE = re.compile(r'\bmodule\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\["([^"]*)"\])?')


@dataclass(frozen=True)
class ModuleCall:
    """One ``module`` block of a generated root."""

    name: str
    source: str
    inputs: dict[str, Any]
    # The module's provider name -> the root's provider ("aws" or "aws.<alias>").
    providers: dict[str, str]
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class RootOutput:
    """One ``output`` block of a generated root, re-exporting a module output."""

    name: str
    module: str
    output: str
    description: str

    @property
    def value(self) -> Expr:
        """The expression the output returns."""
        return Expr(f"module.{self.module}.{self.output}")


@dataclass(frozen=True)
class RootSpec:
    """Everything the templates need to render one root."""

    env: str
    inventory_name: str
    config_hash: str
    region: str
    backend: Backend
    # The account the root is pinned to (None when the inventory names none).
    account: AccountRef | None
    default_tags: dict[str, str]
    modules: tuple[ModuleCall, ...]
    outputs: tuple[RootOutput, ...]
    artifacts: dict[str, bytes]
    # What tfgen's modules and sections accept by their design, with reasons.
    carried_waivers: tuple[CarriedWaiver, ...]

    # Aliased providers the modules need, declared once each in providers.tf.
    provider_aliases: tuple[ProviderAlias, ...] = ()


def compose_root(inventory: Inventory, env: str, project: Project) -> RootSpec:
    """Build the spec of root ``env`` (an environment or an account's baseline).

    Raises:
        InputError: unknown root.
        InventoryError: a call that its module refuses, or a reference to a
            module, output or key the root does not have.
    """
    key = ("compose_root", env, project.root)
    if key not in inventory.memo:
        inventory.memo[key] = _compose(inventory, env, project)
    spec: RootSpec = inventory.memo[key]
    return spec


def _compose(inventory: Inventory, env: str, project: Project) -> RootSpec:
    root = inventory.root(env)
    environment = inventory.settings(env)
    ctx = inventory.context(env)
    calls: list[Call] = []
    key_sets: dict[tuple[str, str], KeySet] = {}
    carried: list[CarriedWaiver] = []
    for section, part in enabled_sections(environment):
        made = section.calls(ctx, part)
        calls += made
        carried += section.waivers(ctx, part)
        for output, keys in section.keyed_outputs(ctx, part).items():
            key_sets.update(((call.name, output), keys) for call in made)
    schemas = {call.name: load_module_schema(project.modules_dir / call.module) for call in calls}
    problems = list(_call_problems(calls, schemas, key_sets))
    if problems:
        raise inventory.error(env, problems)

    return RootSpec(
        env=env,
        inventory_name=inventory.path.name,
        config_hash=inventory.config_hash(env),
        region=environment.region,
        backend=inventory.backend(env),
        account=root.account,
        default_tags=dict(environment.tags),
        modules=tuple(
            _module_call(project, env, call, {c.name for c in calls}, environment.region)
            for call in calls
        ),
        outputs=tuple(
            RootOutput(
                name=root_name,
                module=call.name,
                output=module_output,
                description=_description(schemas[call.name], module_output),
            )
            for call in calls
            for root_name, module_output in call.outputs
        ),
        artifacts={path: data for call in calls for path, data in call.artifacts.items()},
        provider_aliases=tuple(
            sorted(
                {
                    alias
                    for call in calls
                    for alias in _root_providers(call, environment.region).values()
                    if alias is not None
                },
                key=lambda alias: alias.alias,
            )
        ),
        carried_waivers=(
            *(
                CarriedWaiver(
                    check=waiver.check,
                    resource=f"module.{call.name}.{waiver.resource}",
                    reason=waiver.reason,
                    carried_by=f"module {call.module}",
                )
                for call in calls
                for waiver in schemas[call.name].waivers
            ),
            *carried,
        ),
    )


def check_roots(inventory: Inventory, project: Project) -> None:
    """Compose every root, so ``validate`` refuses what generation would.

    Raises:
        InventoryError: every problem of every root, in file order.
    """
    problems: list[str] = []
    for root in inventory.roots():
        try:
            compose_root(inventory, root.name, project)
        except InventoryError as exc:
            problems += exc.problems
    if problems:
        raise InventoryError(problems)


def _call_problems(
    calls: list[Call],
    schemas: Mapping[str, ModuleSchema],
    key_sets: Mapping[tuple[str, str], KeySet],
) -> Iterator[Problem]:
    for call in calls:
        schema = schemas[call.name]
        for problem in schema.check_inputs(call.inputs):
            yield call.where, problem
        for root_name, output in call.outputs:
            if output not in schema.output_names:
                yield call.where, f"module '{call.module}' has no output '{output}' ({root_name})"
        references = [
            problem
            for expr, where in _expressions(call.inputs, call.where)
            for problem in _reference_problems(expr, where, schemas, key_sets)
        ]
        yield from references
        # A call that misses a section gets stand-in inputs; judging them would only
        # repeat the missing section in other words.
        if not references:
            for message in schema.check_validations(call.inputs):
                yield call.where, f"module '{call.module}' refuses {message}"


def _reference_problems(
    expr: Expr,
    where: tuple[str | int, ...],
    schemas: Mapping[str, ModuleSchema],
    key_sets: Mapping[tuple[str, str], KeySet],
) -> Iterator[Problem]:
    for found in _REFERENCE.finditer(expr.text):
        module, output, key = found.groups()
        shown = found.group(0)
        schema = schemas.get(module)
        if schema is None:
            yield where, _missing_module(module, shown)
        elif output not in schema.output_names:
            yield where, f"{shown}: module '{schema.name}' has no output '{output}'"
        elif key is not None and (module, output) in key_sets:
            keys = key_sets[(module, output)]
            if key not in keys.keys:
                yield where, f"no {keys.what} '{key}' in this environment's {keys.listed}"


def _missing_module(module: str, shown: str) -> str:
    for section in all_sections():
        if module in section.modules:
            return (
                f"needs section '{section.key}' ({shown}), which this environment does not enable"
            )
    return f"{shown}: no section writes a module block '{module}'"


def _expressions(
    value: Any, where: tuple[str | int, ...]
) -> Iterator[tuple[Expr, tuple[str | int, ...]]]:
    if isinstance(value, Expr):
        yield value, value.where or where
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _expressions(item, where)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _expressions(item, where)


def _root_providers(call: Call, region: str) -> dict[str, ProviderAlias | None]:
    """The call's providers as the root passes them: an alias, or None for its default.

    An alias in the root's own region would be a second configuration of the same
    provider: terraform starts a provider process per configuration, for
    validate and again for plan, so it only costs time.
    """
    return {
        name: alias if alias is not None and alias.region != region else None
        for name, alias in call.providers.items()
    }


def _module_call(
    project: Project, env: str, call: Call, present: set[str], region: str
) -> ModuleCall:
    source = os.path.relpath(project.modules_dir / call.module, project.env_dir(env))
    providers = {
        name: alias.ref if alias else "aws" for name, alias in _root_providers(call, region).items()
    }
    return ModuleCall(
        name=call.name,
        source=source.replace(os.sep, "/"),
        inputs=call.inputs,
        # Only the default provider: what a call without `providers` inherits anyway.
        providers={} if providers == {"aws": "aws"} else providers,
        depends_on=tuple(f"module.{name}" for name in call.after if name in present),
    )


def _description(schema: ModuleSchema, output: str) -> str:
    return next((o.description for o in schema.outputs if o.name == output), "")
