"""Scan a plan's JSON with checkov, isolated from anything outside tfgen.

checkov runs in a folder tfgen owns, with a home of its own and an environment
of a few allowed variables (``checkov_tool.scan_env``): no ``.checkov.yaml``, no
``CKV_SKIP_CHECK`` or other setting of the user's can skip or filter a check and
so open the gate. Its JSON report is kept as ``checkov.json``; the JUnit and
SARIF reports, which must say what the gate decided, are written by ``reports``.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.checkov_tool import scan_env
from tfgen.errors import RunError, output_tail

# The name checkov writes its JSON report under, and the name tfgen keeps.
_CHECKOV_JSON = "results_json.json"
REPORT_JSON = "checkov.json"
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
        skip_comment: For a check checkov did not run (a suppression), why it
            says it skipped it; such a check blocks unless a waiver covers it.
    """

    check_id: str
    check_name: str
    resource: str
    guideline: str | None = None
    skip_comment: str | None = None


@dataclass(frozen=True)
class ScanResult:
    """What checkov found in one plan.

    Attributes:
        passed: Checks that passed.
        failed: Checks that failed; the gate decides which of them block.
        skipped: Checks checkov did not run (suppressions); the gate treats
            them as failures.
        report_files: Report kind (``json``) -> file.
        checkov_version: The version checkov reported, when it did.
    """

    passed: list[Finding] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    report_files: dict[str, Path] = field(default_factory=dict)
    checkov_version: str | None = None


def run_checkov(
    checkov: Path, plan_json: Path, out_dir: Path, *, timeout_s: float = 900
) -> ScanResult:
    """Scan a ``terraform show -json`` plan and keep checkov's JSON report in ``out_dir``.

    checkov runs offline and with ``--soft-fail`` (the gate, not its exit code,
    decides), in a scratch folder of ``out_dir`` holding a copy of the plan and
    an empty home, with ``checkov_tool.scan_env``'s environment.

    Args:
        checkov: The checkov executable (see ``checkov_tool.find_checkov``).
        plan_json: Output of ``terraform show -json <planfile>``.
        out_dir: Directory for ``checkov.json``; created if missing.
        timeout_s: Seconds after which checkov is stopped.

    Returns:
        The findings, and the path of the report.

    Raises:
        RunError: checkov crashed, timed out, could not parse the plan, or wrote
            a report that does not parse.
    """
    if not plan_json.is_file():
        raise RunError(f"plan JSON {plan_json} does not exist")
    report = out_dir / REPORT_JSON
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # A failed scan must not leave the last run's report to be gated on.
        report.unlink(missing_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".checkov-", dir=out_dir))
    except OSError as exc:
        raise RunError(f"cannot write checkov reports to {out_dir}: {exc}") from exc
    try:
        # Named plan.json in the reports, wherever tfgen was started.
        shutil.copyfile(plan_json, work / "plan.json")
        (work / "home").mkdir()
        (work / "out").mkdir()
        _run(checkov, work, timeout_s)
        written = work / "out" / _CHECKOV_JSON
        if not written.is_file():
            raise RunError(f"checkov wrote no {_CHECKOV_JSON} for {plan_json}")
        result = _result_from_report(_read_json(written), {"json": report})
        os.replace(written, report)
    except OSError as exc:
        raise RunError(f"cannot write checkov reports to {out_dir}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def load_scan_result(out_dir: Path) -> ScanResult:
    """Read back the result of an earlier ``run_checkov`` from its ``checkov.json``.

    Args:
        out_dir: The directory ``run_checkov`` wrote its report to.

    Returns:
        The findings, and the path of the report.

    Raises:
        RunError: There is no readable ``checkov.json`` in ``out_dir``.
    """
    report = out_dir / REPORT_JSON
    if not report.is_file():
        raise RunError(
            f"no checkov results in {out_dir}", hint="run `tfgen plan` to scan the plan again"
        )
    return _result_from_report(_read_json(report), {"json": report})


def _run(checkov: Path, work: Path, timeout_s: float) -> None:
    cmd = [
        str(checkov),
        "--file", "plan.json",
        "--framework", "terraform_plan",
        "--output", "json",
        "--output-file-path", str((work / "out").resolve()),
        "--soft-fail",
        "--skip-download",
        "--compact",
    ]  # fmt: skip
    try:
        proc = subprocess.run(
            cmd,
            cwd=work,
            env=scan_env(work / "home"),
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
            f"checkov did not finish scanning the plan within {timeout_s:g} s" + _tail(stderr)
        ) from exc
    except OSError as exc:
        raise RunError(f"cannot run checkov {checkov}: {exc}") from exc
    if proc.returncode != 0:
        raise RunError(
            f"checkov failed on the plan (exit code {proc.returncode})"
            + _tail(proc.stderr or proc.stdout)
        )


def _tail(output: str) -> str:
    tail = output_tail(output, _STDERR_TAIL_LINES)
    return ":\n" + tail if tail else ""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunError(f"cannot read checkov report {path}: {exc}") from exc


def _result_from_report(report: Any, report_files: dict[str, Path]) -> ScanResult:
    # One framework gives a dict, several a list of dicts; a plan with nothing
    # to check gives a bare summary dict without "results".
    reports = report if isinstance(report, list) else [report]
    found: dict[str, list[Finding]] = {"passed": [], "failed": [], "skipped": []}
    version = None
    try:
        for framework_report in reports:
            summary = framework_report.get("summary", framework_report)
            version = version or summary.get("checkov_version")
            results: Mapping[str, Any] = framework_report.get("results", {})
            if results.get("parsing_errors"):
                # checkov exits 0 on a plan it cannot read: an empty result
                # would open the gate on a plan nobody scanned.
                raise RunError(
                    "checkov could not parse " + ", ".join(map(str, results["parsing_errors"]))
                )
            for outcome, findings in found.items():
                findings.extend(_finding(c, outcome) for c in results.get(f"{outcome}_checks", []))
    except (AttributeError, KeyError, TypeError) as exc:
        raise RunError(f"unexpected checkov JSON report: {exc!r}") from exc
    return ScanResult(
        passed=found["passed"],
        failed=found["failed"],
        skipped=found["skipped"],
        report_files=report_files,
        checkov_version=version,
    )


def _finding(check: Mapping[str, Any], outcome: str) -> Finding:
    skip_comment = None
    if outcome == "skipped":
        result = check.get("check_result") or {}
        skip_comment = str(result.get("suppress_comment") or "skipped by checkov")
    return Finding(
        check_id=check["check_id"],
        check_name=check.get("check_name") or "",
        # resource_address is the plan's address; "resource" is the older field.
        resource=check.get("resource_address") or check["resource"],
        guideline=check.get("guideline") or None,
        skip_comment=skip_comment,
    )
