"""The sandbox's extensions of moto: found by module, installed by the server, self-checked."""

from __future__ import annotations

import subprocess
import sys

import boto3
import pytest

from tfgen import moto_ext
from tfgen.moto_ext import _extension, _selfcheck
from tfgen.moto_ext._extension import Extension, Graft
from tfgen.sandbox import Sandbox

from .conftest import REPO

NAMES = [extension.name for extension in moto_ext.extensions()]


def test_each_module_of_the_package_is_one_extension_named_after_it() -> None:
    modules = sorted(
        path.stem for path in (REPO / "tfgen" / "moto_ext").glob("*.py") if not path.name.startswith("_")
    )
    assert modules == NAMES
    for extension in moto_ext.extensions():
        assert extension.summary and extension.operations and extension.grafts


@pytest.mark.parametrize("name", NAMES)
def test_each_check_passes_against_the_sandbox_server(name: str, aws: boto3.Session) -> None:
    # The same check that tells whether plain moto covers the extension proves,
    # here, that the running server has it.
    extension = next(e for e in moto_ext.extensions() if e.name == name)
    assert extension.check(aws)


def test_the_self_check_command_says_plain_moto_covers_none_of_them() -> None:
    # A new process: this one may have extended moto already.
    result = subprocess.run(
        [sys.executable, "-m", "tfgen.moto_ext"], capture_output=True, text=True, timeout=300, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("moto 5.2.")
    for name in NAMES:
        line = next(line for line in lines if line.strip().startswith(name + " "))
        assert "still needed" in line, line
    assert lines[-1] == "moto covers none of them yet"


def test_a_check_that_plain_moto_passes_is_reported_as_covered(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the command prints once moto implements an extension's operations.
    monkeypatch.setattr(_selfcheck, "installed", lambda: False)
    covered = Extension("covered", "x", ("ListBuckets",), (), lambda s: s.client("s3").list_buckets() is not None)
    failing = Extension("failing", "x", ("X",), (), lambda s: s.client("sts").nope())  # type: ignore[attr-defined]
    assert _selfcheck.check_against_plain_moto(covered).covered
    verdict = _selfcheck.check_against_plain_moto(failing)
    assert not verdict.covered and "AttributeError" in verdict.detail


def test_checking_plain_moto_is_refused_once_moto_is_extended_in_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_selfcheck, "installed", lambda: True)
    with pytest.raises(RuntimeError, match="new one"):
        _selfcheck.check_against_plain_moto(moto_ext.extensions()[0])


class _Target:
    def __init__(self, value: int) -> None:
        self.value = value

    def answer(self) -> str:
        return "moto's"


def test_a_graft_adds_methods_and_runs_extend_init_after_the_targets_init(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_extension, "_owners", {})
    monkeypatch.setattr(_extension, "_init_hooks", {})

    class Mixin:
        def extend_init(self) -> None:
            self.doubled = self.value * 2  # type: ignore[attr-defined]

        def answer(self) -> str:
            return "extended"

    target = type("Target", (_Target,), {})
    _extension.apply(Extension("one", "x", ("X",), (Graft(target, Mixin),), lambda s: True))
    made = target(21)
    assert (made.doubled, made.answer()) == (42, "extended")  # type: ignore[attr-defined]
    assert _Target(1).answer() == "moto's"


def test_two_extensions_cannot_graft_the_same_attribute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_extension, "_owners", {})
    target = type("Target", (_Target,), {})

    class First:
        def answer(self) -> str:
            return "first"

    class Second:
        def answer(self) -> str:
            return "second"

    _extension.apply(Extension("first", "x", ("X",), (Graft(target, First),), lambda s: True))
    with pytest.raises(RuntimeError, match=r"second and first both graft Target\.answer"):
        _extension.apply(Extension("second", "x", ("X",), (Graft(target, Second),), lambda s: True))


def test_the_server_installs_every_extension_at_start_up(emulator: Sandbox) -> None:
    log = emulator.log_path.read_text()
    assert f"moto extended with {len(NAMES)} extensions: {', '.join(NAMES)}" in log


def test_an_init_hook_and_a_grafted_init_cannot_share_a_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_extension, "_owners", {})
    monkeypatch.setattr(_extension, "_init_hooks", {})
    target = type("Target", (_Target,), {})

    class Hook:
        def extend_init(self) -> None:
            pass

    class OwnInit:
        def __init__(self, value: int) -> None:
            self.value = value

    _extension.apply(Extension("hook", "x", ("X",), (Graft(target, Hook),), lambda s: True))
    with pytest.raises(RuntimeError, match=r"own and extend_init both graft Target\.__init__"):
        _extension.apply(Extension("own", "x", ("X",), (Graft(target, OwnInit),), lambda s: True))
    other = type("Other", (_Target,), {})
    _extension.apply(Extension("own", "x", ("X",), (Graft(other, OwnInit),), lambda s: True))
    with pytest.raises(RuntimeError, match=r"hook and own both graft Other\.__init__"):
        _extension.apply(Extension("hook", "x", ("X",), (Graft(other, Hook),), lambda s: True))
