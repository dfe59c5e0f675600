"""What each reusable module accepts, read from its ``variables.tf`` with python-hcl2.

The generator checks every module call against this before writing a file, so a
typo in an input name fails in tfgen with a clear message rather than later in
``terraform init``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

from tfgen.errors import InputError


@dataclass(frozen=True)
class ModuleVariable:
    """One ``variable`` block of a module."""

    name: str
    type: str
    description: str
    required: bool
    default: Any = None


@dataclass(frozen=True)
class ModuleOutput:
    """One ``output`` block of a module."""

    name: str
    description: str


@dataclass(frozen=True)
class ModuleSchema:
    """The interface of one module folder."""

    name: str
    path: Path
    variables: tuple[ModuleVariable, ...]
    outputs: tuple[ModuleOutput, ...]

    def check_inputs(self, inputs: Mapping[str, Any]) -> list[str]:
        """Return one problem line per unknown or missing required input."""
        known = {variable.name for variable in self.variables}
        problems = [
            f"module '{self.name}': unknown input '{name}' (it takes: {', '.join(sorted(known))})"
            for name in sorted(set(inputs) - known)
        ]
        problems += [
            f"module '{self.name}': required input '{variable.name}' is missing"
            for variable in self.variables
            if variable.required and variable.name not in inputs
        ]
        return problems


def unquote(value: Any) -> str:
    """Turn python-hcl2's kept quotes and ``${...}`` wrappers back into plain text."""
    text = str(value)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return re.sub(r'\\(["\\nt])', _unescape, text[1:-1])
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def _unescape(match: re.Match[str]) -> str:
    return {"n": "\n", "t": "\t"}.get(match.group(1), match.group(1))


def _plain(value: Any) -> Any:
    """Strip python-hcl2's kept quotes from every string inside ``value``."""
    if isinstance(value, str):
        return unquote(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {unquote(key): _plain(item) for key, item in value.items() if key != "__is_block__"}
    return value


def _blocks(parsed: Mapping[str, Any], kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(unquote(name), body) for block in parsed.get(kind, []) for name, body in block.items()]


def _parse(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            parsed: dict[str, Any] = hcl2.load(handle)
    except FileNotFoundError:
        return {}
    except Exception as exc:  # python-hcl2 raises lark errors of many kinds
        raise InputError(f"{path}: cannot parse HCL: {exc}") from None
    return parsed


@cache
def load_module_schema(module_dir: Path) -> ModuleSchema:
    """Read ``variables.tf`` and ``outputs.tf`` of the module in ``module_dir``.

    Raises:
        InputError: the module folder is missing or its files do not parse.
    """
    if not (module_dir / "variables.tf").is_file():
        raise InputError(f"module folder {module_dir} has no variables.tf")
    variables = tuple(
        ModuleVariable(
            name=name,
            type=unquote(body.get("type", "any")),
            description=unquote(body.get("description", "")),
            required="default" not in body,
            default=_plain(body.get("default")),
        )
        for name, body in _blocks(_parse(module_dir / "variables.tf"), "variable")
    )
    outputs = tuple(
        ModuleOutput(name=name, description=unquote(body.get("description", "")))
        for name, body in _blocks(_parse(module_dir / "outputs.tf"), "output")
    )
    return ModuleSchema(name=module_dir.name, path=module_dir, variables=variables, outputs=outputs)
