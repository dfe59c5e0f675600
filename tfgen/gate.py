"""The policy gate: checkov failures minus the waivers that give reasons for them.

A check checkov did not run (a suppression it honoured) counts as a failure:
only a waiver of tfgen's inventory or of a module can accept it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tfgen.scan import Finding, ScanResult

WAIVE_ALL_RESOURCES = "all"

# One instance key: [0] from count, ["key"] from for_each (escapes allowed).
_INSTANCE_KEY = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')


class WaiverLike(Protocol):
    """A reasoned exception to one checkov check, as the inventory declares it."""

    @property
    def check(self) -> str:
        """The checkov check id, e.g. ``CKV_AWS_24``."""
        ...

    @property
    def resource(self) -> str:
        """``all``, an exact address, or an address without its instance key."""
        ...

    @property
    def reason(self) -> str:
        """Why the failure is acceptable, for reviewers and the summary."""
        ...

    @property
    def carried_by(self) -> str:
        """Who declares it: ``inventory``, or ``module <name>`` for a module's own."""
        ...


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one scan.

    Attributes:
        blocking: Failed (or not run) checks that no waiver covers.
        waived: Failed checks with the first waiver that covers each.
        unused_waivers: The inventory's waivers that covered no failure: stale or mistyped.
    """

    blocking: list[Finding] = field(default_factory=list)
    waived: list[tuple[Finding, WaiverLike]] = field(default_factory=list)
    unused_waivers: list[WaiverLike] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """Whether the plan may be applied: no failure is left unwaived."""
        return not self.blocking


def waiver_covers(waiver: WaiverLike, finding: Finding) -> bool:
    """Tell whether a waiver covers a finding.

    The resource matches when the waiver says ``all``, names the finding's exact
    address, or names it without its instance key, which covers every instance
    (``module.net.aws_subnet.public`` covers ``module.net.aws_subnet.public[0]``
    and ``...public["a"]``, but ``module.net`` covers nothing inside the module).

    Args:
        waiver: The waiver.
        finding: A checkov finding.

    Returns:
        True if the check ids are equal and the resource matches.
    """
    if waiver.check != finding.check_id:
        return False
    if waiver.resource in (WAIVE_ALL_RESOURCES, finding.resource):
        return True
    rest = finding.resource.removeprefix(waiver.resource)
    return rest != finding.resource and _INSTANCE_KEY.fullmatch(rest) is not None


def evaluate(result: ScanResult, waivers: Sequence[WaiverLike]) -> GateResult:
    """Split a scan's failures (and checks it did not run) into blocking and waived ones.

    Args:
        result: The scan of a plan.
        waivers: The inventory's waivers; the first that covers a failure is used.

    Returns:
        The verdict, with the waivers that covered nothing.
    """
    blocking: list[Finding] = []
    waived: list[tuple[Finding, WaiverLike]] = []
    used: set[int] = set()
    for finding in [*result.failed, *result.skipped]:
        index = next((i for i, w in enumerate(waivers) if waiver_covers(w, finding)), None)
        if index is None:
            blocking.append(finding)
        else:
            waived.append((finding, waivers[index]))
            used.add(index)
    # Only the inventory's own waivers can be stale or mistyped: a module's waiver
    # idles wherever its feature is off (no NAT gateway, say).
    unused = [w for i, w in enumerate(waivers) if i not in used and w.carried_by == "inventory"]
    return GateResult(blocking=blocking, waived=waived, unused_waivers=unused)
