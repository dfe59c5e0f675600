"""The JUnit XML and SARIF 2.1.0 reports of a scan, as the gate judged it.

checkov's own JUnit marks every failure red and its SARIF makes every failure an
error, waived or not; a CI's test tab or code-scanning page would then be red
while the gate is open. Here a waived finding is a skipped test case, and a
SARIF result with a ``suppressions`` entry carrying the waiver's reason and who
carries it. So a report is red exactly when the gate refuses.

Each function builds one part (a test suite, a SARIF run) so that a run over
several roots can put them into one document.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen.gate import GateResult, WaiverLike
from tfgen.scan import Finding, ScanResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
CHECKOV_URI = "https://www.checkov.io/"


@dataclass(frozen=True)
class Location:
    """Where in the sources a resource is written: a file relative to the repository, a line."""

    uri: str
    line: int = 1


# Resource address -> the places that produced it (the resource block, the module call).
Locator = Callable[[str], Sequence[Location]]


def _no_location(address: str) -> Sequence[Location]:
    return ()


def junit_suite(root: str, scan: ScanResult, gate: GateResult) -> ET.Element:
    """One ``<testsuite>`` for a root: a test case per check and resource.

    Args:
        root: The root's name (an environment or an account).
        scan: checkov's findings.
        gate: The gate's verdict on them.

    Returns:
        The suite; blocking findings are failures, waived ones skipped.
    """
    waived = {id(finding): waiver for finding, waiver in gate.waived}
    suite = ET.Element("testsuite", name=f"checkov: {root}")
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    for finding in sorted(
        [*scan.passed, *scan.failed, *scan.skipped], key=lambda f: (f.resource, f.check_id)
    ):
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{root}.{finding.resource}",
            name=f"{finding.check_id}: {finding.check_name}",
        )
        counts["tests"] += 1
        waiver = waived.get(id(finding))
        if waiver is not None:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=_waived_text(waiver))
        elif finding in gate.blocking:
            counts["failures"] += 1
            failure = ET.SubElement(
                case, "failure", message=_blocking_text(finding), type="checkov"
            )
            failure.text = f"{finding.resource}: {finding.check_name}"
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def junit_document(suites: Sequence[ET.Element]) -> bytes:
    """A ``<testsuites>`` document holding ``suites``, totals included."""
    top = ET.Element("testsuites", name="tfgen checkov")
    for key in ("tests", "failures", "skipped"):
        top.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
    top.extend(suites)
    ET.indent(top)
    document: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def sarif_run(
    root: str,
    scan: ScanResult,
    gate: GateResult,
    *,
    locate: Locator = _no_location,
    plan_uri: str = "plan.json",
) -> dict[str, Any]:
    """One SARIF run for a root: a result per failed or unrun check, waived ones suppressed.

    Args:
        root: The root's name; it makes the run's ``automationDetails.id``.
        scan: checkov's findings.
        gate: The gate's verdict on them.
        locate: Source locations of a resource address; when it has none, the
            result points at the plan file.
        plan_uri: The plan JSON's path, for results without a source location.

    Returns:
        The run, ready for ``sarif_document``.
    """
    waived = {id(finding): waiver for finding, waiver in gate.waived}
    judged = sorted([*scan.failed, *scan.skipped], key=lambda f: (f.resource, f.check_id))
    rule_ids = sorted({f.check_id for f in judged})
    names = {f.check_id: f for f in judged}
    rules = [_rule(names[rule_id]) for rule_id in rule_ids]
    results = []
    for finding in judged:
        places = locate(finding.resource) or (Location(plan_uri),)
        result: dict[str, Any] = {
            "ruleId": finding.check_id,
            "ruleIndex": rule_ids.index(finding.check_id),
            "level": "error",
            "message": {"text": _message(finding)},
            "locations": [_location(place, finding.resource) for place in places],
            "partialFingerprints": {"tfgenResource/v1": f"{root}:{finding.resource}"},
        }
        waiver = waived.get(id(finding))
        if waiver is not None:
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": waiver.reason,
                    "properties": {"carriedBy": waiver.carried_by},
                }
            ]
        results.append(result)
    return {
        "tool": {
            "driver": {
                "name": "checkov",
                "version": scan.checkov_version or "unknown",
                "informationUri": CHECKOV_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"tfgen/{root}/"},
        "results": results,
    }


def sarif_document(runs: Sequence[Mapping[str, Any]]) -> bytes:
    """A SARIF 2.1.0 log holding ``runs``."""
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": list(runs)}
    return (json.dumps(log, indent=2) + "\n").encode()


def write_reports(
    folder: Path,
    root: str,
    scan: ScanResult,
    gate: GateResult,
    *,
    locate: Locator = _no_location,
) -> dict[str, Path]:
    """Write ``checkov.junit.xml`` and ``checkov.sarif`` of one root into ``folder``.

    Returns:
        Report kind (``junit``, ``sarif``) -> the file written.
    """
    files = {"junit": folder / "checkov.junit.xml", "sarif": folder / "checkov.sarif"}
    files["junit"].write_bytes(junit_document([junit_suite(root, scan, gate)]))
    run = sarif_run(root, scan, gate, locate=locate)
    files["sarif"].write_bytes(sarif_document([run]))
    return files


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": finding.check_id,
        "shortDescription": {"text": finding.check_name or finding.check_id},
        "defaultConfiguration": {"level": "error"},
    }
    if finding.guideline:
        rule["helpUri"] = finding.guideline
    return rule


def _location(place: Location, address: str) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": place.uri},
            "region": {"startLine": place.line},
        },
        "logicalLocations": [{"fullyQualifiedName": address, "kind": "resource"}],
    }


def _message(finding: Finding) -> str:
    if finding.skip_comment is not None:
        why = f"not run by checkov ({finding.skip_comment})"
        return f"{finding.check_name} — {why}: {finding.resource}"
    return f"{finding.check_name}: {finding.resource}"


def _blocking_text(finding: Finding) -> str:
    if finding.skip_comment is not None:
        return f"not run by checkov ({finding.skip_comment}) and not waived"
    return "failed and not waived"


def _waived_text(waiver: WaiverLike) -> str:
    return f"waived by {waiver.carried_by}: {waiver.reason}"
