"""Provision checkov in a virtualenv of its own, once per machine.

checkov depends on ``bc-python-hcl2``, which installs into the same ``hcl2``
package directory as the ``python-hcl2`` that tfgen uses; installing both in one
environment silently mixes their files. So checkov is never a dependency of
tfgen: it lives in ``<cache_dir>/checkov-<version>/`` and runs as a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tfgen.errors import RunError, output_tail
from tfgen.file_lock import locked

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


# The only variables of the user's environment a scan sees. checkov reads dozens
# of CKV_*, BC_*, CHECKOV_*, PRISMA_* variables, and configargparse maps every
# option to one (CKV_SKIP_CHECK, CKV_CHECK, CKV_FRAMEWORK...): any of them could
# skip or filter checks and open the gate from outside tfgen.
_SCAN_PASSES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")


def scan_env(home: Path) -> dict[str, str]:
    """Return the whole environment checkov scans with, and nothing else.

    Args:
        home: An empty folder tfgen owns; checkov reads ``~/.checkov.yaml`` and
            ``~/.checkov.yml``, so the user's home must not be its home.

    Returns:
        A small allowlist of this process's variables plus tfgen's own settings.
    """
    env = {key: os.environ[key] for key in _SCAN_PASSES if key in os.environ}
    env["HOME"] = str(home)
    # checkov asks PyPI for a newer version at import time: slow or hanging offline.
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
    # A KMS key ARN or log bucket made in the same apply is "known after apply"
    # in the plan; without this checkov reads such attributes as missing and
    # fails encryption/logging checks on resources that do set them.
    env["EVAL_TF_PLAN_AFTER_UNKNOWN"] = "true"
    return env


def _installer_env() -> dict[str, str]:
    # pip needs the user's index, proxy and certificate settings; only Python's
    # own path settings could put tfgen's site-packages (and its hcl2) first.
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
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

    def waiting(holder: dict[str, object]) -> None:
        if on_install is not None:
            on_install(f"waiting for another tfgen run to finish installing checkov into {venv}")

    with locked(cache_dir / "checkov.lock", on_wait=waiting):
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
            env=_installer_env(),
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
        tail = output_tail(proc.stdout, _OUTPUT_TAIL_LINES)
        raise RunError(f"{what} failed (exit code {proc.returncode}):\n{tail}", hint=_OFFLINE_HINT)
    return proc.stdout
