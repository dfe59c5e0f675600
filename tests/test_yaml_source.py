"""Reading YAML with lines: merge keys, and hostile input refused quickly and cleanly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tfgen.errors import InventoryError
from tfgen.yaml_source import MAX_BYTES, load_yaml

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return path


def _refused(path: Path) -> str:
    started = time.process_time()  # this process's CPU: other tests' load does not count
    with pytest.raises(InventoryError) as excinfo:
        load_yaml(path)
    assert time.process_time() - started < 1.0
    return excinfo.value.message


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    assert "alias bomb" in _refused(_write(tmp_path, BOMB))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    assert "nested" in _refused(_write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))
    assert "nest" in _refused(_write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n"))


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "a: b\n" + "#" * MAX_BYTES)
    assert f"larger than the {MAX_BYTES} bytes an inventory may have" in _refused(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: !!python/object:os.system x\n", "could not determine a constructor"),
        ("a: " + "9" * 5000 + "\n", "inventory.yaml:1: a:"),
        ("? [1, 2]\n: x\n", "is not a string"),
        ("a: {<<: [1, 2]}\n", "a merge key (<<) takes a mapping"),
        ("a: 1\na: 2\n", "duplicate key"),
    ],
)
def test_odd_yaml_is_a_clear_problem(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _refused(_write(tmp_path, text))


MERGES = """\
base: &base
  region: us-east-1
  tags: {Team: core}
more: &more
  <<: *base
  size: small
envs:
  dev:
    <<: *more
    region: eu-west-1
  prod:
    <<: [*base, {size: large}]
"""


def test_merge_keys_work_with_the_lines_of_the_merged_values(tmp_path: Path) -> None:
    document = load_yaml(_write(tmp_path, MERGES))
    assert document.data["envs"] == {
        "dev": {"region": "eu-west-1", "size": "small", "tags": {"Team": "core"}},
        "prod": {"region": "us-east-1", "tags": {"Team": "core"}, "size": "large"},
    }
    lines = document.lines
    assert lines[("envs", "dev", "region")] == 10  # written here: wins over the merge
    assert lines[("envs", "dev", "size")] == 6  # from &more
    assert lines[("envs", "dev", "tags", "Team")] == 3  # from &base, through &more
    assert lines[("envs", "prod", "region")] == 2


def test_an_endless_device_is_refused(tmp_path: Path) -> None:
    assert "larger than the" in _refused(Path("/dev/zero"))


def test_a_folder_is_not_an_inventory(tmp_path: Path) -> None:
    assert "cannot read" in _refused(tmp_path)


@pytest.mark.parametrize("text", ["dev: !python/object:foo {a: 1}\n", "dev: !custom [1, 2]\n"])
def test_a_tag_on_a_mapping_or_a_list_is_refused(tmp_path: Path, text: str) -> None:
    message = _refused(_write(tmp_path, text))
    assert "inventory.yaml:1: dev: the tag !" in message and "is not allowed in an inventory" in message


def test_a_number_too_long_is_refused_in_plain_words(tmp_path: Path) -> None:
    message = _refused(_write(tmp_path, f"n: {'9' * 5000}\n"))
    assert "inventory.yaml:1: n: a number too long to be a value" in message
