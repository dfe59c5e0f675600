"""The README stays true: its tables list exactly what the code has."""

from __future__ import annotations

from tfgen import moto_ext
from tfgen.emulator_limits import CANNOT_CREATE
from tfgen.inventory import load_inventory

from .conftest import REPO


def _section(title: str) -> str:
    readme = (REPO / "README.md").read_text()
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_posture_table_lists_every_waiver() -> None:
    rows = [line for line in _section("Security posture: waived checkov checks").splitlines() if line.startswith("| CKV")]
    waivers = load_inventory(REPO / "inventory.yaml").waivers
    expected = [
        f"| {w.check} | `{w.resource}` | {', '.join(w.environments) or 'all'} | {' '.join(w.reason.split())} |"
        for w in waivers
    ]
    assert rows == expected


def test_quickstart_is_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "pip install -e . && tfgen plan dev --sandbox\npip install nox && nox -s tests\n" in readme


def test_sandbox_limits_table_is_the_list_the_tool_refuses() -> None:
    section = _section("What the sandbox cannot apply")
    rows = [line for line in section.splitlines() if line.startswith("| `aws_")]
    named = {kind for row in rows for kind in row.split("|")[1].replace("`", "").replace(",", " ").split()}
    assert named == set(CANNOT_CREATE)
    for kind, limit in CANNOT_CREATE.items():
        row = next(line for line in rows if f"`{kind}`" in line)
        assert row.rstrip(" |").endswith(limit.avoid), (kind, row)
    if not CANNOT_CREATE:
        assert "There is no resource type of\nthe platform it cannot create today" in section


def test_extensions_table_lists_every_extension_of_the_server() -> None:
    rows = [line for line in _section("What the sandbox server adds to moto").splitlines() if line.startswith("| `")]
    expected = [f"| `{e.name}` | {e.summary} | {', '.join(e.operations)} |" for e in moto_ext.extensions()]
    assert rows == expected
