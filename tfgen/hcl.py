"""Python values to HCL literals, for the Jinja templates.

Strings are escaped so no inventory value can inject an interpolation; a value
that must stay an expression (a reference to another module's output) is wrapped
in ``Expr`` and written verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Expr:
    """An HCL expression written as is, e.g. ``module.network.vpc_id``.

    ``where`` is the inventory path (inside an environment) that asked for it,
    so a reference that cannot resolve is reported there.
    """

    text: str
    where: tuple[str | int, ...] = ()


def quote(text: str) -> str:
    """Quote a string as an HCL string literal with nothing interpolated."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'


def to_hcl(value: Any, indent: int = 0) -> str:
    """Render ``value`` as an HCL expression; nested blocks indent by two spaces."""
    if isinstance(value, Expr):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pad = "  " * (indent + 1)
        rows = [
            f"{pad}{_key(str(key))} = {to_hcl(item, indent + 1)}" for key, item in value.items()
        ]
        return "{\n" + "\n".join(rows) + "\n" + "  " * indent + "}"
    if isinstance(value, Sequence):
        items = [to_hcl(item, indent + 1) for item in value]
        if all("\n" not in item for item in items) and sum(map(len, items)) < 120:
            return "[" + ", ".join(items) + "]"
        pad = "  " * (indent + 1)
        return "[\n" + "".join(f"{pad}{item},\n" for item in items) + "  " * indent + "]"
    raise TypeError(f"no HCL form for {type(value).__name__}")


def _key(key: str) -> str:
    return key if _IDENTIFIER.match(key) else quote(key)
