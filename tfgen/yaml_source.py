"""Read YAML while remembering the line every value came from.

Errors about the inventory must name the file, the line and the dotted field
path; plain ``yaml.safe_load`` forgets lines, so this composes the node tree and
builds plain Python values plus a path ➜ line map in one walk.
"""

from __future__ import annotations

from collections.abc import Iterator
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


# Bounds that no real inventory reaches and hostile input does at once: an
# alias bomb (anchors that each repeat the one before) is a few lines of YAML
# that expand to billions of values.
MAX_BYTES = 4 * 1024 * 1024
MAX_VALUES = 250_000
MAX_DEPTH = 64

_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# libyaml's parser when PyYAML was built with it: the same nodes, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooBig(Exception):
    """The document exceeds one of the bounds; the message says which."""


def load_yaml(path: Path) -> SourceDocument:
    """Load one YAML file with line numbers.

    Merge keys (``<<: *defaults``) are honoured as YAML defines them: keys
    written in the mapping win over merged ones, and a merged value keeps the
    line where it is written (in the anchored mapping).

    Raises:
        InventoryError: the file is missing, unreadable, too big, not YAML, has
            duplicate or non-string keys, or expands past the bounds above.
    """
    try:
        # Read at most one byte past the bound: a device or pipe (/dev/zero) has
        # no size to check beforehand.
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InventoryError(
                [f"{path}: larger than the {MAX_BYTES} bytes an inventory may have"]
            )
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InventoryError([f"{path}: no such file (give one with --inventory/-i)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError([f"{path}: cannot read: {exc}"]) from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InventoryError([f"{where}: not valid YAML: {problem}"]) from None
    except RecursionError:
        raise InventoryError([f"{path}: nested too deeply to be an inventory"]) from None
    if node is None:
        return SourceDocument(path=path, data={}, lines={(): 1})
    lines: dict[FieldPath, int] = {}
    problems: list[str] = []
    walk = _Walk(path, lines, problems)
    try:
        data = walk.value(node, ())
    except _TooBig as exc:
        raise InventoryError([f"{path}:{exc.args[1]}: {exc.args[0]}"]) from None
    if problems:
        raise InventoryError(problems)
    return SourceDocument(path=path, data=data, lines=lines)


class _Walk:
    """Turns a composed node tree into plain values and a path ➜ line map, within bounds."""

    def __init__(self, file: Path, lines: dict[FieldPath, int], problems: list[str]) -> None:
        self.file = file
        self.lines = lines
        self.problems = problems
        self.values = 0
        # SafeConstructor gives YAML 1.1 typing (ints, bools, nulls) without a full load.
        self.constructor = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node, path: FieldPath) -> Any:
        line = node.start_mark.line + 1
        self.values += 1
        if self.values > MAX_VALUES:
            raise _TooBig(
                f"more than {MAX_VALUES} values once anchors and aliases are expanded"
                " (an alias bomb?)",
                line,
            )
        if len(path) > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep", line)
        self.lines[path] = line
        if node.tag not in _PLAIN_TAGS and not isinstance(node, yaml.ScalarNode):
            # Scalars' tags are judged by the safe constructor; a tag on a mapping or
            # a list would otherwise be dropped without a word.
            self.problems.append(
                f"{self.file}:{line}: {dotted(path) or '(top)'}: the tag {node.tag} is not"
                " allowed in an inventory"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged += self._merge_sources(value_node, path)
                continue
            # A mapping or list as a key (possible in YAML) is refused before it is built.
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{self.file}:{key_node.start_mark.line + 1}"
            if not isinstance(key, str):
                shown = repr(key) if key is not None else "(not a plain string)"
                self.problems.append(
                    f"{where}: {dotted(path) or '(top)'}: key {shown} is not a string"
                )
                continue
            if key in result:
                self.problems.append(f"{where}: {dotted((*path, key))}: duplicate key")
                continue
            result[key] = self.value(value_node, (*path, key))
            # A key's own line reads better than its value's for block values.
            self.lines[(*path, key)] = key_node.start_mark.line + 1
        # Keys written in the mapping win; among merged mappings, the first wins,
        # and a merged mapping's own merges come after its written keys.
        for key_node, value_node in self._merged_pairs(merged, path, depth=0):
            key = self._scalar(key_node, path)
            if isinstance(key, str) and key not in result:
                result[key] = self.value(value_node, (*path, key))
                self.lines[(*path, key)] = key_node.start_mark.line + 1
        return result

    def _merged_pairs(
        self, sources: list[yaml.MappingNode], path: FieldPath, depth: int
    ) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
        if depth > MAX_DEPTH:
            raise _TooBig(f"merge keys nested more than {MAX_DEPTH} levels deep", 1)
        for source in sources:
            nested: list[yaml.MappingNode] = []
            for key_node, value_node in source.value:
                if key_node.tag == _MERGE_TAG:
                    nested += self._merge_sources(value_node, path)
                elif isinstance(key_node, yaml.ScalarNode):
                    yield key_node, value_node
            yield from self._merged_pairs(nested, path, depth + 1)

    def _merge_sources(self, node: yaml.Node, path: FieldPath) -> list[yaml.MappingNode]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if all(isinstance(source, yaml.MappingNode) for source in sources):
            return list(sources)
        where = f"{self.file}:{node.start_mark.line + 1}"
        self.problems.append(
            f"{where}: {dotted(path) or '(top)'}: a merge key (<<) takes a mapping"
            " or a list of mappings"
        )
        return []

    def _scalar(self, node: yaml.Node, path: FieldPath) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            where = f"{self.file}:{node.start_mark.line + 1}"
            problem = getattr(exc, "problem", None) or str(exc)
            if "digits" in problem:  # Python's int() limit, in Python's words
                problem = "a number too long to be a value"
            self.problems.append(f"{where}: {dotted(path) or '(top)'}: {problem}")
            return None
