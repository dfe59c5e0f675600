"""``network``: the VPC, reproducing the seed's CloudFormation template for dev's inputs."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from tfgen.rules import retention_problems
from tfgen.section import Call, Context, Problem, Section, Strict
from tfgen.yaml_source import FieldPath, dotted


class FlowLogs(Strict):
    """VPC flow logs to an encrypted CloudWatch log group."""

    enabled: bool = True
    retention_days: int = 365


class Network(Strict):
    """One VPC with public and private subnets, one pair per availability zone."""

    cidr: str
    public_subnets: list[str]
    private_subnets: list[str]
    azs: list[str] = Field(default_factory=list)
    nat_gateways: Literal["single", "per_az", "none"] = "single"
    flow_logs: FlowLogs = FlowLogs()


class NetworkSection(Section[Network]):
    """Every environment has one network: it is the only required section."""

    key = "network"
    model = Network
    order = 0
    modules = {"network": "network"}
    builds = (
        "VPC, subnets per AZ, IGW, NAT (single or per AZ), route tables, flow logs,"
        " locked default SG, network ACLs (SSH and RDP denied, public: HTTP(S) in, private:"
        " the VPC only)"
    )

    def field(self) -> tuple[Any, Any]:
        """Required: an environment without a network has nowhere to put anything."""
        return Network, ...

    def calls(self, ctx: Context, part: Network) -> list[Call]:
        """The VPC module call; its outputs match the seed template's exports."""
        inputs: dict[str, Any] = {
            "name": ctx.name,
            "name_tag_prefix": ctx.name_tag_prefix,
            "cidr": part.cidr,
            # Without explicit AZs the module takes the region's first ones, as the seed does.
            **({"azs": list(part.azs)} if part.azs else {}),
            "public_subnets": list(part.public_subnets),
            "private_subnets": list(part.private_subnets),
            "nat_gateway_mode": part.nat_gateways,
            "enable_flow_logs": part.flow_logs.enabled,
            "flow_log_retention_days": part.flow_logs.retention_days,
        }
        outputs = (
            ("vpc_id", "vpc_id"),
            ("public_subnet_ids", "public_subnet_ids"),
            ("private_subnet_ids", "private_subnet_ids"),
            ("nat_public_ips", "nat_public_ips"),
            ("flow_log_group_name", "flow_log_group_name"),
        )
        return [self.call("network", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Network) -> Iterator[Problem]:
        """CIDRs inside the VPC and apart, a subnet pair per AZ, production NAT and logs."""
        yield from _cidr_problems(part)
        yield from _az_problems(part, ctx.env.region)
        yield from retention_problems(
            (self.key, "flow_logs", "retention_days"), part.flow_logs.retention_days, ctx.env
        )
        if ctx.env.production and part.nat_gateways == "single":
            message = (
                "a production environment needs a NAT gateway per AZ (per_az), not one for all"
            )
            yield (self.key, "nat_gateways"), message


def _cidr_problems(network: Network) -> Iterator[Problem]:
    try:
        vpc = ipaddress.IPv4Network(network.cidr)
    except ValueError as exc:
        yield ("network", "cidr"), f"'{network.cidr}' is not a valid IPv4 network: {exc}"
        return
    if not 16 <= vpc.prefixlen <= 28:
        yield ("network", "cidr"), f"a VPC block must be /16 to /28 (got /{vpc.prefixlen})"
    subnets: list[tuple[FieldPath, ipaddress.IPv4Network]] = []
    for kind in ("public_subnets", "private_subnets"):
        for index, cidr in enumerate(getattr(network, kind)):
            where: FieldPath = ("network", kind, index)
            try:
                subnet = ipaddress.IPv4Network(cidr)
            except ValueError as exc:
                yield where, f"'{cidr}' is not a valid IPv4 network: {exc}"
                continue
            if not subnet.subnet_of(vpc):
                yield where, f"{cidr} is not inside the VPC {vpc}"
            elif not 16 <= subnet.prefixlen <= 28:
                yield where, f"a subnet must be /16 to /28 (got /{subnet.prefixlen})"
            subnets.append((where, subnet))
    for i, (where, subnet) in enumerate(subnets):
        for other_where, other in subnets[:i]:
            if subnet.overlaps(other):
                yield where, f"{subnet} overlaps {other} ({dotted(other_where)})"


def _az_problems(network: Network, region: str) -> Iterator[Problem]:
    public, private = len(network.public_subnets), len(network.private_subnets)
    if public < 2:
        yield (
            ("network", "public_subnets"),
            f"at least two availability zones are needed: give one public subnet per AZ"
            f" (got {public})",
        )
    if public != private:
        yield (
            ("network", "private_subnets"),
            f"one private subnet per AZ: {private} private for {public} public subnets",
        )
    if network.azs:
        if len(network.azs) != public:
            yield ("network", "azs"), f"{len(network.azs)} AZs named for {public} subnet pairs"
        if len(set(network.azs)) != len(network.azs):
            yield ("network", "azs"), "AZs must be distinct"
        for index, az in enumerate(network.azs):
            if not re.fullmatch(re.escape(region) + r"[a-z]", az):
                yield ("network", "azs", index), f"'{az}' is not an AZ of {region}"


section = NetworkSection()
