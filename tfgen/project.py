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
