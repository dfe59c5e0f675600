"""Provision checkov in a virtualenv of its own, once per machine.

checkov depends on ``bc-python-hcl2``, which installs into the same ``hcl2``
package directory as the ``python-hcl2`` that tfgen uses; installing both in one
environment silently mixes their files. So checkov is never a dependency of
tfgen: it lives in ``<cache_dir>/checkov-<version>/`` and runs as a subprocess.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tfgen.errors import RunError

CHECKOV_VERSION = "3.3.30"

ENV_CHECKOV = "TFGEN_CHECKOV"

# Written last: a directory without it is a broken or interrupted install.
_COMPLETE_MARKER = ".tfgen-complete"
_INSTALL_TIMEOUT_S = 1800
_OUTPUT_TAIL_LINES = 20
_OFFLINE_HINT = (
    f"to use a checkov that is already installed (e.g. offline), set {ENV_CHECKOV} "
    "to the path of its executable"
)


def checkov_env() -> dict[str, str]:
    """Return the environment for running checkov or its installer.

    Returns:
        A copy of this process's environment, adjusted so checkov stays isolated
        and never calls home.
    """
    env = dict(os.environ)
    # Either could put tfgen's own site-packages (and its hcl2) ahead of checkov's.
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    # With a platform API key checkov would talk to Prisma Cloud; tfgen scans locally.
    env.pop("BC_API_KEY", None)
    # checkov asks PyPI for a newer version at import time: slow or hanging offline.
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
    # A KMS key ARN or log bucket made in the same apply is "known after apply"
    # in the plan; without this checkov reads such attributes as missing and
    # fails encryption/logging checks on resources that do set them.
    env["EVAL_TF_PLAN_AFTER_UNKNOWN"] = "true"
    return env


def find_checkov(cache_dir: Path, *, on_install: Callable[[str], None] | None = None) -> Path:
    """Return the checkov executable, installing it into ``cache_dir`` if needed.

    Looks first at the ``TFGEN_CHECKOV`` environment variable (a path, or a
    command name looked up on ``PATH``), then at
    ``<cache_dir>/checkov-<CHECKOV_VERSION>/bin/checkov``; failing both, creates
    that virtualenv and pip-installs the pinned checkov into it.

    Args:
        cache_dir: Directory shared by tfgen runs on this machine.
        on_install: Called with a message before a slow step (installing, or
            waiting for another run that is installing), so the caller can tell
            the user why nothing seems to happen.

    Returns:
        Path to an executable checkov.

    Raises:
        RunError: ``TFGEN_CHECKOV`` names no executable file, or the install failed.
    """
    override = os.environ.get(ENV_CHECKOV)
    if override:
        found = shutil.which(os.path.expanduser(override))
        if found is None:
            raise RunError(
                f"{ENV_CHECKOV}={override} names no executable file",
                hint=f"point {ENV_CHECKOV} at a checkov executable, or unset it to let "
                "tfgen install checkov itself",
            )
        return Path(found)

    venv = cache_dir / f"checkov-{CHECKOV_VERSION}"
    if _is_complete(venv):
        return _executable(venv)
    with _install_lock(cache_dir, venv, on_install):
        # Another run may have finished the install while we waited for the lock.
        if not _is_complete(venv):
            if on_install is not None:
                on_install(
                    f"installing checkov {CHECKOV_VERSION} into {venv} (once, takes about a minute)"
                )
            _install(venv)
    return _executable(venv)


def _executable(venv: Path) -> Path:
    return venv / "bin" / "checkov"


def _is_complete(venv: Path) -> bool:
    # A venv's python is a symlink to the base interpreter: if that was removed
    # or upgraded away, the venv is dead even though its files are all there.
    python = venv / "bin" / "python"
    return (
        (venv / _COMPLETE_MARKER).is_file()
        and _executable(venv).is_file()
        and python.resolve().is_file()
    )


@contextmanager
def _install_lock(
    cache_dir: Path, venv: Path, on_install: Callable[[str], None] | None
) -> Iterator[None]:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock_file = (cache_dir / "checkov.lock").open("a")
    except OSError as exc:
        raise RunError(f"cannot use the cache directory {cache_dir}: {exc}") from exc
    with lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_install is not None:
                on_install(
                    f"waiting for another tfgen run to finish installing checkov into {venv}"
                )
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield  # the lock is released when the file closes


def _install(venv: Path) -> None:
    # The venv is built in place, not in a temporary directory renamed at the
    # end: a venv's scripts hold its absolute path in their shebangs, so a moved
    # venv is broken. The lock keeps other runs out, and the marker written last
    # tells a finished install from an interrupted one, which is wiped and redone.
    shutil.rmtree(venv, ignore_errors=True)
    python = venv / "bin" / "python"
    try:
        _run_installer([sys.executable, "-m", "venv", str(venv)], "creating a virtualenv")
        _run_installer(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
                f"checkov=={CHECKOV_VERSION}",
            ],
            f"pip install checkov=={CHECKOV_VERSION}",
        )
        version = _run_installer([str(_executable(venv)), "--version"], "running checkov")
        if version.strip() != CHECKOV_VERSION:
            raise RunError(
                f"installed checkov reports version {version.strip()!r}, "
                f"expected {CHECKOV_VERSION}",
                hint=_OFFLINE_HINT,
            )
        (venv / _COMPLETE_MARKER).write_text(CHECKOV_VERSION + "\n")
    except BaseException:
        # Also on Ctrl-C: leave no half environment that looks usable.
        shutil.rmtree(venv, ignore_errors=True)
        raise


def _run_installer(cmd: list[str], what: str) -> str:
    try:
        proc = subprocess.run(
            cmd,
            env=checkov_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=_INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RunError(
            f"{what} did not finish within {_INSTALL_TIMEOUT_S} s", hint=_OFFLINE_HINT
        ) from exc
    except OSError as exc:
        raise RunError(f"{what} failed: {exc}", hint=_OFFLINE_HINT) from exc
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-_OUTPUT_TAIL_LINES:])
        raise RunError(f"{what} failed (exit code {proc.returncode}):\n{tail}", hint=_OFFLINE_HINT)
    return proc.stdout
