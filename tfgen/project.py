"""Where things live in a tfgen project folder.

The project root is the folder of the inventory: ``modules/`` and ``templates/``
sit beside it, generated roots go to ``envs/<env>/`` and everything tfgen keeps
for itself (plan bundles, terraform data dirs, the sandbox) to ``.tfgen/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Target = Literal["sandbox", "aws"]


@dataclass(frozen=True)
class Project:
    """The folders of one tfgen project."""

    root: Path

    @property
    def envs_dir(self) -> Path:
        """Generated root modules, one folder per environment (committed)."""
        return self.root / "envs"

    @property
    def modules_dir(self) -> Path:
        """The project's reusable Terraform modules."""
        return self.root / "modules"

    @property
    def templates_dir(self) -> Path:
        """Jinja templates of the generated files."""
        return self.root / "templates"

    @property
    def work_dir(self) -> Path:
        """Tfgen's own working files (not committed)."""
        return self.root / ".tfgen"

    def env_dir(self, env: str) -> Path:
        """The generated root of environment ``env``."""
        return self.envs_dir / env

    def plan_dir(self, env: str) -> Path:
        """The plan bundle of environment ``env``."""
        return self.work_dir / "plans" / env

    def data_dir(self, env: str, target: Target) -> Path:
        """Terraform's data dir (TF_DATA_DIR), one per environment and target.

        So sandbox runs never touch the backend settings of real ones, nor the
        ``.terraform`` folder an expert uses by hand in ``envs/<env>``.
        """
        return self.work_dir / "terraform" / env / target


def outside_project(project_dir: Path, source: str) -> str | None:
    """Say why ``source`` (a path the inventory gives) does not stay inside the project.

    Sources are packaged into generated roots and uploaded to AWS, so an
    inventory must not reach files elsewhere on the machine: absolute paths,
    ``..`` escapes and symlinks that lead out are all refused.

    Returns:
        The problem, or None when the path resolves inside ``project_dir``.
    """
    path = Path(source)
    if path.is_absolute() or source.startswith("~"):
        return f"'{source}' must be a path relative to the inventory's folder, not absolute"
    root = project_dir.resolve()
    if not (root / path).resolve().is_relative_to(root):
        return f"'{source}' leads out of the project folder {root}"
    return None


def escaping_links(project_dir: Path, folder: Path) -> list[Path]:
    """Symlinks under ``folder`` whose targets lie outside ``project_dir``."""
    root = project_dir.resolve()
    return sorted(
        link
        for link in folder.rglob("*")
        if link.is_symlink() and not link.resolve().is_relative_to(root)
    )
