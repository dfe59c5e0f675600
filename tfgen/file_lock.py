"""Advisory file locks between tfgen processes on one machine.

One helper serves every lock tfgen takes: the sandbox record, the checkov
install and the per-root run lock. The lock is the kernel's ``flock`` on an open
file, so it is released when its holder exits, also by a crash or SIGKILL; the
file itself may also say who holds it, for the message another process prints.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tfgen.errors import RunError


@contextmanager
def locked(
    path: Path,
    *,
    wait: bool = True,
    on_wait: Callable[[dict[str, Any]], None] | None = None,
    holder: dict[str, Any] | None = None,
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    Args:
        path: The lock file.
        wait: Block until the lock is free; with False, raise at once instead.
        on_wait: Called with the holder's record before blocking, so the caller
            can say why nothing seems to happen.
        holder: Written into the file while the lock is held (who, since when),
            for the message other processes give.

    Raises:
        BlockingIOError: ``wait`` is False and another process holds the lock;
            ``holder_of(path)`` tells who.
        RunError: the lock file cannot be created.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise RunError(f"cannot create the lock file {path}: {exc}") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise
            if on_wait is not None:
                on_wait(holder_of(path))
            fcntl.flock(handle, fcntl.LOCK_EX)
        if holder is not None:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(holder) + "\n")
            handle.flush()
        try:
            yield
        finally:
            if holder is not None:
                handle.truncate(0)
            # Closing the file releases the lock.


def holder_of(path: Path) -> dict[str, Any]:
    """What the holder of the lock at ``path`` wrote about itself ({} when nothing)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def this_process(command: str, since: str) -> dict[str, Any]:
    """A holder record for the running process."""
    return {"command": command, "pid": os.getpid(), "since": since}
