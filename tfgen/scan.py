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
import time
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

    The same as ``PlanScan``, started and run at once.

    Raises:
        RunError: checkov crashed, timed out, could not parse the plan, or wrote
            a report that does not parse.
    """
    if not plan_json.is_file():
        raise RunError(f"plan JSON {plan_json} does not exist")
    with PlanScan(checkov, out_dir, timeout_s=timeout_s) as scan:
        return scan.run(plan_json)


# What checkov 3.3's plan parser reads of a plan (checkov/terraform/plan_parser.py):
# the planned values, the configuration (expressions, references, providers), and
# each resource change's address, actions, before and after (its changed keys) and
# after_unknown (read with EVAL_TF_PLAN_AFTER_UNKNOWN, which tfgen sets). The rest
# (prior state, relevant attributes, check results, sensitivity maps) it never
# reads, and its pure-Python YAML loader parses every byte. A test compares
# checkov on both forms.
_CHECKOV_READS = ("format_version", "terraform_version", "variables", "planned_values",
                  "configuration", "resource_changes")  # fmt: skip
_CHANGE_READS = ("actions", "before", "after", "after_unknown")


def checkov_view(plan_text: str) -> str:
    """The plan's JSON with only what checkov reads, for it to parse faster.

    Text that is not a JSON object is passed on as it is: checkov says what is wrong.
    """
    try:
        plan = json.loads(plan_text)
    except ValueError:
        return plan_text
    if not isinstance(plan, dict):
        return plan_text
    view = {key: plan[key] for key in _CHECKOV_READS if key in plan}
    changes = view.get("resource_changes")
    if isinstance(changes, list):
        view["resource_changes"] = [
            {**rc, "change": {k: v for k, v in rc["change"].items() if k in _CHANGE_READS}}
            if isinstance(rc, dict) and isinstance(rc.get("change"), dict)
            else rc
            for rc in changes
        ]
    return json.dumps(view)


class PlanScan:
    """A checkov scan of a plan, started before the plan exists.

    checkov runs offline and with ``--soft-fail`` (the gate, not its exit code,
    decides), in a scratch folder of ``out_dir`` holding a copy of the plan and
    an empty home, with ``checkov_tool.scan_env``'s environment. When checkov is
    a Python script (its own virtualenv, as tfgen installs it), its interpreter
    starts at once and imports checkov (most of a scan's time) while terraform
    plans; ``run`` then hands it the plan. Leaving the ``with`` block without a
    ``run`` stops it.

    Args:
        checkov: The checkov executable (see ``checkov_tool.find_checkov``).
        out_dir: Directory for ``checkov.json``; created if missing.
        timeout_s: Seconds the scan may take once the plan is handed over.

    Raises:
        RunError: the scratch folder cannot be made.
    """

    def __init__(self, checkov: Path, out_dir: Path, *, timeout_s: float = 900) -> None:
        self.checkov = checkov
        self.out_dir = out_dir
        self.timeout_s = timeout_s
        # Seconds checkov spent importing (overlapped with the plan) and scanning.
        self.timing: dict[str, float] = {}
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            # A failed scan must not leave the last run's report to be gated on.
            (out_dir / REPORT_JSON).unlink(missing_ok=True)
            self.work = Path(tempfile.mkdtemp(prefix=".checkov-", dir=out_dir))
            (self.work / "home").mkdir()
            (self.work / "out").mkdir()
        except OSError as exc:
            raise RunError(f"cannot write checkov reports to {out_dir}: {exc}") from exc
        self.command = [
            "--file", "plan.json",
            "--framework", "terraform_plan",
            "--output", "json",
            "--output-file-path", str((self.work / "out").resolve()),
            "--soft-fail",
            "--skip-download",
            "--compact",
        ]  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None
        python = _python_of(checkov)
        if python is not None:
            self.process = self._start([python, "-I", "-c", _WORKER_SOURCE, *self.command])

    def __enter__(self) -> PlanScan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop checkov if it still runs, and remove the scratch folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    def run(self, plan_json: Path) -> ScanResult:
        """Scan ``plan_json``; keep checkov's report as ``out_dir/checkov.json``.

        Raises:
            RunError: checkov crashed, timed out, could not parse the plan, or
                wrote a report that does not parse.
        """
        report = self.out_dir / REPORT_JSON
        try:
            # Named plan.json in the reports, wherever tfgen was started.
            (self.work / "plan.json").write_text(
                checkov_view(plan_json.read_text(encoding="utf-8")), encoding="utf-8"
            )
        except OSError as exc:
            raise RunError(f"cannot copy {plan_json} for checkov: {exc}") from exc
        started = time.monotonic()
        if self.process is None:
            self.process = self._start([str(self.checkov), *self.command])
        else:
            assert self.process.stdin is not None
            try:
                self.process.stdin.write(b"scan\n")
                self.process.stdin.close()
            except OSError:
                pass  # checkov already ended: its exit code and output say why
        self._wait()
        self.timing = _read_timing(self.work / "timing.json", time.monotonic() - started)
        written = self.work / "out" / _CHECKOV_JSON
        if not written.is_file():
            raise RunError(f"checkov wrote no {_CHECKOV_JSON} for {plan_json}")
        result = _result_from_report(_read_json(written), {"json": report})
        try:
            os.replace(written, report)
        except OSError as exc:
            raise RunError(f"cannot write checkov reports to {self.out_dir}: {exc}") from exc
        return result

    def _start(self, command: list[str]) -> subprocess.Popen[bytes]:
        try:
            # Output goes to files: nobody reads a pipe while checkov waits for the plan.
            with (self.work / "stdout").open("wb") as out, (self.work / "stderr").open("wb") as err:
                return subprocess.Popen(
                    command,
                    cwd=self.work,
                    env=scan_env(self.work / "home"),
                    stdin=subprocess.PIPE,
                    stdout=out,
                    stderr=err,
                    # Its own session: a Ctrl-C meant for tfgen does not print
                    # checkov's traceback; tfgen stops it on the way out.
                    start_new_session=True,
                )
        except OSError as exc:
            raise RunError(f"cannot run checkov {self.checkov}: {exc}") from exc

    def _wait(self) -> None:
        assert self.process is not None
        try:
            code = self.process.wait(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            self.close()
            raise RunError(
                f"checkov did not finish scanning the plan within {self.timeout_s:g} s"
                + _tail(self._output("stderr"))
            ) from None
        if code != 0:
            raise RunError(
                f"checkov failed on the plan (exit code {code})"
                + _tail(self._output("stderr") or self._output("stdout"))
            )

    def _output(self, name: str) -> str:
        try:
            return (self.work / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


# The worker runs by source (`python -I -c`), not as a file: a script's folder
# would go first on checkov's import path, and tfgen's modules are no checkov's.
_WORKER_SOURCE = (Path(__file__).with_name("checkov_worker.py")).read_text(encoding="utf-8")


def _python_of(checkov: Path) -> str | None:
    """The interpreter of a checkov that is a Python console script, else None."""
    try:
        with checkov.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    first, _, rest = head.partition(b"\n")
    if not first.startswith(b"#!") or b"checkov.main" not in rest:
        return None
    interpreter = first[2:].decode(errors="replace").strip()
    # `#!/usr/bin/env python3` style lines name a command, not a file.
    if " " in interpreter or not Path(interpreter).name.startswith("python"):
        return None
    if not Path(interpreter).is_file():
        return None
    return interpreter


def _read_timing(path: Path, waited: float) -> dict[str, float]:
    try:
        timing = {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        timing = {}
    timing["wait_s"] = waited
    return timing


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
