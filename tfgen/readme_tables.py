"""The README's tables that tfgen writes: platform sections, security posture, sandbox limits.

Each table sits between ``<!-- BEGIN tfgen docs: NAME -->`` and
``<!-- END tfgen docs: NAME -->`` and is made from the section registry, the
modules' own waivers and the inventory, so ``tfgen docs --check`` (run in CI)
fails when the README no longer says what the code does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tfgen import moto_ext
from tfgen.compose import compose_root
from tfgen.emulator_limits import CANNOT_CREATE
from tfgen.errors import InputError
from tfgen.inventory import Inventory
from tfgen.module_schema import load_module_schema
from tfgen.project import Project
from tfgen.section import all_sections, every_section


@dataclass(frozen=True)
class ReadmeResult:
    """Whether the README's tables were (or would be) rewritten, and which."""

    readme: Path
    stale: tuple[str, ...]


def platform_table(inventory: Inventory, project: Project) -> str:
    """One row per section of the registry: its key, roots, module folders, what it builds."""
    rows = [
        f"| `{s.key}` | {s.scope} | "
        f"{', '.join(f'`modules/{m}`' for m in sorted(set(s.modules.values())))}"
        f" | {s.builds} |"
        for scope in ("account", "environment")
        for s in all_sections(scope)
    ]
    return "\n".join(["| section | in | modules | what it builds |", "|---|---|---|---|", *rows])


def posture_table(inventory: Inventory, project: Project) -> str:
    """Every waived check: the inventory's own choices, then what modules and sections carry."""
    lines = [
        "| check | resource | roots | waived by | why |",
        "|---|---|---|---|---|",
    ]
    for w in inventory.waivers:
        envs = ", ".join(w.environments) or "all"
        lines.append(f"| {w.check} | `{w.resource}` | {envs} | inventory | {_one_line(w.reason)} |")
    folders = sorted({m for s in every_section() for m in s.modules.values()})
    for folder in folders:
        for mw in load_module_schema(project.modules_dir / folder).waivers:
            lines.append(
                f"| {mw.check} | `{mw.resource}` | wherever the module is used"
                f" | module {folder} | {mw.reason} |"
            )
    carried: dict[tuple[str, str, str, str], list[str]] = {}
    for env_name in (root.name for root in inventory.roots()):
        for cw in compose_root(inventory, env_name, project).carried_waivers:
            if cw.carried_by.startswith("section "):
                key = (cw.check, cw.resource, cw.carried_by, cw.reason)
                carried.setdefault(key, []).append(env_name)
    for (check, resource, by, reason), names in carried.items():
        lines.append(f"| {check} | `{resource}` | {', '.join(names)} | {by} | {reason} |")
    return "\n".join(lines)


def sandbox_table(inventory: Inventory, project: Project) -> str:
    """What the emulator cannot create, with the way around it."""
    if not CANNOT_CREATE:
        return "Nothing at present: the sandbox creates every resource type the platform plans."
    rows = [f"| `{kind}` | {limit.why} | {limit.avoid} |" for kind, limit in CANNOT_CREATE.items()]
    return "\n".join(
        [
            "| resource type | what the emulator does | to apply the rest on the sandbox |",
            "|---|---|---|",
            *rows,
        ]
    )


def extensions_table(inventory: Inventory, project: Project) -> str:
    """What the sandbox server adds to moto, one extension a row."""
    rows = [
        f"| `{e.name}` | {e.summary} | {', '.join(e.operations)} |" for e in moto_ext.extensions()
    ]
    return "\n".join(["| extension | what it adds | operations |", "|---|---|---|", *rows])


TABLES: dict[str, Callable[[Inventory, Project], str]] = {
    "platform": platform_table,
    "posture": posture_table,
    "sandbox": sandbox_table,
    "extensions": extensions_table,
}


def update_readme_tables(
    readme: Path, inventory: Inventory, project: Project, *, check: bool
) -> ReadmeResult:
    """Rewrite (or, with ``check``, compare) every marked table of ``readme``.

    Raises:
        InputError: the README lacks one of the markers.
    """
    text = readme.read_text(encoding="utf-8")
    updated = text
    stale = []
    for name, make in TABLES.items():
        pattern = re.compile(
            rf"(<!-- BEGIN tfgen docs: {name} -->\n)(.*?)(\n<!-- END tfgen docs: {name} -->)",
            re.DOTALL,
        )
        found = pattern.search(updated)
        if found is None:
            raise InputError(
                f"{readme} has no '<!-- BEGIN tfgen docs: {name} -->' ..."
                f" '<!-- END tfgen docs: {name} -->' markers for its {name} table"
            )
        table = make(inventory, project)
        if found.group(2) != table:
            stale.append(name)
            updated = updated[: found.start(2)] + table + updated[found.end(2) :]
    if stale and not check:
        readme.write_text(updated, encoding="utf-8")
    return ReadmeResult(readme=readme, stale=tuple(stale))


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
