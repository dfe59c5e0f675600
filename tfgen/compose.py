"""Compose one environment: which modules, with which inputs, wired how.

This is the only place that knows how inventory fields map to module inputs.
Every call is checked against the module's ``variables.tf`` (and every root
output against its ``outputs.tf``) before anything is rendered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from tfgen.errors import InputError
from tfgen.hcl import Expr
from tfgen.inventory import Inventory
from tfgen.module_schema import load_module_schema
from tfgen.project import Project
from tfgen.wiring import US_EAST_1, Call, Context, environment_calls


@dataclass(frozen=True)
class Backend:
    """The S3 backend of one environment's state."""

    bucket: str
    key: str
    region: str
    lock_table: str


@dataclass(frozen=True)
class ModuleCall:
    """One ``module`` block of a generated root."""

    name: str
    source: str
    inputs: dict[str, Any]
    providers: dict[str, str]


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
class EnvSpec:
    """Everything the templates need to render one environment."""

    env: str
    inventory_name: str
    config_hash: str
    region: str
    backend: Backend
    default_tags: dict[str, str]
    modules: tuple[ModuleCall, ...]
    outputs: tuple[RootOutput, ...]
    artifacts: dict[str, bytes]

    @property
    def needs_us_east_1(self) -> bool:
        """Whether a module needs the us-east-1 provider (CloudFront's parts)."""
        return any(US_EAST_1 in call.providers.values() for call in self.modules)


def compose_environment(inventory: Inventory, env: str, project: Project) -> EnvSpec:
    """Build the spec of environment ``env``.

    Raises:
        InputError: unknown environment, or a module call that does not match
            the module's variables/outputs.
    """
    environment = inventory.environment(env)
    context = Context(
        env_name=env,
        env=environment,
        name=inventory.resource_name(env),
        name_tag_prefix=inventory.name_tag_prefix(env),
        project_dir=inventory.path.resolve().parent,
    )
    calls = environment_calls(context)
    outputs = tuple(
        _root_output(project, call.module, call.name, root_name, module_output)
        for call in calls
        for root_name, module_output in call.outputs
    )
    state = inventory.state
    return EnvSpec(
        env=env,
        inventory_name=inventory.path.name,
        config_hash=inventory.env_config_hash(env),
        region=environment.region,
        backend=Backend(
            bucket=state.bucket,
            key=f"{state.key_prefix}/{env}/terraform.tfstate",
            region=state.region,
            lock_table=state.lock_table,
        ),
        default_tags=dict(environment.tags),
        modules=tuple(_module_call(project, env, call) for call in calls),
        outputs=outputs,
        artifacts={path: data for call in calls for path, data in call.artifacts.items()},
    )


def _module_call(project: Project, env: str, call: Call) -> ModuleCall:
    schema = load_module_schema(project.modules_dir / call.module)
    problems = schema.check_inputs(call.inputs)
    if problems:
        raise InputError(f"environment '{env}': " + "; ".join(problems))
    source = os.path.relpath(project.modules_dir / call.module, project.env_dir(env))
    return ModuleCall(
        name=call.name,
        source=source.replace(os.sep, "/"),
        inputs=call.inputs,
        providers=call.providers,
    )


def _root_output(
    project: Project, module: str, call_name: str, name: str, module_output: str
) -> RootOutput:
    schema = load_module_schema(project.modules_dir / module)
    descriptions = {output.name: output.description for output in schema.outputs}
    if module_output not in descriptions:
        raise InputError(f"module '{module}' has no output '{module_output}'")
    return RootOutput(
        name=name, module=call_name, output=module_output, description=descriptions[module_output]
    )
