"""Read YAML while remembering the line every value came from.

Errors about the inventory must name the file, the line and the dotted field
path; plain ``yaml.safe_load`` forgets lines, so this composes the node tree and
builds plain Python values plus a path ➜ line map in one walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tfgen.errors import InventoryError

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceDocument:
    """A YAML document as plain data, with the line of every value in it."""

    path: Path
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, path: FieldPath) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def dotted(path: FieldPath) -> str:
    """Render a field path as ``a.b[0].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_yaml(path: Path) -> SourceDocument:
    """Load one YAML file with line numbers.

    Raises:
        InventoryError: the file is missing, unreadable, not YAML, has duplicate
            keys or non-string keys.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError([f"{path}: no such file (give one with --inventory/-i)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError([f"{path}: cannot read: {exc}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InventoryError([f"{where}: not valid YAML: {problem}"]) from None
    if node is None:
        return SourceDocument(path=path, data={}, lines={(): 1})
    lines: dict[FieldPath, int] = {}
    problems: list[str] = []
    data = _to_python(node, (), lines, problems, path)
    if problems:
        raise InventoryError(problems)
    return SourceDocument(path=path, data=data, lines=lines)


def _to_python(
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    problems: list[str],
    file: Path,
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            where = f"{file}:{key_node.start_mark.line + 1}"
            if not isinstance(key, str):
                problems.append(f"{where}: {dotted(path) or '(top)'}: key {key!r} is not a string")
                continue
            if key in result:
                problems.append(f"{where}: {dotted((*path, key))}: duplicate key")
                continue
            result[key] = _to_python(value_node, (*path, key), lines, problems, file)
            # A key's own line reads better than its value's for block values.
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*path, index), lines, problems, file)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    # SafeConstructor gives YAML 1.1 typing (ints, bools, nulls) without a full load.
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
