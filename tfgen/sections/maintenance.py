"""``maintenance``: patching and access for the EC2 hosts other sections run.

A shared part: a section that runs EC2 hosts says so with ``hosts()`` (a
``HostGroup`` per group); nothing here knows which sections those are. For each
group this section makes a Patch Manager patch group on a baseline of its
operating system, patched in the environment's maintenance window, and an
instance profile with what Systems Manager needs and no more: Session Manager
(sessions encrypted and logged) is the only way onto a host. An environment
without hosts gets no module call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import Field

from tfgen.section import (
    Call,
    Context,
    HostGroup,
    KeySet,
    KmsUse,
    Problem,
    Section,
    Strict,
    enabled_sections,
    kms_key,
)

_CRON = re.compile(r"^cron\(\S+( \S+){5}\)$")
OPERATING_SYSTEMS = ("AMAZON_LINUX_2023", "AMAZON_LINUX_2", "UBUNTU")


class Maintenance(Strict):
    """When hosts are patched, which patches, and how long sessions last."""

    window_schedule: str = Field(default="cron(0 3 ? * SUN *)", description="UTC")
    window_duration_hours: int = Field(default=3, ge=1, le=24)
    window_cutoff_hours: int = Field(default=1, ge=0, le=23)
    approve_after_days: int = Field(default=7, ge=0, le=360)
    session_idle_timeout_minutes: int = Field(default=20, ge=1, le=60)
    session_max_duration_minutes: int = Field(default=60, ge=1, le=1440)


class MaintenanceSection(Section[Maintenance]):
    """Always present with defaults; generated only when a section runs hosts."""

    key = "maintenance"
    model = Maintenance
    order = 12
    modules = {"maintenance": "maintenance"}
    builds = (
        "for the EC2 hosts sections run: Patch Manager baselines and patch groups, a"
        " maintenance window installing patches, instance profiles for Systems Manager only,"
        " Session Manager (encrypted, logged) as the only way in"
    )

    def field(self) -> tuple[Any, Any]:
        """Settings with defaults: an inventory names `maintenance` only to change them."""
        return Maintenance, Maintenance()

    def calls(self, ctx: Context, part: Maintenance) -> list[Call]:
        """The maintenance module, with every host group of the enabled sections."""
        groups = _host_groups(ctx)
        if not groups:
            return []
        inputs = {
            "name": ctx.name,
            "host_groups": {
                group.name: {
                    "operating_system": group.operating_system,
                    "what": group.what,
                    **({} if group.instance_profile else {"instance_profile": False}),
                }
                for group in groups
            },
            "window": {
                "schedule": part.window_schedule,
                "duration_hours": part.window_duration_hours,
                "cutoff_hours": part.window_cutoff_hours,
            },
            "approve_after_days": part.approve_after_days,
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "session_idle_timeout_minutes": part.session_idle_timeout_minutes,
            "session_max_duration_minutes": part.session_max_duration_minutes,
        }
        outputs = (
            ("maintenance_window_id", "maintenance_window_id"),
            ("session_document_name", "session_document_name"),
        )
        return [self.call("maintenance", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Maintenance) -> Iterator[Problem]:
        """A schedule, a cutoff inside the window; host groups named once, on a known system."""
        if not _CRON.match(part.window_schedule):
            message = "a cron() expression of six fields, e.g. cron(0 3 ? * SUN *)"
            yield (self.key, "window_schedule"), message
        if part.window_cutoff_hours >= part.window_duration_hours:
            yield (self.key, "window_cutoff_hours"), "must be under window_duration_hours"
        seen: dict[str, str] = {}
        for section, other in enabled_sections(ctx.env):
            for group in section.hosts(ctx, other):
                owner = seen.setdefault(group.name, section.key)
                if owner != section.key:
                    message = f"host group '{group.name}' is also section '{owner}''s"
                    yield (section.key,), message
                if group.operating_system not in OPERATING_SYSTEMS:
                    message = (
                        f"host group '{group.name}': Patch Manager baselines here cover"
                        f" {', '.join(OPERATING_SYSTEMS)}, not {group.operating_system}"
                    )
                    yield (section.key,), message

    def kms(self, ctx: Context, part: Maintenance) -> list[KmsUse]:
        """Sessions and their logs are encrypted with the logs key, when there are hosts."""
        return [KmsUse("logs", "Session Manager sessions and logs")] if _host_groups(ctx) else []

    def keyed_outputs(self, ctx: Context, part: Maintenance) -> dict[str, KeySet]:
        """Per host group outputs, by group."""
        groups = KeySet([g.name for g in _host_groups(ctx)], "host group", "the sections' hosts")
        outputs = ("instance_profile_names", "host_role_names", "patch_groups")
        return {name: groups for name in outputs}


def _host_groups(ctx: Context) -> list[HostGroup]:
    return [
        group
        for section, part in enabled_sections(ctx.env)
        if section.key != "maintenance"
        for group in section.hosts(ctx, part)
    ]


section = MaintenanceSection()
