"""Drift: what changed in AWS behind terraform's back, found by a refresh-only plan.

``terraform plan -refresh-only`` reads every resource of the state and lists, in
its JSON, the resources whose real attributes differ from the state
(``resource_drift``). It changes no state and no saved plan: its files go to
``.tfgen/drift/<root>/``, apart from the plan bundle. Each drifted resource is
reported with every attribute that differs, before (the state) and after (AWS),
as Markdown, JSON, JUnit XML (a test case per resource of the state) and SARIF.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tfgen.locations import Locator
from tfgen.reports import SARIF_SCHEMA, junit_document

RULE = "tfgen-drift"


@dataclass(frozen=True)
class AttributeDrift:
    """One attribute that differs: its path (``tags.Owner``, ``ingress[0].cidr_blocks``)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ResourceDrift:
    """A resource changed outside terraform (``deleted`` when it is gone)."""

    address: str
    type: str
    attributes: list[AttributeDrift] = field(default_factory=list)
    deleted: bool = False


@dataclass(frozen=True)
class DriftReport:
    """The drift of one root: the drifted resources, out of how many in its state."""

    root: str
    resources: list[ResourceDrift]
    in_state: list[str]

    @property
    def drifted(self) -> bool:
        """Whether anything drifted."""
        return bool(self.resources)

    @property
    def headline(self) -> str:
        """One line: how many resources drifted."""
        if not self.resources:
            return f"No drift: {len(self.in_state)} resource(s) match the state."
        count = f"{len(self.resources)} of {len(self.in_state)} resource(s)"
        return f"Drift: {count} changed outside terraform."


# (resource type, attribute) -> whether the provider computes it.
Computed = Callable[[str, str], bool]


def drift_of(plan: Mapping[str, Any], root: str, computed: Computed) -> DriftReport:
    """Read a refresh-only plan's JSON (``terraform show -json``).

    Only what the configuration manages is drift. An attribute the provider
    computes and the configuration does not set changes as a matter of course
    (a route table's ``route`` once a separate ``aws_route`` exists, a
    ``tags_all``): terraform would never act on it, so it is not reported.
    """
    configured = _configured(plan.get("configuration", {}).get("root_module", {}))
    resources = []
    for change in plan.get("resource_drift", []):
        if change.get("mode") != "managed":
            continue
        before = change["change"].get("before")
        after = change["change"].get("after")
        managed = configured.get(_without_index(change["address"]), set())
        attributes = sorted(
            (
                a
                for a in _differences(before or {}, after or {})
                if _top(a.path) in managed or not computed(change["type"], _top(a.path))
            ),
            key=lambda a: a.path,
        )
        if attributes or after is None:
            resources.append(
                ResourceDrift(change["address"], change["type"], attributes, deleted=after is None)
            )
    prior = plan.get("prior_state", {}).get("values", {}).get("root_module", {})
    return DriftReport(root, sorted(resources, key=lambda r: r.address), sorted(_addresses(prior)))


def write_drift_reports(folder: Path, report: DriftReport, locate: Locator) -> dict[str, Path]:
    """Write the drift reports (JSON, Markdown, JUnit XML, SARIF) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "json": folder / "drift.json",
        "markdown": folder / "drift.md",
        "junit": folder / "drift.junit.xml",
        "sarif": folder / "drift.sarif",
    }
    files["json"].write_text(json.dumps(asdict(report), indent=2, default=str) + "\n")
    files["markdown"].write_text(render_markdown(report))
    files["junit"].write_bytes(junit_document([junit_suite(report)]))
    files["sarif"].write_text(json.dumps(sarif(report, locate), indent=2) + "\n")
    return files


def render_markdown(report: DriftReport) -> str:
    """Every drifted resource with its attributes, before and after."""
    lines = [f"## tfgen drift: `{report.root}`", "", report.headline]
    for resource in report.resources:
        lines += ["", f"### `{resource.address}`", ""]
        if resource.deleted:
            lines.append("Deleted outside terraform.")
            continue
        lines += ["| attribute | in the state | in AWS |", "|---|---|---|"]
        lines += [
            f"| `{a.path}` | {_cell(a.before)} | {_cell(a.after)} |" for a in resource.attributes
        ]
    return "\n".join(lines) + "\n"


def junit_suite(report: DriftReport) -> ET.Element:
    """A test case per resource of the state; a drifted one fails."""
    drifted = {r.address: r for r in report.resources}
    suite = ET.Element("testsuite", name=f"drift: {report.root}")
    for address in sorted(set(report.in_state) | set(drifted)):
        case = ET.SubElement(
            suite, "testcase", classname=f"{report.root}.{address}", name="no drift"
        )
        resource = drifted.get(address)
        if resource is not None:
            failure = ET.SubElement(case, "failure", message=_summary(resource), type="drift")
            failure.text = "\n".join(
                f"{a.path}: {json.dumps(a.before)} -> {json.dumps(a.after)}"
                for a in resource.attributes
            )
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(len(drifted)))
    suite.set("skipped", "0")
    return suite


def sarif(report: DriftReport, locate: Locator) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one result per drifted resource, at its HCL."""
    results = []
    for resource in report.resources:
        places = locate(resource.address) or ()
        results.append(
            {
                "ruleId": RULE,
                "ruleIndex": 0,
                "level": "error",
                "message": {"text": f"{resource.address}: {_summary(resource)}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": place.uri},
                            "region": {"startLine": place.line},
                        },
                        "logicalLocations": [
                            {"fullyQualifiedName": resource.address, "kind": "resource"}
                        ],
                    }
                    for place in places
                ]
                or [{"logicalLocations": [{"fullyQualifiedName": resource.address}]}],
            }
        )
    rule = {
        "id": RULE,
        "name": "Drift",
        "shortDescription": {"text": "A resource changed outside terraform"},
        "defaultConfiguration": {"level": "error"},
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "tfgen drift", "rules": [rule]}},
                "automationDetails": {"id": f"tfgen-drift/{report.root}/"},
                "results": results,
            }
        ],
    }


def _summary(resource: ResourceDrift) -> str:
    if resource.deleted:
        return "deleted outside terraform"
    return "changed outside terraform: " + ", ".join(a.path for a in resource.attributes)


def _differences(before: Any, after: Any, path: str = "") -> Iterator[AttributeDrift]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            yield from _differences(
                before.get(key), after.get(key), f"{path}.{key}" if path else key
            )
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            yield from _differences(b, a, f"{path}[{index}]")
    elif before != after and not (_unset(before) and _unset(after)):
        yield AttributeDrift(path, before, after)


def _unset(value: Any) -> bool:
    # A provider may read back an attribute it stored as null as an empty list or
    # map (a default ACL's subnet_ids): nothing changed in AWS.
    return value is None or value == [] or value == {}


def _configured(module: Mapping[str, Any], prefix: str = "") -> dict[str, set[str]]:
    """Resource address (without instance keys) -> the attributes its configuration sets."""
    found = {
        f"{prefix}{resource['address']}": set(resource.get("expressions", {}))
        for resource in module.get("resources", [])
    }
    for name, call in module.get("module_calls", {}).items():
        found.update(_configured(call.get("module", {}), f"{prefix}module.{name}."))
    return found


def _without_index(address: str) -> str:
    return re.sub(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]', "", address)


def _top(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def _addresses(module: Mapping[str, Any]) -> Iterator[str]:
    for resource in module.get("resources", []):
        if resource.get("mode") == "managed":
            yield resource["address"]
    for child in module.get("child_modules", []):
        yield from _addresses(child)


def _cell(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return f"`{text}`".replace("|", "\\|") if text else "—"
