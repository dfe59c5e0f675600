"""Wrapper tests: tfgen's own timeout and signal code, driven by a small fake terraform.

The fake is a shell script that sleeps and records the signals it gets. It stands
in for nothing terraform itself does; it only lets these tests reach the
wrapper's timeout and interrupt branches in a second instead of minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tfgen.errors import InterruptedRunError, LockHeldError, RunError
from tfgen.terraform import Terraform

FAKE = """\
#!/bin/sh
# Fake terraform for wrapper tests: record SIGINT, then exit as terraform does.
trap 'echo interrupted >> "$MARKS"; exit 1' INT
echo "started $*" >> "$MARKS"
i=0
while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
echo finished >> "$MARKS"
"""


@pytest.fixture
def fake(tmp_path: Path) -> tuple[Path, Path]:
    script = tmp_path / "terraform"
    script.write_text(FAKE)
    script.chmod(0o755)
    return script, tmp_path / "marks"


def _marks(path: Path) -> list[str]:
    return path.read_text().split("\n")[:-1] if path.exists() else []


def test_tfgens_timeout_interrupts_terraform(fake: tuple[Path, Path], tmp_path: Path) -> None:
    script, marks = fake
    runner = Terraform(str(script), cwd=tmp_path, env={**os.environ, "MARKS": str(marks)})
    started = time.monotonic()
    with pytest.raises(RunError, match="took longer than 1 s and was stopped"):
        runner.run("apply", timeout=1)
    assert time.monotonic() - started < 10
    assert _marks(marks) == ["started apply", "interrupted"]


def test_a_lock_error_carries_the_lock_id(tmp_path: Path) -> None:
    script = tmp_path / "terraform"
    script.write_text(
        textwrap.dedent(
            """\
            #!/bin/sh
            cat <<'EOF'
            Error: Error acquiring the state lock
            Lock Info:
              ID:        0b7e2c9a-1111-2222-3333-444455556666
              Path:      bucket/tfgen/dev/terraform.tfstate
              Operation: OperationTypeApply
              Who:       ci@runner
              Created:   2026-11-29 10:00:00 +0000 UTC
            EOF
            exit 1
            """
        )
    )
    script.chmod(0o755)
    with pytest.raises(LockHeldError) as caught:
        Terraform(str(script), cwd=tmp_path, env=dict(os.environ)).run("plan")
    assert caught.value.lock_id == "0b7e2c9a-1111-2222-3333-444455556666"
    assert "who ci@runner" in caught.value.message


DRIVER = """\
import os, sys
from pathlib import Path
from tfgen.errors import InterruptedRunError
from tfgen.terraform import Terraform

Path(sys.argv[2]).write_text("handlers in place\\n")  # the test signals us after this
try:
    Terraform(sys.argv[1], cwd=Path.cwd(), env=dict(os.environ)).run("apply")
except InterruptedRunError as exc:
    print("INTERRUPTED:", exc.message)
    sys.exit(7)
"""


def test_ctrl_c_reaches_terraform_and_tfgen_waits_for_it(fake: tuple[Path, Path], tmp_path: Path) -> None:
    script, marks = fake
    ready = tmp_path / "ready"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    process = subprocess.Popen(
        [sys.executable, str(driver), str(script), str(ready)],
        env={**os.environ, "MARKS": str(marks)},
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not _marks(marks) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 7, out
    assert "INTERRUPTED: terraform apply was interrupted" in out
    # terraform got the interrupt and stopped; it is not left running detached.
    assert _marks(marks) == ["started apply", "interrupted"]


def test_a_signal_before_terraform_starts_is_passed_on(
    fake: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, marks = fake
    real_popen = subprocess.Popen

    def popen_after_a_ctrl_c(*args: object, **kwargs: object) -> subprocess.Popen[str]:
        # The window the handlers must cover: a Ctrl-C just before terraform exists.
        os.kill(os.getpid(), signal.SIGINT)
        return real_popen(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "Popen", popen_after_a_ctrl_c)
    runner = Terraform(str(script), cwd=tmp_path, env={**os.environ, "MARKS": str(marks)})
    started = time.monotonic()
    with pytest.raises(InterruptedRunError):
        runner.run("apply", timeout=60)
    # The fake runs 30 s unless interrupted; run() returns only once it has exited.
    assert time.monotonic() - started < 10
    assert "finished" not in _marks(marks)
