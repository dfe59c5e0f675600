"""The HCL parse cache gives what python-hcl2 gives, and never a stale or broken answer."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest
from hcl2.api import parses_to_tree

from tfgen.hcl_cache import parse_expression, parse_hcl_file
from tfgen.hcl_eval import UNKNOWN, EvalError, _Evaluator, condition_holds
from tfgen.module_schema import load_module_schema

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(p.parent for p in (REPO / "modules").glob("*/variables.tf"))
CONDITIONS = sorted(
    {
        check.condition
        for module in MODULES
        for variable in load_module_schema(module).variables
        for check in variable.validations
    }
)


def _fresh(expression: str) -> object:
    tree = parses_to_tree(f"x = {expression}\n")
    return next(tree.find_data("attribute")).children[-1]


def test_the_modules_have_conditions_to_check() -> None:
    assert len(CONDITIONS) > 50


@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_cached_condition_is_the_tree_python_hcl2_parses(condition: str, tmp_path: Path) -> None:
    first = parse_expression(condition, tmp_path)  # parsed, then stored
    again = parse_expression(condition, tmp_path)  # read back from the cache
    assert first == again == _fresh(condition)
    assert len(list((tmp_path / "hcl").iterdir())) == 1


def test_cached_trees_evaluate_as_fresh_ones(tmp_path: Path) -> None:
    # Each module's own defaults, and the same with every value unknown.
    decided = 0
    for module in MODULES:
        schema = load_module_schema(module)
        defaults = {v.name: v.default for v in schema.variables}
        for values in (defaults, dict.fromkeys(defaults, UNKNOWN)):
            for variable in schema.variables:
                for check in variable.validations:
                    parse_expression(check.condition, tmp_path)
                    warm = parse_expression(check.condition, tmp_path)
                    fresh = _fresh(check.condition)
                    results = [_evaluate(tree, values) for tree in (warm, fresh)]
                    assert results[0] == results[1], check.condition
                    decided += isinstance(results[0], bool)
    assert decided > 50


def _evaluate(tree: object, values: dict[str, object]) -> object:
    try:
        return _Evaluator(dict(values)).eval(tree)
    except EvalError as exc:
        return f"error: {exc}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_a_cached_file_is_what_python_hcl2_loads(module: Path, tmp_path: Path) -> None:
    path = module / "variables.tf"
    expected = hcl2.loads(path.read_text(encoding="utf-8"))
    assert parse_hcl_file(path, tmp_path) == expected
    assert parse_hcl_file(path, tmp_path) == expected


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "variables.tf"
    path.write_text('variable "a" {\n  type = string\n}\n')
    assert '"a"' in parse_hcl_file(path, tmp_path / "cache")["variable"][0]
    path.write_text('variable "b" {\n  type = number\n}\n')
    assert '"b"' in parse_hcl_file(path, tmp_path / "cache")["variable"][0]


def test_a_damaged_cache_entry_is_parsed_again(tmp_path: Path) -> None:
    condition = 'length(var.name) > 0 && can(regex("^[a-z]+$", var.name))'
    parse_expression(condition, tmp_path)
    (entry,) = (tmp_path / "hcl").iterdir()
    for damage in ("", "{not json", '["tree", "x"]', '["pickle", "os", "system"]'):
        entry.write_text(damage)
        assert parse_expression(condition, tmp_path) == _fresh(condition)
    assert condition_holds(condition, {"name": "abc"}) is True
    assert condition_holds(condition, {"name": "ABC"}) is False


def test_an_unwritable_cache_costs_only_a_parse(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")
    condition = "var.days >= 1"
    assert parse_expression(condition, blocked) == _fresh(condition)
