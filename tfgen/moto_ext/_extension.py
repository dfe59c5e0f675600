"""What an extension of moto is, and how it is grafted onto moto's own classes.

An extension adds what moto lacks the way a pull request to moto would: methods
on moto's backend class (the model) and on its response class (the API), and,
for REST services, the URL patterns that route to them. Here those methods are
written on small mixin classes and copied onto moto's classes at start-up, so
each extension file reads like the patch it would be upstream.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import boto3

# A check exercises one extension through boto3 and says whether the answers are
# right; it runs against the sandbox (extended) and against plain moto.
Check = Callable[[boto3.Session], bool]

# Names a mixin class always has; everything else it defines is grafted.
_CLASS_NAMES = {
    "__module__",
    "__qualname__",
    "__doc__",
    "__dict__",
    "__weakref__",
    "__annotations__",
    "__firstlineno__",
    "__static_attributes__",
    "__orig_bases__",
    "__parameters__",
}
# A mixin method of this name runs after the target's own ``__init__``: the place
# where an upstream patch would add its new attributes.
EXTEND_INIT = "extend_init"


@dataclass(frozen=True)
class Graft:
    """Copy what ``mixin`` defines onto moto's class ``target``.

    Functions and properties replace or add attributes of the same name; a
    method named ``extend_init`` runs after ``target.__init__``.
    """

    target: type
    mixin: type


@dataclass(frozen=True)
class Routes:
    """URL patterns to add to a moto service's ``urls.url_paths``."""

    urls_module: ModuleType
    url_paths: Mapping[str, Callable[..., Any]]


@dataclass(frozen=True)
class Extension:
    """One thing moto lacks, added to moto's classes.

    Attributes:
        name: The extension's module name, e.g. ``elasticache_user_groups``.
        summary: One line: what the extension adds or makes moto read back.
        operations: The AWS API operations it adds or whose answers it completes.
        grafts: Mixins to copy onto moto's backend, model and response classes.
        check: Exercises the capability through boto3; True when the answers are
            right. Run against plain moto, it tells whether moto now covers it.
        routes: New URL patterns (REST services only).
    """

    name: str
    summary: str
    operations: tuple[str, ...]
    grafts: tuple[Graft, ...]
    check: Check
    routes: tuple[Routes, ...] = field(default=())


# (moto class, attribute) -> the extension that grafted it, so that two
# extensions can never silently replace each other's method.
_owners: dict[tuple[type, str], str] = {}
_init_hooks: dict[type, list[Callable[[Any], None]]] = {}


def apply(extension: Extension) -> None:
    """Graft one extension onto moto's classes.

    Raises:
        RuntimeError: Another extension already grafted an attribute of the same
            name on the same class.
    """
    for graft in extension.grafts:
        for name, value in vars(graft.mixin).items():
            if name in _CLASS_NAMES:
                continue
            if name == EXTEND_INIT:
                _add_init_hook(extension.name, graft.target, value)
                continue
            owner = _owners.setdefault((graft.target, name), extension.name)
            if owner != extension.name:
                raise RuntimeError(
                    f"{extension.name} and {owner} both graft {graft.target.__name__}.{name}"
                )
            setattr(graft.target, name, value)
    for routes in extension.routes:
        url_paths: dict[str, Callable[..., Any]] = routes.urls_module.url_paths
        url_paths.update(routes.url_paths)


def _add_init_hook(extension: str, target: type, hook: Callable[[Any], None]) -> None:
    # Hooks share one wrapper of __init__; a mixin's own __init__ would replace it.
    owner = _owners.setdefault((target, "__init__"), EXTEND_INIT)
    if owner != EXTEND_INIT:
        raise RuntimeError(f"{extension} and {owner} both graft {target.__name__}.__init__")
    hooks = _init_hooks.get(target)
    if hooks is None:
        hooks = _init_hooks[target] = []
        moto_init = target.__init__  # type: ignore[misc]

        @functools.wraps(moto_init)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            moto_init(self, *args, **kwargs)
            for run in _init_hooks[target]:
                run(self)

        target.__init__ = __init__  # type: ignore[misc]
    hooks.append(hook)
