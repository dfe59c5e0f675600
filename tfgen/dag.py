"""The order of roots: each after the roots it depends on.

An account's baseline comes before the environments that live in the account,
and an environment after any root its ``depends_on`` names (``Root.depends_on``
holds both). Among the roots a command runs, a root starts once those of its
dependencies that the command runs have succeeded; a dependency left out of the
command is taken as already in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tfgen.errors import InputError, some_names
from tfgen.roots import Root


def select(roots: Sequence[Root], names: Iterable[str]) -> list[Root]:
    """The roots named, in dependency order (all of them when no name is given).

    Raises:
        InputError: a name is not a root.
    """
    wanted = list(dict.fromkeys(names))
    known = {root.name: root for root in roots}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InputError(
            f"no root {', '.join(repr(n) for n in unknown)} (known: {some_names(known)})",
            hint="`tfgen list` prints every root",
        )
    chosen = [known[name] for name in wanted] if wanted else list(roots)
    return in_order(chosen)


def in_order(roots: Sequence[Root]) -> list[Root]:
    """``roots`` sorted so each comes after its dependencies among them (stable otherwise)."""
    names = {root.name for root in roots}
    done: set[str] = set()
    ordered: list[Root] = []
    pending = list(roots)
    while pending:
        ready = [r for r in pending if all(d in done or d not in names for d in r.depends_on)]
        if not ready:  # the inventory refuses cycles; this is a guard, not a feature
            raise InputError("the roots' dependencies make a cycle")
        for root in ready:
            ordered.append(root)
            done.add(root.name)
        pending = [r for r in pending if r.name not in done]
    return ordered


def dependencies_within(root: Root, roots: Sequence[Root]) -> tuple[str, ...]:
    """The dependencies of ``root`` that are among ``roots``."""
    names = {r.name for r in roots}
    return tuple(d for d in root.depends_on if d in names)
