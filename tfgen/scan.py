"""Scan a plan's JSON with checkov and keep its reports as files CI systems read.

checkov (3.3.30) reports each finding's resource as the plan's own address,
module path and instance keys included (``module.web.aws_s3_bucket.logs[0]``,
``module.outer["a"].module.inner.aws_x.this``), so findings match the addresses
in ``terraform show -json`` and in waivers without translation. The provider
check (CKV_AWS_41) reports a provider config such as ``aws.default`` instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.checkov_tool import checkov_env
from tfgen.errors import RunError

# Report kind -> (name checkov writes, name tfgen keeps).
_REPORTS = {
    "json": ("results_json.json", "checkov.json"),
    "junit": ("results_junitxml.xml", "checkov.junit.xml"),
    "sarif": ("results_sarif.sarif", "checkov.sarif"),
}
_STDERR_TAIL_LINES = 20


@dataclass(frozen=True)
class Finding:
    """One checkov check evaluated on one resource.

    Attributes:
        check_id: checkov's id, e.g. ``CKV_AWS_24``.
        check_name: What the check ensures, in checkov's words.
        resource: The resource's plan address, e.g. ``module.web.aws_s3_bucket.logs[0]``.
        guideline: Link to the check's documentation; checkov only has it when
            it may download from Prisma Cloud, which tfgen does not allow.
    """

    check_id: str
    check_name: str
    resource: str
    guideline: str | None = None


@dataclass(frozen=True)
class ScanResult:
    """What checkov found in one plan.

    Attributes:
        passed: Checks that passed.
        failed: Checks that failed; the gate decides which of them block.
        skipped: Checks skipped by in-code suppressions.
        report_files: Report kind (``json``, ``junit``, ``sarif``) -> file.
    """

    passed: list[Finding] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    report_files: dict[str, Path] = field(default_factory=dict)


def run_checkov(
    checkov: Path, plan_json: Path, out_dir: Path, *, timeout_s: float = 900
) -> ScanResult:
    """Scan a ``terraform show -json`` plan and write checkov's reports to ``out_dir``.

    Writes ``checkov.json``, ``checkov.junit.xml`` and ``checkov.sarif`` (SARIF
    2.1.0), each checked to parse before it replaces the previous run's. checkov
    runs offline and with ``--soft-fail``: the gate, not its exit code, decides.

    Args:
        checkov: The checkov executable (see ``checkov_tool.find_checkov``).
        plan_json: Output of ``terraform show -json <planfile>``.
        out_dir: Directory for the reports; created if missing.
        timeout_s: Seconds after which checkov is stopped.

    Returns:
        The findings, and the paths of the report files.

    Raises:
        RunError: checkov crashed, timed out, could not parse the plan, or wrote
            reports that do not parse.
    """
    if not plan_json.is_file():
        raise RunError(f"plan JSON {plan_json} does not exist")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # A failed scan must not leave the last run's reports to be gated on.
        for _, kept in _REPORTS.values():
            (out_dir / kept).unlink(missing_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".checkov-", dir=out_dir))
    except OSError as exc:
        raise RunError(f"cannot write checkov reports to {out_dir}: {exc}") from exc
    try:
        _run(checkov, plan_json, work, timeout_s)
        written = {kind: work / name for kind, (name, _) in _REPORTS.items()}
        missing = sorted(p.name for p in written.values() if not p.is_file())
        if missing:
            raise RunError(f"checkov wrote no {', '.join(missing)} for {plan_json}")
        report_files = {kind: out_dir / kept for kind, (_, kept) in _REPORTS.items()}
        result = _result_from_report(_read_json(written["json"]), report_files)
        _check_junit(written["junit"])
        _check_sarif(written["sarif"])
        for kind, path in report_files.items():
            os.replace(written[kind], path)
    except OSError as exc:
        raise RunError(f"cannot write checkov reports to {out_dir}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def load_scan_result(out_dir: Path) -> ScanResult:
    """Read back the result of an earlier ``run_checkov`` from its ``checkov.json``.

    Args:
        out_dir: The directory ``run_checkov`` wrote its reports to.

    Returns:
        The findings, and the paths of those report files that exist.

    Raises:
        RunError: There is no readable ``checkov.json`` in ``out_dir``.
    """
    report_files = {
        kind: out_dir / kept for kind, (_, kept) in _REPORTS.items() if (out_dir / kept).is_file()
    }
    if "json" not in report_files:
        raise RunError(
            f"no checkov results in {out_dir}", hint="run `tfgen plan` to scan the plan again"
        )
    return _result_from_report(_read_json(report_files["json"]), report_files)


def _run(checkov: Path, plan_json: Path, work: Path, timeout_s: float) -> None:
    cmd = [
        str(checkov),
        "--file", plan_json.name,
        "--framework", "terraform_plan",
        "--output", "json", "--output", "junitxml", "--output", "sarif",
        "--output-file-path", str(work.resolve()),
        "--soft-fail",
        "--skip-download",
        "--compact",
    ]  # fmt: skip
    try:
        # From the plan's directory, the reports name the plan file as
        # "plan.json" instead of a path that depends on where tfgen was started.
        proc = subprocess.run(
            cmd,
            cwd=plan_json.parent,
            env=checkov_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        # On POSIX the partial output arrives as bytes even in text mode.
        partial = exc.stderr or b""
        stderr = partial.decode(errors="replace") if isinstance(partial, bytes) else partial
        raise RunError(
            f"checkov did not finish scanning {plan_json} within {timeout_s:g} s" + _tail(stderr)
        ) from exc
    except OSError as exc:
        raise RunError(f"cannot run checkov {checkov}: {exc}") from exc
    if proc.returncode != 0:
        raise RunError(
            f"checkov failed on {plan_json} (exit code {proc.returncode})"
            + _tail(proc.stderr or proc.stdout)
        )


def _tail(output: str) -> str:
    lines = output.strip().splitlines()[-_STDERR_TAIL_LINES:]
    return ":\n" + "\n".join(lines) if lines else ""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunError(f"cannot read checkov report {path}: {exc}") from exc


def _check_junit(path: Path) -> None:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise RunError(f"checkov's JUnit XML {path} does not parse: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise RunError(f"checkov's JUnit XML {path} has root <{root.tag}>, not <testsuites>")


def _check_sarif(path: Path) -> None:
    sarif = _read_json(path)
    version = sarif.get("version") if isinstance(sarif, dict) else None
    if version != "2.1.0":
        raise RunError(f"checkov's SARIF {path} has version {version!r}, not '2.1.0'")


def _result_from_report(report: Any, report_files: dict[str, Path]) -> ScanResult:
    # One framework gives a dict, several a list of dicts; a plan with nothing
    # to check gives a bare summary dict without "results".
    reports = report if isinstance(report, list) else [report]
    found: dict[str, list[Finding]] = {"passed": [], "failed": [], "skipped": []}
    try:
        for framework_report in reports:
            results: Mapping[str, Any] = framework_report.get("results", {})
            if results.get("parsing_errors"):
                # checkov exits 0 on a plan it cannot read: an empty result
                # would open the gate on a plan nobody scanned.
                raise RunError(
                    "checkov could not parse " + ", ".join(map(str, results["parsing_errors"]))
                )
            for outcome, findings in found.items():
                findings.extend(_finding(c) for c in results.get(f"{outcome}_checks", []))
    except (AttributeError, KeyError, TypeError) as exc:
        raise RunError(f"unexpected checkov JSON report: {exc!r}") from exc
    return ScanResult(
        passed=found["passed"],
        failed=found["failed"],
        skipped=found["skipped"],
        report_files=report_files,
    )


def _finding(check: Mapping[str, Any]) -> Finding:
    return Finding(
        check_id=check["check_id"],
        check_name=check.get("check_name") or "",
        # resource_address is the plan's address; "resource" is the older field.
        resource=check.get("resource_address") or check["resource"],
        guideline=check.get("guideline") or None,
    )
