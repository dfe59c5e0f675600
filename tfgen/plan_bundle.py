"""The plan bundle: everything ``plan`` leaves in ``.tfgen/plans/<env>/``.

``apply`` trusts nothing but this folder: the binary plan terraform applies, the
scan the gate reads, and a manifest recording what the plan was made from (the
environment's configuration hash, hashes of the generated files and modules,
the target, the state serial and lineage the plan was made on) and the hashes
of the plan and scan files, so the verdict is bound to the very plan applied.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tfgen.errors import StalePlanError


class Manifest(BaseModel):
    """What a saved plan was made from, and what became of it."""

    model_config = ConfigDict(extra="forbid")

    env: str
    target: str
    target_id: str
    # The account the plan was made in (None for an unpinned root).
    account_id: str | None = None
    created_at: str
    tfgen_version: str
    # The environment's configuration (waivers excluded: they are not applied).
    config_sha256: str
    sources: dict[str, str]
    # tfplan, plan.json, checkov.json: the scan the gate read is of this very plan.
    files: dict[str, str]
    # The waivers the gate applied when the reports were written.
    waivers_sha256: str
    state_serial: int | None
    state_lineage: str | None
    changes: dict[str, int]
    blocking_failures: int
    apply_started_at: str | None = None
    applied_at: str | None = None


@dataclass(frozen=True)
class PlanBundle:
    """The files of one environment's plan bundle."""

    folder: Path

    @property
    def plan_file(self) -> Path:
        """The binary plan terraform applies."""
        return self.folder / "tfplan"

    @property
    def plan_json(self) -> Path:
        """``terraform show -json`` of the plan (what checkov scans)."""
        return self.folder / "plan.json"

    @property
    def summary(self) -> Path:
        """The Markdown summary for people and CI job summaries."""
        return self.folder / "summary.md"

    @property
    def timings(self) -> Path:
        """Seconds per part of the plan run (``stopwatch``); not bound to the plan."""
        return self.folder / "timings.json"

    @property
    def checkov_json(self) -> Path:
        """The checkov report on ``plan.json``: what the gate reads."""
        return self.folder / "checkov.json"

    def bound_files(self) -> dict[str, Path]:
        """The files whose hashes the manifest records, by name."""
        return {path.name: path for path in (self.plan_file, self.plan_json, self.checkov_json)}

    def file_hashes(self) -> dict[str, str]:
        """Hashes of the bound files that exist."""
        files = self.bound_files().items()
        return {name: hash_file(path) for name, path in files if path.is_file()}

    def changed_files(self, manifest: Manifest) -> list[str]:
        """Bound files missing, or not the ones the manifest recorded."""
        return changed_sources(manifest.files, self.file_hashes())

    @property
    def manifest_file(self) -> Path:
        """The manifest; written last, so its presence means a complete bundle."""
        return self.folder / "manifest.json"

    def start(self) -> None:
        """Invalidate the previous bundle before a new plan writes over it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest_file.unlink(missing_ok=True)
        self.plan_file.unlink(missing_ok=True)

    def write_manifest(self, manifest: Manifest) -> None:
        """Write the manifest atomically."""
        scratch = self.manifest_file.with_suffix(".tmp")
        scratch.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
        os.replace(scratch, self.manifest_file)

    def read_manifest(self, env: str, plan_command: str) -> Manifest:
        """Read the manifest; ``plan_command`` is what the hints tell to run.

        Raises:
            StalePlanError: there is no complete plan for ``env``.
        """
        try:
            return Manifest.model_validate_json(self.manifest_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StalePlanError(
                f"no saved plan for '{env}'", hint=f"run `{plan_command}` first"
            ) from None
        except ValidationError:
            raise StalePlanError(
                f"the saved plan of '{env}' has an unreadable manifest",
                hint=f"run `{plan_command}` again",
            ) from None


def hash_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(root: Path, env_dir: Path, module_dirs: list[Path]) -> dict[str, str]:
    """Hashes of the files a plan is made from.

    That is the root's ``*.tf`` and artifacts, and every ``*.tf`` of its modules,
    keyed by path relative to ``root``.
    """
    artifacts = (path for path in env_dir.glob("artifacts/**/*") if path.is_file())
    files = sorted([*env_dir.glob("*.tf"), *artifacts])
    for module_dir in module_dirs:
        files += sorted(p for p in module_dir.rglob("*") if p.is_file() and p.suffix == ".tf")
    return {path.relative_to(root).as_posix(): hash_file(path) for path in files}


def changed_sources(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """Paths added, removed or changed between two ``source_hashes`` results."""
    return sorted(
        path for path in set(recorded) | set(current) if recorded.get(path) != current.get(path)
    )


def state_serial(state_json: str) -> tuple[int | None, str | None]:
    """Serial and lineage of a ``terraform state pull`` (None, None when empty)."""
    if not state_json.strip():
        return None, None
    state: dict[str, Any] = json.loads(state_json)
    if not state.get("lineage"):
        return None, None  # a plan on no state carries serial 0 and no lineage
    return state.get("serial"), state.get("lineage")


def prior_state(plan_file: Path) -> tuple[int | None, str | None]:
    """Serial and lineage of the state a saved plan was made on.

    A plan file is a zip that carries that state as ``tfstate``; reading it
    costs nothing, where ``terraform state pull`` is another round trip.
    """
    try:
        with zipfile.ZipFile(plan_file) as archive:
            return state_serial(archive.read("tfstate").decode())
    except (KeyError, zipfile.BadZipFile, ValueError):
        return None, None
