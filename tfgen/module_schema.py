"""What each reusable module accepts and carries, read from its own files.

``variables.tf`` and ``outputs.tf`` (read with python-hcl2) give its inputs, with
their ``validation`` conditions, and its outputs; ``waivers.yaml`` gives the
checkov findings the module carries by design, each with its reason. The
generator checks every module call against this before writing a file, so a bad
input fails in tfgen with a clear message rather than later in terraform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tfgen.errors import InputError
from tfgen.hcl import Expr
from tfgen.hcl_cache import parse_hcl_file
from tfgen.hcl_eval import UNKNOWN, condition_holds


@dataclass(frozen=True)
class Validation:
    """One ``validation`` block: a condition on the variable and its message."""

    condition: str
    error_message: str


@dataclass(frozen=True)
class ModuleVariable:
    """One ``variable`` block of a module."""

    name: str
    type: str
    description: str
    required: bool
    default: Any = None
    validations: tuple[Validation, ...] = ()


@dataclass(frozen=True)
class ModuleWaiver:
    """A checkov finding every use of the module gets, by its design or checkov's misreading.

    ``resource`` is the address inside the module (``aws_subnet.public``), or
    ``all``; the generator prefixes it with each module call's address.
    """

    check: str
    resource: str
    reason: str


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
    waivers: tuple[ModuleWaiver, ...] = ()

    @property
    def output_names(self) -> frozenset[str]:
        """Names of the module's outputs."""
        return frozenset(output.name for output in self.outputs)

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

    def check_validations(self, inputs: Mapping[str, Any]) -> list[str]:
        """Return the error message of each ``validation`` the inputs definitely fail.

        Values only known at plan time (references to other modules) are
        unknown here; a condition that depends on them is not judged.
        """
        values = {
            variable.name: _known(inputs[variable.name])
            if variable.name in inputs
            else variable.default
            for variable in self.variables
        }
        return [
            f"{variable.name}: {check.error_message}"
            for variable in self.variables
            if variable.name in inputs
            for check in variable.validations
            if _holds(check.condition, values) is False
        ]


def _known(value: Any) -> Any:
    """The value as the evaluator sees it: references are unknown."""
    if isinstance(value, Expr):
        return UNKNOWN
    if isinstance(value, Mapping):
        return {str(key): _known(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_known(item) for item in value]
    return value


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
        return parse_hcl_file(path)
    except FileNotFoundError:
        return {}
    except Exception as exc:  # python-hcl2 raises lark errors of many kinds
        raise InputError(f"{path}: cannot parse HCL: {exc}") from None


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
            validations=tuple(
                Validation(unquote(v["condition"]), unquote(v.get("error_message", "")))
                for v in body.get("validation", [])
            ),
        )
        for name, body in _blocks(_parse(module_dir / "variables.tf"), "variable")
    )
    outputs = tuple(
        ModuleOutput(name=name, description=unquote(body.get("description", "")))
        for name, body in _blocks(_parse(module_dir / "outputs.tf"), "output")
    )
    return ModuleSchema(
        name=module_dir.name,
        path=module_dir,
        variables=variables,
        outputs=outputs,
        waivers=_waivers(module_dir / WAIVERS_FILE),
    )


# Conditions evaluated so far, by condition and the values it reads: roots made
# from one inventory pass mostly the same values, so most are decided once.
_decided: dict[tuple[str, str], bool | None] = {}
_VAR_RE = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")


def _holds(condition: str, values: Mapping[str, Any]) -> bool | None:
    read = sorted(set(_VAR_RE.findall(condition)))
    try:
        key = (condition, json.dumps([values.get(name, _MISSING) for name in read], default=_tag))
    except (TypeError, ValueError):  # a value JSON cannot say: decide it afresh
        return condition_holds(condition, values)
    if key not in _decided:
        _decided[key] = condition_holds(condition, values)
    return _decided[key]


_MISSING = object()


def _tag(value: Any) -> Any:
    if value is UNKNOWN:
        return {"\u0000tfgen": "unknown"}
    if value is _MISSING:
        return {"\u0000tfgen": "missing"}
    raise TypeError(f"{type(value).__name__} is not JSON")


WAIVERS_FILE = "waivers.yaml"
_CHECK_RE = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


def _waivers(path: Path) -> tuple[ModuleWaiver, ...]:
    if not path.is_file():
        return ()
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    waivers = []
    for index, entry in enumerate(entries if isinstance(entries, list) else [entries]):
        fields = entry if isinstance(entry, dict) else {}
        check, resource, reason = (
            str(fields.get(k, "")).strip() for k in ("check", "resource", "reason")
        )
        if set(fields) != {"check", "resource", "reason"} or not _CHECK_RE.match(check):
            raise InputError(
                f"{path}: entry {index}: give exactly check (a checkov id), resource, reason"
            )
        if not resource or len(reason) < 15:
            raise InputError(f"{path}: entry {index}: name a resource and say why (15+ characters)")
        waivers.append(
            ModuleWaiver(check=check, resource=resource, reason=" ".join(reason.split()))
        )
    return tuple(waivers)
