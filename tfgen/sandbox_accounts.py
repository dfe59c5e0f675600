"""What tfgen has set up inside one running emulator, remembered between runs.

For each account of the inventory: the credentials tfgen assumed there, the
identity STS gave them, and the state backends made there. All of it lives only
as long as that emulator (a restarted one is empty), so the record is keyed by
the emulator's process and start time and is ignored once that changes. Without
it every sandbox plan spent a few hundred milliseconds asking the emulator for
the same answers again.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from tfgen.sandbox import Credentials, Sandbox

RECORD_FILE = "sandbox-accounts.json"


class SandboxAccounts:
    """The record of one emulator instance, in ``<work dir>/sandbox-accounts.json``."""

    def __init__(self, sandbox: Sandbox, work_dir: Path) -> None:
        self.path = work_dir / RECORD_FILE
        self.instance = f"{sandbox.pid} {sandbox.started_at} {sandbox.endpoint}"
        self.data = self._load()
        # Roots of one `plan --all` share this record from several threads.
        self._lock = threading.Lock()

    def credentials(self, account_id: str) -> tuple[Credentials, str] | None:
        """The credentials assumed in ``account_id`` and the ARN they act as, if known."""
        found = self.data["accounts"].get(account_id)
        if not isinstance(found, dict):
            return None
        try:
            credentials = Credentials(
                found["access_key"], found["secret_key"], found.get("session_token")
            )
            return credentials, str(found["arn"])
        except KeyError:
            return None

    def remember_credentials(self, account_id: str, credentials: Credentials, arn: str) -> None:
        """Record the credentials assumed in ``account_id``."""
        with self._lock:
            self.data["accounts"][account_id] = {
                "access_key": credentials.access_key,
                "secret_key": credentials.secret_key,
                "session_token": credentials.session_token,
                "arn": arn,
            }
            self._save()

    def prepared(self, key: str) -> bool:
        """Whether the state backend ``key`` was made in this emulator."""
        return key in self.data["prepared"]

    def remember_prepared(self, key: str) -> None:
        """Record that the state backend ``key`` exists in this emulator."""
        with self._lock:
            if key not in self.data["prepared"]:
                self.data["prepared"].append(key)
                self._save()

    def _load(self) -> dict[str, Any]:
        empty: dict[str, Any] = {"instance": self.instance, "accounts": {}, "prepared": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return empty
        if not isinstance(data, dict) or data.get("instance") != self.instance:
            return empty
        if not isinstance(data.get("accounts"), dict) or not isinstance(data.get("prepared"), list):
            return empty
        return data

    def _save(self) -> None:
        # Best effort and atomic: a lost record only costs the next run the questions.
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            scratch.write_text(json.dumps(self.data, indent=2) + "\n", encoding="utf-8")
            os.replace(scratch, self.path)
        except OSError:
            pass
