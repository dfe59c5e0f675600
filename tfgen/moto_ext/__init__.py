"""The sandbox's extensions of moto: what moto 5.2 lacks to run the whole platform.

One module per extension, each defining ``EXTENSION`` (see ``_extension.py``):
a model and API methods in moto's own style, grafted onto moto's classes, and a
check that exercises it through boto3. Adding an extension is adding a module;
nothing else lists them. The sandbox server installs them all at start-up;
``python -m tfgen.moto_ext`` runs every check against plain moto and says which
extensions moto now covers itself, so they can be dropped when moto moves.
"""

from __future__ import annotations

import importlib
import pkgutil

from tfgen.moto_ext._extension import Extension, apply

__all__ = ["Extension", "extensions", "install", "installed"]

_installed: list[Extension] = []


def extensions() -> list[Extension]:
    """Every extension in this package, sorted by name.

    Returns:
        The ``EXTENSION`` of each module whose name does not start with ``_``.
    """
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        extension = loaded.EXTENSION
        if not isinstance(extension, Extension) or extension.name != module.name:
            raise TypeError(f"{loaded.__name__}.EXTENSION must be the Extension {module.name!r}")
        found.append(extension)
    return sorted(found, key=lambda extension: extension.name)


def install() -> list[Extension]:
    """Graft every extension onto moto's classes, once per process.

    Returns:
        The installed extensions.
    """
    if not _installed:
        for extension in extensions():
            apply(extension)
            _installed.append(extension)
    return list(_installed)


def installed() -> bool:
    """Whether this process's moto has been extended (then checks prove nothing about moto)."""
    return bool(_installed)
