"""The plan bundle: everything ``plan`` leaves in ``.tfgen/plans/<env>/``.

``apply`` trusts nothing but this folder: the binary plan terraform applies, the
scan results the gate reads, and a manifest recording what the plan was made
from (hashes of the generated files, the modules and the inventory; the target;
the state serial), so a plan made from other sources is refused as stale.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    created_at: str
    tfgen_version: str
    inventory_sha256: str
    sources: dict[str, str]
    state_serial: int | None
    state_lineage: str | None
    changes: dict[str, int]
    blocking_failures: int
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

    def read_manifest(self, env: str) -> Manifest:
        """Read the manifest.

        Raises:
            StalePlanError: there is no complete plan for ``env``.
        """
        try:
            return Manifest.model_validate_json(self.manifest_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StalePlanError(
                f"no saved plan for '{env}'", hint=f"run `tfgen plan {env}` first"
            ) from None
        except ValidationError:
            raise StalePlanError(
                f"the saved plan of '{env}' has an unreadable manifest",
                hint=f"run `tfgen plan {env}` again",
            ) from None


def hash_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(root: Path, env_dir: Path, module_dirs: list[Path]) -> dict[str, str]:
    """Hashes of the files a plan is made from.

    That is the root's ``*.tf`` and artifacts, and every ``*.tf`` of its modules,
    keyed by path relative to ``root``.
    """
    files = sorted([*env_dir.glob("*.tf"), *env_dir.glob("artifacts/*")])
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
    return state.get("serial"), state.get("lineage")
