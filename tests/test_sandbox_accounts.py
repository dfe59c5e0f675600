"""What tfgen set up in a running emulator is remembered for that emulator only."""

from __future__ import annotations

from pathlib import Path

from tfgen.sandbox import Credentials, Sandbox
from tfgen.sandbox_accounts import RECORD_FILE, SandboxAccounts


def _sandbox(pid: int, started_at: str = "2026-11-29T10:00:00+00:00") -> Sandbox:
    return Sandbox(
        endpoint="http://127.0.0.1:4566",
        port=4566,
        pid=pid,
        log_path=Path("/dev/null"),
        started_at=started_at,
    )


CREDENTIALS = Credentials("ASIAEXAMPLE", "secret", "token")
ARN = "arn:aws:sts::111111111111:assumed-role/tfgen-sandbox/tfgen-111111111111"


def test_a_later_run_on_the_same_emulator_reads_what_an_earlier_one_wrote(tmp_path: Path) -> None:
    first = SandboxAccounts(_sandbox(100), tmp_path)
    first.remember_credentials("111111111111", CREDENTIALS, ARN)
    first.remember_prepared("111111111111 us-east-1 bucket table")
    later = SandboxAccounts(_sandbox(100), tmp_path)
    assert later.credentials("111111111111") == (CREDENTIALS, ARN)
    assert later.credentials("222222222222") is None
    assert later.prepared("111111111111 us-east-1 bucket table")
    assert not later.prepared("222222222222 us-east-1 bucket table")


def test_a_restarted_emulator_is_empty_so_the_record_is_ignored(tmp_path: Path) -> None:
    SandboxAccounts(_sandbox(100), tmp_path).remember_prepared("key")
    assert not SandboxAccounts(_sandbox(101), tmp_path).prepared("key")
    assert not SandboxAccounts(_sandbox(100, "2026-11-29T11:00:00+00:00"), tmp_path).prepared("key")


def test_a_damaged_record_is_ignored(tmp_path: Path) -> None:
    for damage in ("", "{", "[]", '{"instance": 1}', '{"accounts": [], "prepared": {}}'):
        (tmp_path / RECORD_FILE).write_text(damage)
        record = SandboxAccounts(_sandbox(100), tmp_path)
        assert record.credentials("111111111111") is None
        assert not record.prepared("key")
        record.remember_prepared("key")  # and it is written anew
        assert SandboxAccounts(_sandbox(100), tmp_path).prepared("key")


def test_an_unwritable_record_costs_only_the_questions(tmp_path: Path) -> None:
    blocked = tmp_path / "work"
    blocked.write_text("a file where the work folder would be")
    record = SandboxAccounts(_sandbox(100), blocked)
    record.remember_credentials("111111111111", CREDENTIALS, ARN)
    assert record.credentials("111111111111") == (CREDENTIALS, ARN)  # kept in memory
