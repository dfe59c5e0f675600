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


# Root outputs per module: (root output name, module output). The network's
# match the seed template's exports (VPC id, public and private subnet ids).
_ROOT_OUTPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "network": (
        ("vpc_id", "vpc_id"),
        ("public_subnet_ids", "public_subnet_ids"),
        ("private_subnet_ids", "private_subnet_ids"),
        ("nat_public_ips", "nat_public_ips"),
        ("flow_log_group_name", "flow_log_group_name"),
    ),
}


def compose_environment(inventory: Inventory, env: str, project: Project) -> EnvSpec:
    """Build the spec of environment ``env``.

    Raises:
        InputError: unknown environment, or a module call that does not match
            the module's variables/outputs.
    """
    environment = inventory.environment(env)
    network = environment.network
    network_inputs: dict[str, Any] = {
        "name": inventory.resource_name(env),
        "name_tag_prefix": inventory.name_tag_prefix(env),
        "cidr": network.cidr,
        # Without explicit AZs the module takes the region's first ones, as the seed does.
        **({"azs": list(network.azs)} if network.azs else {}),
        "public_subnets": list(network.public_subnets),
        "private_subnets": list(network.private_subnets),
        "nat_gateway_mode": network.nat_gateways,
        "enable_flow_logs": network.flow_logs.enabled,
        "flow_log_retention_days": network.flow_logs.retention_days,
    }
    calls = [_module_call(project, env, "network", network_inputs)]
    outputs = tuple(
        _root_output(project, call.name, root_name, module_output)
        for call in calls
        for root_name, module_output in _ROOT_OUTPUTS.get(call.name, ())
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
        modules=tuple(calls),
        outputs=outputs,
    )


def _module_call(project: Project, env: str, module: str, inputs: dict[str, Any]) -> ModuleCall:
    schema = load_module_schema(project.modules_dir / module)
    problems = schema.check_inputs(inputs)
    if problems:
        raise InputError(f"environment '{env}': " + "; ".join(problems))
    source = os.path.relpath(project.modules_dir / module, project.env_dir(env))
    return ModuleCall(name=module, source=source.replace(os.sep, "/"), inputs=inputs)


def _root_output(project: Project, module: str, name: str, module_output: str) -> RootOutput:
    schema = load_module_schema(project.modules_dir / module)
    descriptions = {output.name: output.description for output in schema.outputs}
    if module_output not in descriptions:
        raise InputError(f"module '{module}' has no output '{module_output}'")
    return RootOutput(
        name=name, module=module, output=module_output, description=descriptions[module_output]
    )
