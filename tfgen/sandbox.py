"""The embedded AWS emulator: a moto server kept running between tfgen runs.

``tfgen plan dev --sandbox`` starts moto's server on a free loopback port and
leaves it running, detached, until ``tfgen sandbox stop``; ``plan`` and a later
``apply`` (separate processes) therefore see the same fake account. What runs is
recorded in ``<state_dir>/sandbox.json`` and serialized by a file lock, so two
concurrent tfgen processes never start two emulators for one project.

The emulator holds any number of fake AWS accounts: credentials from
``sts:AssumeRole`` into a role of account N act in account N, with its own
resources (see :meth:`Sandbox.account_session`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tfgen.errors import RunError

if TYPE_CHECKING:
    import boto3

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"
LOCK_FILE = "sandbox.lock"

FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"
# The role assumed to act in another account; moto does not require it to exist.
ACCOUNT_ROLE = "tfgen-sandbox"
HEALTH_PATH = "/_tfgen/health"
# moto answers operations it has not implemented with HTTP 500; SDK default
# retries turn each of those into minutes of waiting.
MAX_ATTEMPTS = 2

_HOST = "127.0.0.1"
_START_TIMEOUT_S = 20.0
_PROBE_TIMEOUT_S = 3.0
_CONNECT_TIMEOUT_S = 1.0
_STOP_TIMEOUT_S = 5.0
_PORT_ATTEMPTS = 3
_LOG_TAIL_LINES = 20

# Emulators this process launched: stop() and status() in the same process (tests,
# a long-lived caller) wait on these exactly and reap them, leaving no zombie.
_launched: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class Credentials:
    """AWS credentials for the emulator; which account they act in is moto's to say."""

    access_key: str
    secret_key: str
    session_token: str | None = None


# The emulator's default account, 123456789012.
DEFAULT_CREDENTIALS = Credentials(FAKE_ACCESS_KEY, FAKE_SECRET_KEY)


