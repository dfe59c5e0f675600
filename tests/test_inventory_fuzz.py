"""Mutations of the real inventory: every one ends in exit 0 or 2, never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tfgen.cli import app

from .conftest import REPO, make_project

ORIGINAL: dict[str, Any] = yaml.safe_load((REPO / "inventory.yaml").read_text())

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.sampled_from(["10.0.0.0/8", "0.0.0.0/0", "us-east-1", "dev", "all", "", "${var.x}", "../.."]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


PATHS = [path for path in _paths(ORIGINAL) if path]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = yaml.safe_load((REPO / "inventory.yaml").read_text())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        last = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not isinstance(parent, dict | list):
            continue
        if isinstance(parent, list) and not (isinstance(last, int) and last < len(parent)):
            continue
        if isinstance(parent, dict) and last not in parent:
            continue
        if action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(values)
        else:
            parent[last] = draw(values)
    return data


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=int(os.environ.get("TFGEN_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated())
def test_a_mutated_inventory_is_valid_or_refused_cleanly(data: dict[str, Any], fuzz_project: Path) -> None:
    inventory = fuzz_project / "inventory.yaml"
    inventory.write_text(yaml.safe_dump(data, sort_keys=False))
    started = time.process_time()  # this process's CPU: other tests' load does not count
    result = CliRunner().invoke(app, ["-i", str(inventory), "validate"])
    elapsed = time.process_time() - started
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert elapsed < 2.0, f"validate took {elapsed:.2f} s"
