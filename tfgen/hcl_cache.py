"""Parse HCL with python-hcl2, remembering each result by the text parsed.

python-hcl2 takes about 40 ms per module file and 2 ms per ``validation``
condition, and a plan or a generate reads every module's ``variables.tf`` and
``outputs.tf`` and evaluates every condition: most of a second spent parsing
text that rarely changes. Results are kept as JSON in ``<cache dir>/hcl/``,
keyed by the text and python-hcl2's version, so an edited file or another
python-hcl2 is simply parsed again. JSON, not pickle: a cache file is data
and never code.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import hcl2
from hcl2.api import parses_to_tree
from hcl2.version import __version__ as HCL2_VERSION
from lark import Token, Tree

from tfgen.settings import default_cache_dir

# Bumped when what tfgen stores per file changes.
_FORMAT = "2"


def parse_hcl_file(path: Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """Return ``hcl2.loads`` of the file at ``path``, from the cache when it has it.

    Raises:
        OSError: the file cannot be read.
        Exception: python-hcl2's own parse errors (lark raises many kinds).
    """
    data = path.read_bytes()
    cached = _cache_file("file", data, cache_dir)
    try:
        stored: dict[str, Any] = json.loads(cached.read_bytes())
        return stored
    except (OSError, ValueError):
        pass
    parsed: dict[str, Any] = hcl2.loads(data.decode("utf-8"))
    _store(cached, parsed)
    return parsed


def parse_expression(expression: str, cache_dir: Path | None = None) -> Tree[Any]:
    """Return python-hcl2's parse tree of one HCL expression, from the cache when it has it.

    Raises:
        Exception: python-hcl2's own parse errors (lark raises many kinds).
    """
    cached = _cache_file("expression", expression.encode("utf-8"), cache_dir)
    try:
        stored: Tree[Any] = _tree(json.loads(cached.read_bytes()))
        return stored
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass
    tree = parses_to_tree(f"x = {expression}\n")
    attribute = next(tree.find_data("attribute"))
    parsed: Tree[Any] = attribute.children[-1]
    _store(cached, _plain(parsed))
    return parsed


def _cache_file(kind: str, data: bytes, cache_dir: Path | None) -> Path:
    key = hashlib.sha256(f"{_FORMAT}\0{HCL2_VERSION}\0{kind}\0".encode() + data).hexdigest()
    return (cache_dir or default_cache_dir()) / "hcl" / f"{key}.json"


def _plain(node: Any) -> Any:
    # A tree as lists: ["tree", rule, children] and ["token", type, value].
    if isinstance(node, Token):
        return ["token", node.type, str(node)]
    if isinstance(node, Tree):
        return ["tree", str(node.data), [_plain(child) for child in node.children]]
    raise TypeError(f"unexpected node {node!r}")


def _tree(data: Any) -> Any:
    kind, name, rest = data
    if kind == "token":
        return Token(name, rest)
    if kind == "tree":
        return Tree(name, [_tree(child) for child in rest])
    raise ValueError(f"unexpected cached node {kind!r}")


def _store(path: Path, parsed: dict[str, Any]) -> None:
    # Best effort: a read-only or full cache only costs the next run a parse.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        scratch.write_text(json.dumps(parsed), encoding="utf-8")
        os.replace(scratch, path)
    except OSError:
        pass