@dataclass(frozen=True)
class Sandbox:
    """A running emulator, as recorded in ``<state_dir>/sandbox.json``."""

    endpoint: str
    port: int
    pid: int
    log_path: Path
    started_at: str

    def aws_env(
        self, region: str, credentials: Credentials = DEFAULT_CREDENTIALS
    ) -> dict[str, str]:
        """Return the environment variables that point AWS SDKs and terraform here.

        These only add or override variables. The user's own ``AWS_*`` settings
        (``AWS_PROFILE``, ``AWS_SESSION_TOKEN``, ``AWS_ENDPOINT_URL_S3``, ...) must be
        removed by the caller, or they could win over these: build a child's
        environment as ``os.environ`` minus every ``AWS_*`` variable, plus this
        mapping, which is what :meth:`child_env` returns. The shared config and
        credentials files are replaced by the null device so a ``[default]``
        profile cannot leak in either. The S3 backend additionally needs
        ``-backend-config=use_path_style=true`` at ``terraform init``.

        Args:
            region: The AWS region the client or terraform should use.
            credentials: The credentials to act with; the default account's by default.

        Returns:
            Variable names mapped to their values.
        """
        env = {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": credentials.access_key,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        if credentials.session_token:
            env["AWS_SESSION_TOKEN"] = credentials.session_token
        return env

    def child_env(
        self,
        region: str,
        base: Mapping[str, str] | None = None,
        credentials: Credentials = DEFAULT_CREDENTIALS,
    ) -> dict[str, str]:
        """Build the full environment of a child process that must talk to the emulator.

        Args:
            region: The AWS region the child should use.
            base: The environment to start from; ``os.environ`` when omitted.
            credentials: The credentials to act with; the default account's by default.

        Returns:
            ``base`` without any ``AWS_*`` variable, plus :meth:`aws_env`.
        """
        source = os.environ if base is None else base
        kept = {k: v for k, v in source.items() if not k.startswith("AWS_")}
        return kept | self.aws_env(region, credentials)

    def boto3_session(
        self, region: str, credentials: Credentials = DEFAULT_CREDENTIALS
    ) -> boto3.Session:
        """Return a boto3 session whose clients talk to the emulator, whatever the environment.

        Args:
            region: The region the session's clients use.
            credentials: The credentials to act with; the default account's by default.

        Returns:
            A session that ignores ``AWS_*`` variables and the shared config files,
            uses the given fake credentials, and sends every client to :attr:`endpoint`.
        """
        # Imported here: boto3 takes a tenth of a second to import, and a plan
        # on an emulator tfgen already prepared needs none of it.
        from tfgen.emulator_session import EmulatorSession

        return EmulatorSession(
            self.endpoint,
            region,
            credentials.access_key,
            credentials.secret_key,
            credentials.session_token,
        )

    def assume_account(self, account_id: str, role_name: str = ACCOUNT_ROLE) -> Credentials:
        """Get credentials that act in another of the emulator's accounts.

        Calls ``sts:AssumeRole`` into ``arn:aws:iam::<account_id>:role/<role_name>``;
        moto makes the returned credentials act in that account, whose resources
        are its own (S3 refuses other accounts' buckets, see ``_spawn``).

        Args:
            account_id: The 12-digit account to act in.
            role_name: The role to assume there.

        Returns:
            Temporary credentials, with their session token.

        Raises:
            ValueError: ``account_id`` is not 12 digits.
        """
        if not (len(account_id) == 12 and account_id.isdigit()):
            raise ValueError(f"an AWS account id is 12 digits, not {account_id!r}")
        sts = self.boto3_session("us-east-1").client("sts")
        answer = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/{role_name}",
            RoleSessionName=f"tfgen-{account_id}",
        )["Credentials"]
        return Credentials(answer["AccessKeyId"], answer["SecretAccessKey"], answer["SessionToken"])

    def account_session(self, account_id: str, region: str) -> boto3.Session:
        """Return a boto3 session acting in the given account of the emulator.

        Args:
            account_id: The 12-digit account to act in.
            region: The region the session's clients use.

        Returns:
            A session like :meth:`boto3_session`'s, with credentials assumed in
            ``account_id`` (see :meth:`assume_account`).
        """
        return self.boto3_session(region, self.assume_account(account_id))

    def account_env(
        self, account_id: str, region: str, base: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Build the environment of a child process (terraform) acting in the given account.

        Args:
            account_id: The 12-digit account to act in.
            region: The AWS region the child should use.
            base: The environment to start from; ``os.environ`` when omitted.

        Returns:
            :meth:`child_env` with credentials assumed in ``account_id``.
        """
        return self.child_env(region, base, self.assume_account(account_id))


def ensure(state_dir: Path) -> tuple[Sandbox, bool]:
    """Return the project's running emulator, starting one if none runs.

    Args:
        state_dir: The project's ``.tfgen/`` folder; created if missing.

    Returns:
        The sandbox, and whether it was started by this call.

    Raises:
        RunError: The emulator could not be started or did not answer in time.
    """
    with _locked(state_dir):
        running = _running(state_dir)
        if running is not None:
            return running, False
        sandbox = _launch(state_dir)
        try:
            _write_state(state_dir, sandbox)
        except BaseException as exc:
            # An emulator nobody recorded could never be found or stopped again.
            _terminate(sandbox)
            if isinstance(exc, OSError):
                raise RunError(f"cannot record the sandbox in {state_dir}: {exc}") from exc
            raise
        return sandbox, True


def start(state_dir: Path) -> Sandbox:
    """Start the emulator for a project, or return the one already running.

    The server listens on a free port of 127.0.0.1, runs in its own session
    (so it outlives this process and ignores its Ctrl-C) and logs to
    ``<state_dir>/sandbox.log``.

    Args:
        state_dir: The project's ``.tfgen/`` folder; created if missing.

    Returns:
        The running sandbox.

    Raises:
        RunError: The emulator could not be started or did not answer in time.
    """
    return ensure(state_dir)[0]


def status(state_dir: Path) -> Sandbox | None:
    """Return the project's running emulator, if any.

    A stale record (process gone, pid reused by another program, or server no
    longer answering) is removed; a recorded emulator that is alive but does
    not answer is stopped, so it cannot linger unseen.

    Args:
        state_dir: The project's ``.tfgen/`` folder.

    Returns:
        The running sandbox, or None.
    """
    if not state_dir.is_dir():
        return None
    with _locked(state_dir):
        return _running(state_dir)


def stop(state_dir: Path) -> bool:
    """Stop the project's emulator and remove its record.

    Sends SIGTERM, then SIGKILL if the server has not exited within a few seconds.

    Args:
        state_dir: The project's ``.tfgen/`` folder.

    Returns:
        Whether an emulator was running.
    """
    if not state_dir.is_dir():
        return False
    with _locked(state_dir):
        sandbox = _read_state(state_dir)
        if sandbox is None:
            return False
        was_running = _still_running(sandbox)
        if was_running:
            _terminate(sandbox)
        (state_dir / STATE_FILE).unlink(missing_ok=True)
        return was_running


@contextlib.contextmanager
def _locked(state_dir: Path) -> Iterator[None]:
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        lock = (state_dir / LOCK_FILE).open("a")
    except OSError as exc:
        raise RunError(f"cannot use the state folder {state_dir}: {exc}") from exc
    # Closing the file releases the lock, also when the holder dies.
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _running(state_dir: Path) -> Sandbox | None:
    """Return the recorded sandbox if it is alive; clean up if not. Needs the lock.

    Alive is the recorded process running with its port open. A server busy
    with a long call may be slow to answer, but it is not dead: stopping it
    would wipe the fake account under a running apply.
    """
    sandbox = _read_state(state_dir)
    if sandbox is None:
        return None
    if _still_running(sandbox):
        if _answers(sandbox.endpoint) or _accepts(sandbox.port):
            return sandbox
        _terminate(sandbox)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    return None


def _read_state(state_dir: Path) -> Sandbox | None:
    path = state_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Sandbox(
            endpoint=str(raw["endpoint"]),
            port=int(raw["port"]),
            pid=int(raw["pid"]),
            log_path=Path(raw["log_path"]),
            started_at=str(raw["started_at"]),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        # A torn or hand-edited record describes nothing we can trust.
        path.unlink(missing_ok=True)
        return None


def _write_state(state_dir: Path, sandbox: Sandbox) -> None:
    record = asdict(sandbox) | {"log_path": str(sandbox.log_path)}
    fd, tmp = tempfile.mkstemp(dir=state_dir, prefix=".sandbox.", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, indent=2)
            out.write("\n")
        os.replace(tmp, state_dir / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _launch(state_dir: Path) -> Sandbox:
    # Absolute, so the record means the same from any working directory.
    log_path = (state_dir / LOG_FILE).resolve()
    for _ in range(_PORT_ATTEMPTS):
        port = _free_port()
        endpoint = f"http://{_HOST}:{port}"
        proc = _spawn(port, log_path)
        try:
            answered = _await_answer(proc, endpoint)
        except BaseException:
            # Interrupted (Ctrl-C): do not leave an unrecorded server behind.
            proc.kill()
            proc.wait()
            raise
        if answered:
            _launched[proc.pid] = proc
            return Sandbox(
                endpoint=endpoint,
                port=port,
                pid=proc.pid,
                log_path=log_path,
                started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        tail = _log_tail(log_path)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise RunError(
                f"the AWS emulator did not answer on {endpoint} within "
                f"{_START_TIMEOUT_S:.0f} s:\n{tail}",
                hint=f"see {log_path}",
            )
        # Another program can take the port between our probe and moto's bind.
        if "Address already in use" not in tail:
            raise RunError(
                f"the AWS emulator exited while starting (code {proc.returncode}):\n{tail}",
                hint=f"see {log_path}; is moto[server] installed for {sys.executable}?",
            )
    raise RunError(
        f"the AWS emulator found no free port in {_PORT_ATTEMPTS} attempts:\n{tail}",
        hint=f"see {log_path}",
    )


def _await_answer(proc: subprocess.Popen[bytes], endpoint: str) -> bool:
    """Poll until the server answers; False if it exits or the start timeout passes."""
    deadline = time.monotonic() + _START_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        if _answers(endpoint):
            return True
        time.sleep(0.1)
    return False


def _spawn(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Without the managed policies every attachment of an AWS managed policy
    # fails with NoSuchEntity: moto only loads them when asked to.
    env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    # Like real S3, refuse other accounts' buckets (403) instead of sharing them.
    env["MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS"] = "false"
    env["PYTHONUNBUFFERED"] = "1"
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tfgen.moto_server", "-H", _HOST, "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=log_path.parent,
            # Own session: outlives this process and ignores the terminal's Ctrl-C.
            start_new_session=True,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(endpoint: str) -> bool:
    """Whether the server answers its health path (served without waiting for moto)."""
    # No proxy handler: an HTTP_PROXY in the environment must not see loopback traffic.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{endpoint}{HEALTH_PATH}", timeout=_PROBE_TIMEOUT_S) as answer:
            answer.read()  # read it all: a half-read answer is a dropped connection in the log
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _accepts(port: int) -> bool:
    """Whether something accepts TCP connections on the loopback port."""
    try:
        with socket.create_connection((_HOST, port), timeout=_CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False


def _still_running(sandbox: Sandbox) -> bool:
    """Whether the recorded emulator still runs; collects it if it is our own exited child."""
    own = _launched.get(sandbox.pid)
    if own is None:
        return _is_emulator(sandbox)
    # Our child: poll() is exact, and reaps it so it leaves no zombie.
    if own.poll() is None:
        return True
    del _launched[sandbox.pid]
    return False


def _is_emulator(sandbox: Sandbox) -> bool:
    """Whether the recorded pid is still that moto server, not a reused pid or a zombie."""
    cmdline = _cmdline(sandbox.pid)
    return cmdline is not None and "moto" in cmdline and str(sandbox.port) in cmdline.split()


def _cmdline(pid: int) -> str | None:
    proc_file = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self").exists():
        try:
            return proc_file.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return None
    # No procfs (macOS): ask ps.
    result = subprocess.run(
        ["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def _terminate(sandbox: Sandbox) -> None:
    # For another process's emulator, wait on "still that moto", not "pid
    # exists": once exited it stays a zombie until its parent (often init, which
    # in a container may reap slowly or never) collects it.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(sandbox.pid, sig)
        deadline = time.monotonic() + _STOP_TIMEOUT_S
        while _still_running(sandbox) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not _still_running(sandbox):
            return


def _log_tail(log_path: Path) -> str:
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-_LOG_TAIL_LINES:])
