"""The Inputs and Outputs tables of each module's README, made from its .tf files.

``tfgen docs`` rewrites them; ``tfgen docs --check`` (and a test) fails when a
README no longer matches ``variables.tf``/``outputs.tf``, so the tables stay true.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen.errors import InputError
from tfgen.hcl import to_hcl
from tfgen.module_schema import ModuleSchema, load_module_schema

BEGIN = "<!-- BEGIN tfgen docs: generated from variables.tf and outputs.tf by `tfgen docs` -->"
END = "<!-- END tfgen docs -->"


@dataclass(frozen=True)
class DocsResult:
    """The README of one module: whether it was (or would be) rewritten."""

    readme: Path
    changed: bool


def render_tables(schema: ModuleSchema) -> str:
    """Markdown ``## Inputs`` and ``## Outputs`` sections for ``schema``."""
    lines = [
        BEGIN,
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for variable in schema.variables:
        default = "n/a" if variable.required else f"`{_one_line(variable.default)}`"
        lines.append(
            f"| {variable.name} | {_cell(variable.description)} | `{_cell(variable.type)}`"
            f" | {default} | {'yes' if variable.required else 'no'} |"
        )
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    lines += [f"| {output.name} | {_cell(output.description)} |" for output in schema.outputs]
    lines.append(END)
    return "\n".join(lines) + "\n"


def update_readme(module_dir: Path, *, check: bool) -> DocsResult:
    """Rewrite (or, with ``check``, compare) the tables in ``module_dir/README.md``.

    The tables sit between the BEGIN/END markers; a README without markers gets
    them in place of its ``## Inputs`` ... ``## Outputs`` sections (or at its end).

    Raises:
        InputError: the module has no README.md.
    """
    readme = module_dir / "README.md"
    if not readme.is_file():
        raise InputError(f"module {module_dir.name} has no README.md")
    text = readme.read_text(encoding="utf-8")
    tables = render_tables(load_module_schema(module_dir))
    updated = _replace_tables(text, tables)
    changed = updated != text
    if changed and not check:
        readme.write_text(updated, encoding="utf-8")
    return DocsResult(readme=readme, changed=changed)


def _replace_tables(text: str, tables: str) -> str:
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        return head + tables.rstrip("\n") + tail
    start = text.find("## Inputs")
    if start == -1:
        return text.rstrip("\n") + "\n\n" + tables
    # Hand-written tables: replace from "## Inputs" through the Outputs table.
    after_outputs = text.find("## Outputs", start)
    end = len(text)
    if after_outputs != -1:
        next_heading = text.find("\n## ", after_outputs + 1)
        end = next_heading + 1 if next_heading != -1 else len(text)
    return text[:start] + tables + ("\n" + text[end:] if end < len(text) else "")


def _one_line(value: Any) -> str:
    return " ".join(to_hcl(value).split()).replace("|", "\\|")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
