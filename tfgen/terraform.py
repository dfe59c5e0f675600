"""The one subprocess wrapper for the terraform CLI.

An argument list, an explicit environment, output streamed live (or captured),
a timeout, and SIGINT/SIGTERM forwarded to terraform: terraform runs in its own
session so a Ctrl-C reaches it once, through us, and it can stop cleanly and
release the state lock instead of being killed mid-write.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tfgen.errors import InputError, InterruptedRunError, LockHeldError, RunError, output_tail

# How long terraform gets to stop cleanly after an interrupt or a timeout.
_GRACE_SECONDS = 60.0


@dataclass(frozen=True)
class TerraformResult:
    """What one terraform run returned."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def find_terraform(configured: str | None = None) -> str:
    """Return the terraform (or OpenTofu) executable to use.

    Raises:
        InputError: none configured and none on PATH.
    """
    candidates = [configured] if configured else ["terraform", "tofu"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise InputError(
        "terraform not found: install terraform (or OpenTofu) on PATH, or set TFGEN_TERRAFORM"
        + (f" (looked for '{configured}')" if configured else "")
    )


class Terraform:
    """Runs terraform in one folder with one environment."""

    def __init__(
        self,
        binary: str,
        *,
        cwd: Path,
        env: Mapping[str, str],
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.binary = binary
        self.cwd = cwd
        self.env = dict(env)
        self.echo = echo

    def run(
        self,
        *args: str,
        stream: bool = True,
        check: bool = True,
        timeout: float | None = None,
        stdin: str | None = None,
    ) -> TerraformResult:
        """Run ``terraform ARGS``.

        Args:
            args: the arguments after ``terraform``.
            stream: echo output lines live (stderr merged in); otherwise capture
                stdout and stderr separately and print nothing.
            check: raise on a non-zero exit code.
            timeout: seconds before terraform is interrupted (then killed).
            stdin: text fed to standard input.

        Raises:
            LockHeldError: another run holds the state lock.
            RunError: terraform failed, timed out or was interrupted.
        """
        command = (self.binary, *args)
        started = time.monotonic()
        # The handlers are in place before terraform starts: a Ctrl-C in between
        # would otherwise kill us and leave terraform running detached, holding
        # the state lock. A signal that arrives before the process exists is
        # passed on as soon as it does.
        with forwarding_signals():
            if RUNNING.stopping.is_set():
                raise _interrupted(args)
            try:
                process = subprocess.Popen(
                    command,
                    cwd=self.cwd,
                    env=self.env,
                    stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT if stream else subprocess.PIPE,
                    text=True,
                    bufsize=1,
                    start_new_session=True,
                )
            except OSError as exc:
                raise RunError(f"cannot start {self.binary}: {exc}") from None
            interrupted = RUNNING.add(process)
            try:
                timer = _Deadline(process, timeout)
                stdout, stderr = self._collect(process, stream, stdin)
                timer.cancel()
            finally:
                RUNNING.remove(process)
        result = TerraformResult(
            args=tuple(args),
            returncode=process.returncode,
            stdout=stdout,
            stderr=stderr,
            seconds=time.monotonic() - started,
        )
        name = args[0] if args else "terraform"
        if interrupted.is_set():
            raise _interrupted(args)
        if timer.fired:
            raise RunError(
                f"terraform {name} took longer than {timeout:.0f} s and was stopped",
                hint="set TF_LOG=DEBUG to see which call it waited on",
            )
        if check and result.returncode != 0:
            raise _failure(name, result, stream)
        return result

    def _collect(
        self, process: subprocess.Popen[str], stream: bool, stdin: str | None
    ) -> tuple[str, str]:
        if not stream:
            stdout, stderr = process.communicate(stdin)
            return stdout, stderr
        if stdin is not None and process.stdin is not None:
            process.stdin.write(stdin)
            process.stdin.close()
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if self.echo is not None:
                self.echo(line.rstrip("\n"))
        process.wait()
        return "".join(lines), ""


def _interrupted(args: Sequence[str]) -> InterruptedRunError:
    name = args[0] if args else "terraform"
    return InterruptedRunError(
        f"terraform {name} was interrupted; terraform stopped and released its lock",
        hint="run the same command again when ready",
    )


class _Running:
    """Every terraform this process runs (several at once for several roots).

    One Ctrl-C (or SIGTERM) must reach all of them, so each stops cleanly and
    releases its state lock, and no new one starts after it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: dict[subprocess.Popen[str], threading.Event] = {}
        self.stopping = threading.Event()

    def add(self, process: subprocess.Popen[str]) -> threading.Event:
        """Track ``process``; the returned event is set when it was interrupted."""
        interrupted = threading.Event()
        with self._lock:
            self._processes[process] = interrupted
            stopping = self.stopping.is_set()
        if stopping:  # the signal came while it was starting
            interrupted.set()
            process.send_signal(signal.SIGINT)
        return interrupted

    def remove(self, process: subprocess.Popen[str]) -> None:
        """Stop tracking ``process`` (it has exited)."""
        with self._lock:
            self._processes.pop(process, None)

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: pass the interrupt on to every running terraform."""
        self.stopping.set()
        with self._lock:
            processes = list(self._processes.items())
        for process, interrupted in processes:
            interrupted.set()
            if process.poll() is None:
                # terraform treats the first SIGINT as "stop gracefully", the
                # second as "stop now"; we forward each one the user sends.
                process.send_signal(signal.SIGINT)


RUNNING = _Running()
_installed = threading.local()


@contextmanager
def forwarding_signals() -> Iterator[None]:
    """While the block runs, SIGINT/SIGTERM reach every terraform instead of killing tfgen.

    Installed in the main thread only (Python delivers signals there), once: a
    run of several roots installs it around all of them, and the terraform
    calls inside (on other threads) use it. At the end of the outermost block
    the previous handlers come back and a later run starts afresh.
    """
    if threading.current_thread() is not threading.main_thread() or getattr(
        _installed, "active", False
    ):
        yield
        return
    previous = {signum: signal.signal(signum, RUNNING.interrupt) for signum in _SIGNALS}
    _installed.active = True
    try:
        yield
    finally:
        _installed.active = False
        for signum, handler in previous.items():
            if handler is not None:  # None: set outside Python, cannot be put back
                signal.signal(signum, handler)
        RUNNING.stopping.clear()


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Deadline:
    """Interrupt terraform after ``timeout`` seconds, then kill it after a grace period."""

    def __init__(self, process: subprocess.Popen[str], timeout: float | None) -> None:
        self.process = process
        self.fired = False
        self.timer: threading.Timer | None = None
        if timeout is not None:
            self.timer = threading.Timer(timeout, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


_LOCK_FIELDS = re.compile(r"^\s*(ID|Path|Operation|Who|Created):\s*(.*)$", re.MULTILINE)


def _failure(name: str, result: TerraformResult, streamed: bool) -> RunError:
    text = result.stdout + result.stderr
    if "Error acquiring the state lock" in text:
        fields = dict(_LOCK_FIELDS.findall(text))
        holder = ", ".join(f"{key.lower()} {value}" for key, value in fields.items() if value)
        return LockHeldError(
            f"the state is locked by another run ({holder or 'details above'})",
            hint="wait for that run to finish, or pass --lock-timeout 5m to wait for it",
            lock_id=fields.get("ID"),
        )
    tail = "" if streamed else "\n" + output_tail(text, 25)
    return RunError(f"terraform {name} failed (exit {result.returncode}){tail}")


def terraform_env(
    base: Mapping[str, str],
    *,
    data_dir: Path,
    cli_config: Path | None,
    plugin_cache: Path,
    extra: Mapping[str, str] | None = None,
    drop_prefixes: Sequence[str] = (),
) -> dict[str, str]:
    """The explicit environment terraform runs with.

    Args:
        base: usually ``os.environ``.
        data_dir: TF_DATA_DIR (one per environment and target).
        cli_config: TF_CLI_CONFIG_FILE to use, or None to keep the user's.
        plugin_cache: shared provider cache, so N environments share one copy.
        extra: variables set last (the sandbox's endpoint and fake credentials).
        drop_prefixes: variables of ``base`` with these prefixes are removed
            (the sandbox drops ``AWS_`` so a real profile can never leak in).
    """
    env = {
        key: value
        for key, value in base.items()
        if not any(key.startswith(prefix) for prefix in drop_prefixes)
    }
    env.update(
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
        TF_DATA_DIR=str(data_dir),
        TF_PLUGIN_CACHE_DIR=str(plugin_cache),
    )
    if cli_config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(cli_config)
    env.update(extra or {})
    return env
