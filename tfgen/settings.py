"""Machine-level settings: which terraform, which provider mirror, which cache.

They come from CLI options or their environment variables (``TFGEN_TERRAFORM``,
``TFGEN_PROVIDER_MIRROR``, ``TFGEN_CACHE_DIR``) and never from the inventory,
because they differ per machine while the inventory is shared.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tfgen.errors import InputError
from tfgen.terraform import find_terraform


@dataclass(frozen=True)
class Settings:
    """Resolved machine settings."""

    terraform: str
    provider_mirror: Path | None
    cache_dir: Path

    @property
    def plugin_cache(self) -> Path:
        """Provider plugin cache shared by every environment and project."""
        return self.cache_dir / "plugin-cache"

    def cli_config(self, work_dir: Path) -> Path | None:
        """Write the terraform CLI config that installs providers from the mirror.

        Returns its path; None when no mirror is configured.
        """
        if self.provider_mirror is None:
            return None
        mirror = str(self.provider_mirror).replace("\\", "/").replace('"', '\\"')
        text = (
            "# Written by tfgen: providers come from a local mirror (TFGEN_PROVIDER_MIRROR).\n"
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f'    path = "{mirror}"\n'
            "  }\n"
            "}\n"
        )
        path = work_dir / "terraform.rc"
        work_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        return path


def default_cache_dir() -> Path:
    """``$TFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/tfgen``, else ``~/.cache/tfgen``."""
    configured = os.environ.get("TFGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tfgen"


def resolve_mirror(path: Path | None) -> Path | None:
    """Find the mirror root (the folder holding ``registry.terraform.io``).

    Accepts the root itself or any folder inside it, such as the
    ``.../registry.terraform.io/hashicorp/aws`` folder a ``find`` turns up.

    Raises:
        InputError: the folder does not exist or holds no mirror.
    """
    if path is None:
        return None
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise InputError(f"provider mirror {path} does not exist (TFGEN_PROVIDER_MIRROR)")
    for candidate in (path, *path.parents):
        if (candidate / "registry.terraform.io").is_dir():
            return candidate
    raise InputError(
        f"provider mirror {path} holds no registry.terraform.io folder",
        hint="point TFGEN_PROVIDER_MIRROR at a folder made by `terraform providers mirror`",
    )


def load_settings(
    *, terraform: str | None, provider_mirror: Path | None, cache_dir: Path | None
) -> Settings:
    """Resolve settings from CLI options (already merged with their env vars)."""
    return Settings(
        terraform=find_terraform(terraform),
        provider_mirror=resolve_mirror(provider_mirror),
        cache_dir=cache_dir or default_cache_dir(),
    )
