"""Where a planned resource is written: its block in a module, and the call in its root.

A plan names resources by address (``module.storage.aws_s3_bucket.this["logs"]``);
a code-scanning page needs a file and a line. tfgen's roots call modules one
level deep, so an address gives the module call (in ``envs/<root>/main.tf``) and
the resource block (in ``modules/<m>/*.tf``), both found by reading the files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tfgen.reports import Location

_MODULE_BLOCK = re.compile(r'^module\s+"([^"]+)"\s*\{', re.MULTILINE)
_SOURCE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.MULTILINE)
_RESOURCE_BLOCK = re.compile(r'^(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{', re.MULTILINE)
_ADDRESS = re.compile(
    r"^(?:module\.(?P<module>[\w-]+)(?:\[[^\]]*\])?\.)?(?P<data>data\.)?(?P<type>[\w-]+)\.(?P<name>[\w-]+)"
)


class Locator:
    """Finds the source lines of the resources of one generated root."""

    def __init__(self, project_root: Path, root_dir: Path) -> None:
        self.project_root = project_root.resolve()
        self.root_dir = root_dir.resolve()
        # Read once per locator: one scan's reports ask about hundreds of addresses.
        self._module_calls = cache(_module_calls)
        self._blocks = cache(_blocks)

    def __call__(self, address: str) -> Sequence[Location]:
        """The resource block first, then the module call; nothing for an unknown address."""
        found = _ADDRESS.match(address)
        if found is None:
            return ()
        kind = "data" if found["data"] else "resource"
        if found["module"] is None:
            block = self._blocks(self.root_dir).get((kind, found["type"], found["name"]))
            return (self._location(*block),) if block else ()
        calls = self._module_calls(self.root_dir / "main.tf")
        call = calls.get(found["module"])
        if call is None:
            return ()
        call_line, source = call
        places = []
        block = self._blocks((self.root_dir / source).resolve()).get(
            (kind, found["type"], found["name"])
        )
        if block is not None:
            places.append(self._location(*block))
        places.append(self._location(self.root_dir / "main.tf", call_line))
        return tuple(places)

    def _location(self, path: Path, line: int) -> Location:
        try:
            uri = path.resolve().relative_to(self.project_root).as_posix()
        except ValueError:
            uri = path.as_posix()
        return Location(uri, line)


def _module_calls(main_tf: Path) -> dict[str, tuple[int, str]]:
    """Module call name -> (line of its block, its source)."""
    try:
        text = main_tf.read_text(encoding="utf-8")
    except OSError:
        return {}
    calls = {}
    for block in _MODULE_BLOCK.finditer(text):
        source = _SOURCE.search(text, block.end())
        if source is not None:
            calls[block.group(1)] = (_line(text, block.start()), source.group(1))
    return calls


def _blocks(folder: Path) -> dict[tuple[str, str, str], tuple[Path, int]]:
    """(resource|data, type, name) -> (file, line) for the ``.tf`` files of a folder."""
    blocks: dict[tuple[str, str, str], tuple[Path, int]] = {}
    for path in sorted(folder.glob("*.tf")):
        text = path.read_text(encoding="utf-8")
        for block in _RESOURCE_BLOCK.finditer(text):
            blocks[(block.group(1), block.group(2), block.group(3))] = (
                path,
                _line(text, block.start()),
            )
    return blocks


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
