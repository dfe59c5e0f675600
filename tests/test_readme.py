"""The README stays true: its posture table lists exactly the inventory's waivers."""

from __future__ import annotations

from tfgen.emulator_limits import CANNOT_CREATE
from tfgen.inventory import load_inventory

from .conftest import REPO


def test_posture_table_lists_every_waiver() -> None:
    readme = (REPO / "README.md").read_text()
    table = readme.split("## Security posture: waived checkov checks", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| CKV")]
    waivers = load_inventory(REPO / "inventory.yaml").waivers
    expected = [
        f"| {w.check} | `{w.resource}` | {', '.join(w.environments) or 'all'} | {' '.join(w.reason.split())} |"
        for w in waivers
    ]
    assert rows == expected


def test_quickstart_is_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "pip install -e . && tfgen plan dev --sandbox\npip install nox && nox -s tests\n" in readme


def test_sandbox_limits_table_names_every_type_and_remedy_the_tool_refuses() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## What the sandbox cannot apply", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `aws_")]
    for kind, limit in CANNOT_CREATE.items():
        row = next((line for line in rows if f"`{kind}`" in line), None)
        assert row is not None, kind
        assert row.rstrip(" |").endswith(limit.avoid), (kind, row)
