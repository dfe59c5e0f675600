"""JUnit and SARIF reports that say what the gate decided (real checkov results)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tfgen.gate import evaluate
from tfgen.reports import Location, sarif_document, sarif_run, write_reports
from tfgen.scan import Finding, ScanResult, load_scan_result

DATA = Path(__file__).parent / "data"
# The official schema, copied from the OASIS sarif-spec repository (see data/README.md).
SARIF_SCHEMA = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text())


def assert_valid_sarif(document: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)


@dataclass(frozen=True)
class Waiver:
    check: str
    resource: str
    reason: str
    carried_by: str = "inventory"


@pytest.fixture
def scan() -> ScanResult:
    return load_scan_result(DATA / "scan-report")


def _cases(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(case.get("classname", ""), case.get("name", "")): case for case in root.iter("testcase")}


def test_a_waived_failure_is_a_skipped_case_and_a_suppressed_result(scan: ScanResult, tmp_path: Path) -> None:
    ssh = "module.web.aws_security_group.ssh"
    gate = evaluate(scan, [Waiver("CKV_AWS_24", ssh, "bastion only, closed at night")])
    blocking_before = len(gate.blocking)
    files = write_reports(tmp_path, "dev", scan, gate)

    junit = ET.parse(files["junit"]).getroot()
    assert junit.tag == "testsuites"
    assert int(junit.get("failures", "-1")) == blocking_before
    assert int(junit.get("skipped", "-1")) == 1
    assert int(junit.get("tests", "-1")) == len(scan.passed) + len(scan.failed) + len(scan.skipped)
    ssh_case = next(c for (cls, name), c in _cases(files["junit"]).items() if cls == f"dev.{ssh}" and name.startswith("CKV_AWS_24"))
    skipped = ssh_case.find("skipped")
    assert skipped is not None and skipped.get("message") == "waived by inventory: bastion only, closed at night"
    assert ssh_case.find("failure") is None

    sarif = json.loads(files["sarif"].read_text())
    assert_valid_sarif(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(scan.failed)
    waived = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in waived] == ["CKV_AWS_24"]
    assert waived[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "bastion only, closed at night", "properties": {"carriedBy": "inventory"}}
    ]
    assert sarif["runs"][0]["automationDetails"]["id"] == "tfgen/dev/"


def test_a_report_is_red_exactly_when_the_gate_refuses(scan: ScanResult, tmp_path: Path) -> None:
    everything = [Waiver(f.check_id, f.resource, "accepted for this test", "module web") for f in scan.failed]
    gate = evaluate(scan, everything)
    assert gate.allowed
    files = write_reports(tmp_path, "dev", scan, gate)
    assert ET.parse(files["junit"]).getroot().get("failures") == "0"
    assert list(ET.parse(files["junit"]).getroot().iter("failure")) == []
    sarif = json.loads(files["sarif"].read_text())
    assert_valid_sarif(sarif)
    assert all(r["suppressions"][0]["properties"]["carriedBy"] == "module web" for r in sarif["runs"][0]["results"])


def test_a_check_checkov_did_not_run_blocks_and_is_reported(scan: ScanResult, tmp_path: Path) -> None:
    unrun = Finding("CKV_AWS_79", "Ensure IMDSv2", "aws_instance.web", skip_comment="suppressed in code")
    with_skip = replace(scan, skipped=[unrun])
    gate = evaluate(with_skip, [Waiver(f.check_id, f.resource, "accepted for this test") for f in scan.failed])
    assert gate.blocking == [unrun]
    files = write_reports(tmp_path, "dev", with_skip, gate)
    failures = list(ET.parse(files["junit"]).getroot().iter("failure"))
    assert [f.get("message") for f in failures] == ["not run by checkov (suppressed in code) and not waived"]
    sarif = json.loads(files["sarif"].read_text())
    assert_valid_sarif(sarif)
    unsuppressed = [r for r in sarif["runs"][0]["results"] if "suppressions" not in r]
    assert [r["ruleId"] for r in unsuppressed] == ["CKV_AWS_79"]
    assert "not run by checkov" in unsuppressed[0]["message"]["text"]


def test_results_point_at_their_source_when_located(scan: ScanResult) -> None:
    gate = evaluate(scan, [])

    def locate(address: str) -> list[Location]:
        return [Location("modules/web/main.tf", 12), Location("envs/dev/main.tf", 3)] if address.startswith("module.web.") else []

    run = sarif_run("dev", scan, gate, locate=locate)
    assert_valid_sarif(json.loads(sarif_document([run])))
    by_resource = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r for r in run["results"]}
    web = by_resource["module.web.aws_security_group.ssh"]
    assert [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in web["locations"]] == [
        "modules/web/main.tf",
        "envs/dev/main.tf",
    ]
    assert web["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    elsewhere = [r for a, r in by_resource.items() if not a.startswith("module.web.")]
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plan.json" for r in elsewhere)
