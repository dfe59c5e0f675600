"""Run one environment through terraform: init, plan (+scan), apply, destroy, output.

The runner owns the order of stages and the checks between them (one tfgen run
per root, fresh sources, the very plan that was scanned, a passed gate, an
unchanged state, a confirmed apply); terraform itself, checkov, the target
(AWS or the emulator) and the bundle files each live in their own module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen import STARTED, __version__
from tfgen.checkov_tool import find_checkov
from tfgen.compose import RootSpec, compose_root
from tfgen.drift import DriftReport, drift_of, write_drift_reports
from tfgen.emulator_limits import Unsupported, describe
from tfgen.errors import (
    EmulatorLimitError,
    GateRefusedError,
    InputError,
    InterruptedRunError,
    LockHeldError,
    RunError,
    StalePlanError,
)
from tfgen.file_lock import holder_of, locked, this_process
from tfgen.gate import GateResult, WaiverLike, evaluate
from tfgen.generate import generate
from tfgen.inventory import Inventory
from tfgen.locations import Locator
from tfgen.plan_bundle import (
    Manifest,
    PlanBundle,
    changed_sources,
    prior_state,
    source_hashes,
    state_serial,
)
from tfgen.project import Project
from tfgen.reports import write_reports
from tfgen.scan import PlanScan, ScanResult, load_scan_result
from tfgen.settings import Settings
from tfgen.stopwatch import Stopwatch
from tfgen.summary import PlanChanges, console_summary, plan_changes, render_summary
from tfgen.targets import Target
from tfgen.terraform import Terraform, terraform_env
from tfgen.ui import UI


@contextmanager
def root_lock(project: Project, root: str, command: str) -> Iterator[None]:
    """Hold ``root``'s run lock for ``command`` (a plan, an apply, a generate...).

    Raises:
        LockHeldError: another tfgen process works on this root; the message
            says which command, its pid and since when.
    """
    path = project.work_dir / "locks" / f"{root}.lock"
    try:
        with locked(path, wait=False, holder=this_process(command, _now())):
            yield
    except BlockingIOError:
        holder = holder_of(path)
        raise LockHeldError(
            f"another tfgen run is working on '{root}':"
            f" `{holder.get('command', '?')}` (pid {holder.get('pid', '?')},"
            f" since {holder.get('since', '?')})",
            hint="wait for it to finish; the lock goes with that process",
        ) from None


@dataclass(frozen=True)
class PlanOutcome:
    """The result of ``plan``: the bundle and whether the gate lets it through."""

    bundle: PlanBundle
    gate: GateResult
    scan: ScanResult
    changes: PlanChanges
    emulator_cannot_create: list[Unsupported]


class EnvironmentRunner:
    """Runs the terraform stages of one environment against one target."""

    def __init__(
        self,
        *,
        project: Project,
        settings: Settings,
        inventory: Inventory,
        env: str,
        target: Target,
        ui: UI,
        timeout: float | None = None,
        lock_timeout: str = "0s",
        command: str = "",
    ) -> None:
        self.root = inventory.root(env)  # fails early on an unknown root
        self.project = project
        self.settings = settings
        self.inventory = inventory
        self.env = env
        self.target = target
        self.ui = ui
        self.timeout = timeout
        self.lock_timeout = lock_timeout
        self.command = command or f"tfgen ... {env}"
        self.bundle = PlanBundle(project.plan_dir(env))

    # -- one run per root ----------------------------------------------------

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the root's run lock: two tfgen runs of one root would mix its bundle."""
        with root_lock(self.project, self.env, self.command):
            yield

    # -- stages ---------------------------------------------------------------

    def prepare_state(self) -> None:
        """Check the credentials' account; make sure the state bucket and lock table exist."""
        self.check_account()
        self.target.prepare_state(self.root, self.inventory.backend(self.env), self.ui)

    def check_account(self) -> None:
        """Refuse, before terraform starts, credentials of another account than the root's.

        Raises:
            InputError: the credentials act in another account (exit 2).
        """
        account = self.root.account
        if account is None:
            return
        actual, arn = self.target.identity(self.root)
        if actual == account.id:
            return
        other = next((n for n, a in self.inventory.accounts.items() if a.id == actual), None)
        named = f" (the inventory's '{other}')" if other else ""
        raise InputError(
            f"the AWS credentials act in account {actual}{named} as {arn}, but '{self.env}'"
            f" is pinned to account {account.describe()}; terraform was not started",
            hint=f"use credentials for account {account.id} (AWS_PROFILE, or the CI role"
            f" of '{self.env}')",
        )

    def generate(self) -> RootSpec:
        """Write ``envs/<env>/`` from the inventory; return its spec."""
        report = generate(self.inventory, [self.env], self.project, self.settings.terraform)
        for path in report.written + report.removed:
            self.ui.info(f"  generated {path.relative_to(self.project.root)}")
        return compose_root(self.inventory, self.env, self.project)

    def init(self, *, force: bool = False) -> None:
        """``terraform init`` when needed (or always with ``force``).

        Skipped when the root, its modules, the CLI config and the target are
        exactly those of the last successful init of this data dir.
        """
        spec = compose_root(self.inventory, self.env, self.project)
        data_dir = self.project.data_dir(self.env, self.target.kind)
        marker = data_dir / "tfgen-init.json"
        fingerprint = self._init_fingerprint(spec)
        if not force and marker.is_file() and marker.read_text() == fingerprint:
            return
        data_dir.mkdir(parents=True, exist_ok=True)
        self.ui.step(f"terraform init ({self.env}, {self.target.kind})")
        # One init at a time on this machine: terraform's shared plugin cache is
        # not safe for concurrent installs (hashicorp/terraform#31964).
        with locked(self.settings.cache_dir / "terraform-init.lock"):
            self._terraform().run(
                "init",
                "-input=false",
                "-reconfigure",
                *self._color(),
                *self.target.init_args,
                timeout=self.timeout,
            )
        marker.write_text(self._init_fingerprint(spec))  # now with the lock file init wrote

    def plan(self) -> PlanOutcome:
        """Generate, init, plan, scan and write the bundle (and its ``timings.json``).

        Raises:
            RunError: terraform or checkov failed.
        """
        clock = Stopwatch()
        if _first_plan.acquire(blocking=False):  # later roots of a run did not start tfgen
            clock.add("start-up", clock.started - STARTED)
        with clock.part("account and state"):
            self.prepare_state()
        with clock.part("generate"):
            spec = self.generate()
        with clock.part("init"):
            self.init()
        bundle = self.bundle
        bundle.start()
        checkov = find_checkov(self.settings.cache_dir, on_install=self.ui.step)
        # checkov imports itself while terraform plans; it scans once the plan is shown.
        with PlanScan(checkov, bundle.folder, timeout_s=self.timeout or 900) as scan_job:
            terraform = self._terraform()
            self.ui.step(f"terraform plan ({self.env}, {self.target.kind})")
            with clock.part("terraform plan"):
                self._locking(
                    terraform.run,
                    "plan",
                    "-input=false",
                    *self._color(),
                    f"-lock-timeout={self.lock_timeout}",
                    f"-out={bundle.plan_file}",
                    timeout=self.timeout,
                )
            with clock.part("terraform show -json"):
                shown = terraform.run("show", "-json", str(bundle.plan_file), stream=False)
            with clock.part("read plan"):
                bundle.plan_json.write_text(shown.stdout, encoding="utf-8")
                serial, lineage = prior_state(bundle.plan_file)
                planned = json.loads(shown.stdout)
                changes = plan_changes(planned)
            scan, gate = self._scan(changes, scan_job, clock)
        with clock.part("manifest"):
            counts = {
                "add": changes.to_add,
                "change": changes.to_change,
                "destroy": changes.to_destroy,
            }
            bundle.write_manifest(
                Manifest(
                    env=self.env,
                    target=self.target.kind,
                    target_id=self.target.target_id(self.root),
                    account_id=self.root.account.id if self.root.account else None,
                    created_at=_now(),
                    tfgen_version=__version__,
                    config_sha256=self.inventory.config_hash(self.env),
                    sources=self._sources(spec),
                    files=bundle.file_hashes(),
                    waivers_sha256=self._waivers_hash(),
                    state_serial=serial,
                    state_lineage=lineage,
                    changes=counts,
                    blocking_failures=len(gate.blocking),
                )
            )
        clock.write(bundle.timings)
        return PlanOutcome(bundle, gate, scan, changes, self.target.cannot_create(planned))

    def rescan(self) -> PlanOutcome:
        """Scan the saved plan again (new waivers, a new checkov) and rewrite its reports.

        The plan stays appliable: waivers are not part of what terraform applies.

        Raises:
            StalePlanError: no saved plan, or its files are not the ones planned.
        """
        manifest = self.bundle.read_manifest(self.env, self._plan_command())
        self._refuse_changed_files(manifest, ignore=("checkov.json",))
        planned = json.loads(self.bundle.plan_json.read_text(encoding="utf-8"))
        changes = plan_changes(planned)
        scan, gate = self._scan(changes)
        self.bundle.write_manifest(
            manifest.model_copy(
                update={
                    "files": self.bundle.file_hashes(),
                    "waivers_sha256": self._waivers_hash(),
                    "blocking_failures": len(gate.blocking),
                }
            )
        )
        return PlanOutcome(self.bundle, gate, scan, changes, self.target.cannot_create(planned))

    def saved_outcome(self) -> PlanOutcome:
        """The saved plan and its scan, judged with the current waivers (no terraform, no checkov).

        Raises:
            StalePlanError: there is no complete plan bundle.
        """
        manifest = self.bundle.read_manifest(self.env, self._plan_command())
        planned = json.loads(self.bundle.plan_json.read_text(encoding="utf-8"))
        scan = load_scan_result(self.bundle.folder)
        gate = evaluate(scan, self._waivers())
        del manifest  # read for its check: a bundle without one is not complete
        return PlanOutcome(self.bundle, gate, scan, plan_changes(planned), [])

    def _scan(
        self,
        changes: PlanChanges,
        job: PlanScan | None = None,
        clock: Stopwatch | None = None,
    ) -> tuple[ScanResult, GateResult]:
        clock = clock or Stopwatch()
        with contextlib.ExitStack() as stack:
            if job is None:
                checkov = find_checkov(self.settings.cache_dir, on_install=self.ui.step)
                job = stack.enter_context(
                    PlanScan(checkov, self.bundle.folder, timeout_s=self.timeout or 900)
                )
            with self.ui.spinner(f"checkov: scanning the plan of {self.env}"):
                scan = job.run(self.bundle.plan_json)
        for name, seconds in job.timing.items():
            clock.add(f"checkov {name.removesuffix('_s')}", seconds)
        with clock.part("gate and reports"):
            gate = evaluate(scan, self._waivers())
            locate = Locator(self.project.root, self.project.env_dir(self.env))
            reports = write_reports(self.bundle.folder, self.env, scan, gate, locate=locate)
            scan = ScanResult(
                passed=scan.passed,
                failed=scan.failed,
                skipped=scan.skipped,
                report_files={**scan.report_files, **reports},
                checkov_version=scan.checkov_version,
            )
            self.bundle.summary.write_text(
                render_summary(
                    self.env, self.target.kind, changes, gate, scan, self._report_files(scan)
                ),
                encoding="utf-8",
            )
        return scan, gate

    def summary_lines(self, outcome: PlanOutcome) -> list[str]:
        """Short terminal summary of a plan."""
        lines = console_summary(
            outcome.changes, outcome.gate, outcome.scan, self._report_files(outcome.scan)
        )
        if outcome.emulator_cannot_create:
            lines.append(
                f"Sandbox: the emulator cannot create {len(outcome.emulator_cannot_create)}"
                " planned resource(s), so `apply --sandbox` will refuse this plan:"
            )
            lines += describe(outcome.emulator_cannot_create)
        return lines

    def apply(self, *, confirm: Callable[[Manifest], bool]) -> Manifest:
        """Apply exactly the saved plan, after the freshness and gate checks.

        Args:
            confirm: asked last, with the manifest; False aborts.

        Raises:
            StalePlanError: no plan, or it was made from other sources/target/state.
            GateRefusedError: checkov failures that no waiver covers.
            InputError: the person declined.
        """
        # No saved plan, or one made for another target: nothing to ask AWS about.
        self._refuse_other_target(self.bundle.read_manifest(self.env, self._plan_command()))
        self.check_account()  # then who the credentials are, before the plan's own checks
        manifest = self.check_saved_plan()
        scan = load_scan_result(self.bundle.folder)
        gate = evaluate(scan, self._waivers())
        if not gate.allowed:
            lines = [f"  {f.check_id} {f.resource}: {f.check_name}" for f in gate.blocking]
            raise GateRefusedError(
                f"the policy gate refuses to apply '{self.env}': "
                f"{len(gate.blocking)} checkov failure(s) not waived:\n" + "\n".join(lines),
                hint="fix the module or inventory, or add a waiver with a reason to the"
                f" inventory's `waivers`, then `tfgen scan {self.env}{self.target.flag}`;"
                f" details in {self.bundle.summary}",
            )
        self._refuse_what_the_target_cannot_create()
        self.prepare_state()
        self.init()
        self._refuse_changed_state(manifest)
        if not confirm(manifest):
            raise InputError("apply cancelled; nothing was changed")
        # Written before terraform starts: whatever happens next, this plan has
        # been (partly) applied and must not be applied a second time.
        self.bundle.write_manifest(manifest.model_copy(update={"apply_started_at": _now()}))
        self.ui.step(f"terraform apply ({self.env}, {self.target.kind})")
        try:
            self._locking(
                self._terraform().run,
                "apply",
                "-input=false",
                *self._color(),
                f"-lock-timeout={self.lock_timeout}",
                str(self.bundle.plan_file),
                timeout=self.timeout,
            )
        except InterruptedRunError as exc:
            raise InterruptedRunError(
                f"{exc.message}; part of the plan may be applied",
                hint=f"the saved plan is stale now: run `{self._plan_command()}` again, then apply",
            ) from None
        except LockHeldError:
            self.bundle.write_manifest(manifest)  # nothing was applied: the plan still holds
            raise
        except RunError as exc:
            raise RunError(
                exc.message,
                hint=f"the saved plan is stale now: run `{self._plan_command()}` again,"
                " fix what failed, then apply",
            ) from None
        manifest = manifest.model_copy(update={"apply_started_at": None, "applied_at": _now()})
        self.bundle.write_manifest(manifest)
        self.bundle.plan_file.unlink(missing_ok=True)
        return manifest

    def _refuse_what_the_target_cannot_create(self) -> None:
        # Refused before anything is applied: the emulator would stop the apply
        # half done, minutes in, on an error about itself. (Nothing on AWS.)
        unsupported = self.target.cannot_create(
            json.loads(self.bundle.plan_json.read_text(encoding="utf-8"))
        )
        if unsupported:
            lines = "\n".join(describe(unsupported))
            raise EmulatorLimitError(
                f"the embedded emulator cannot create {len(unsupported)} resource(s) of the"
                f" saved plan of '{self.env}'; nothing was applied:\n{lines}",
                hint="a limit of the emulator, not of the plan; to try the rest on the sandbox,"
                " make those changes in a scratch copy of the project"
                " (README: 'What the sandbox cannot apply')",
            )

    def check_saved_plan(self) -> Manifest:
        """Return the saved plan's manifest if it can still be applied.

        Raises:
            StalePlanError: saying what changed and what to do.
        """
        manifest = self.bundle.read_manifest(self.env, self._plan_command())
        again = f"run `{self._plan_command()}` again"
        if manifest.applied_at is not None:
            raise StalePlanError(
                f"the saved plan of '{self.env}' was already applied at {manifest.applied_at}",
                hint=again,
            )
        if manifest.apply_started_at is not None:
            raise StalePlanError(
                f"an apply of the saved plan of '{self.env}' started at"
                f" {manifest.apply_started_at} and did not finish; the state may be partly"
                " applied, so this plan is stale",
                hint=again,
            )
        self._refuse_other_target(manifest)
        spec = compose_root(self.inventory, self.env, self.project)
        drift = generate(
            self.inventory, [self.env], self.project, self.settings.terraform, check=True
        ).differs
        changed = changed_sources(manifest.sources, self._sources(spec))
        if manifest.config_sha256 != self.inventory.config_hash(self.env):
            changed.insert(0, f"{self.inventory.path.name} (environment '{self.env}')")
        changed += [p.relative_to(self.project.root).as_posix() for p in drift]
        if changed:
            raise StalePlanError(
                f"the sources of '{self.env}' changed since the plan:"
                f" {', '.join(sorted(set(changed)))}",
                hint=again,
            )
        self._refuse_changed_files(manifest)
        if manifest.waivers_sha256 != self._waivers_hash():
            raise StalePlanError(
                f"the waivers of '{self.env}' changed since its plan was scanned",
                hint=f"run `tfgen scan {self.env}{self.target.flag}` to judge the saved plan"
                " with them (the plan stays appliable)",
            )
        return manifest

    def _refuse_other_target(self, manifest: Manifest) -> None:
        here = self.target.target_id(self.root)
        if manifest.target_id != here:
            raise StalePlanError(
                f"the saved plan of '{self.env}' was made for {manifest.target_id},"
                f" not {here} (this command's target)",
                hint=f"run `{self._plan_command()}` again",
            )

    def _refuse_changed_files(self, manifest: Manifest, ignore: tuple[str, ...] = ()) -> None:
        changed = [name for name in self.bundle.changed_files(manifest) if name not in ignore]
        if not changed:
            return
        if "tfplan" in changed and not self.bundle.plan_file.is_file():
            raise StalePlanError(
                f"the saved plan file of '{self.env}' is missing",
                hint=f"run `{self._plan_command()}` again",
            )
        raise StalePlanError(
            f"the plan bundle of '{self.env}' was changed after it was scanned:"
            f" {', '.join(changed)} is not the file that was planned and scanned",
            hint=f"run `{self._plan_command()}` again",
        )

    def _state_pull(self) -> str:
        return self._terraform().run("state", "pull", stream=False, timeout=self.timeout).stdout

    def _refuse_changed_state(self, manifest: Manifest) -> None:
        serial, lineage = state_serial(self._state_pull())
        if (serial, lineage) == (manifest.state_serial, manifest.state_lineage):
            return
        raise StalePlanError(
            f"the state of '{self.env}' changed since the plan (serial {manifest.state_serial}"
            f" ➜ {serial}): another apply ran, or an interrupted one left part of its work",
            hint=f"run `{self._plan_command()}` again",
        )

    def destroy(self, *, confirm: Callable[[], bool]) -> None:
        """Destroy every resource of the environment (after ``confirm``)."""
        if not confirm():
            raise InputError("destroy cancelled; nothing was changed")
        self.prepare_state()
        self.generate()
        self.init()
        self.bundle.start()  # any saved plan is meaningless after a destroy
        for done in self.target.prepare_destroy(self.root, self._state_pull):
            self.ui.step(f"{self.target.kind}: {done}")
        self.ui.step(f"terraform destroy ({self.env}, {self.target.kind})")
        self._locking(
            self._terraform().run,
            "apply",
            "-destroy",
            "-auto-approve",
            "-input=false",
            *self._color(),
            f"-lock-timeout={self.lock_timeout}",
            timeout=self.timeout,
        )

    def drift(self) -> DriftReport:
        """A refresh-only plan: what changed in AWS behind terraform's back.

        It changes neither the state nor the saved plan: its files go to
        ``.tfgen/drift/<root>/``.

        Raises:
            RunError: terraform failed.
        """
        self.prepare_state()
        self.generate()
        self.init()
        folder = self.project.work_dir / "drift" / self.env
        folder.mkdir(parents=True, exist_ok=True)
        plan_file = folder / "drift.tfplan"
        terraform = self._terraform()
        self.ui.step(f"terraform plan -refresh-only ({self.env}, {self.target.kind})")
        self._locking(
            terraform.run,
            "plan",
            "-refresh-only",
            "-input=false",
            *self._color(),
            f"-lock-timeout={self.lock_timeout}",
            f"-out={plan_file}",
            timeout=self.timeout,
        )
        shown = terraform.run("show", "-json", str(plan_file), stream=False, timeout=self.timeout)
        report = drift_of(json.loads(shown.stdout), self.env, self._computed_attributes())
        locate = Locator(self.project.root, self.project.env_dir(self.env))
        write_drift_reports(folder, report, locate)
        plan_file.unlink(missing_ok=True)
        return report

    def _computed_attributes(self) -> Callable[[str, str], bool]:
        """Which attributes the providers compute, from ``terraform providers schema``."""
        answer = self._terraform().run(
            "providers", "schema", "-json", stream=False, timeout=self.timeout
        )
        computed = {
            (kind, name)
            for provider in json.loads(answer.stdout).get("provider_schemas", {}).values()
            for kind, schema in provider.get("resource_schemas", {}).items()
            for name, attribute in schema.get("block", {}).get("attributes", {}).items()
            if attribute.get("computed")
        }
        return lambda kind, name: (kind, name) in computed

    def output(self, name: str | None, *, as_json: bool) -> str:
        """``terraform output`` of the environment's state."""
        self.prepare_state()
        self.init()
        args = ["output", "-no-color"]
        if as_json:
            args.append("-json")
        elif name:
            args.append("-raw")
        if name:
            args.append(name)
        return self._terraform().run(*args, stream=False, timeout=self.timeout).stdout

    def state_lock(self, lock_id: str) -> dict[str, Any]:
        """Who holds terraform's state lock ``lock_id`` of this environment.

        Raises:
            InputError: no such lock is held on this environment's state.
        """
        self.check_account()
        backend = self.inventory.backend(self.env)
        key = f"{backend.bucket}/{backend.key}"
        from tfgen.bootstrap import lock_holders  # boto3: only when a lock is held

        holders = lock_holders(self.target.session(self.root, backend.region), backend.lock_table)
        for holder in holders:
            if holder.get("ID") == lock_id and holder.get("LockID") == key:
                return holder
        held = [str(h.get("ID")) for h in holders if h.get("LockID") == key]
        raise InputError(
            f"no state lock {lock_id} is held on '{self.env}'"
            + (f" (held: {', '.join(held)})" if held else " (its state is not locked)")
        )

    def force_unlock(self, lock_id: str) -> None:
        """``terraform force-unlock`` with tfgen's data folder and target."""
        self.prepare_state()
        self.init()
        self._terraform().run(
            "force-unlock", "-force", *self._color(), lock_id, timeout=self.timeout
        )

    # -- helpers --------------------------------------------------------------

    def _locking(self, run: Callable[..., Any], *args: str, timeout: float | None) -> Any:
        """Run a terraform command that takes the state lock; name `tfgen unlock` if held."""
        try:
            return run(*args, timeout=timeout)
        except LockHeldError as exc:
            unlock = f"tfgen unlock {self.env} {exc.lock_id or '<ID>'}{self.target.flag}"
            wait = (
                f"it was still held after --lock-timeout {self.lock_timeout}"
                if self.lock_timeout not in ("", "0s")
                else exc.hint
            )
            raise LockHeldError(
                exc.message,
                hint=f"{wait}; if that run died, `{unlock}` shows who holds it and frees it",
                lock_id=exc.lock_id,
            ) from None

    def _plan_command(self) -> str:
        return f"tfgen plan {self.env}{self.target.flag}"

    def _waivers(self) -> list[WaiverLike]:
        # The inventory's own choices first; then what modules and sections carry by design.
        spec = compose_root(self.inventory, self.env, self.project)
        return [*self.inventory.waivers_for(self.env), *spec.carried_waivers]

    def _waivers_hash(self) -> str:
        rows = [[w.check, w.resource, w.reason, w.carried_by] for w in self._waivers()]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()

    def _terraform(self) -> Terraform:
        region = self.inventory.settings(self.env).region
        extra, drop = self.target.env_overrides(self.root, region)
        env = terraform_env(
            os.environ,
            data_dir=self.project.data_dir(self.env, self.target.kind).resolve(),
            cli_config=self.settings.cli_config(self.project.work_dir),
            plugin_cache=self.settings.plugin_cache,
            extra=extra,
            drop_prefixes=drop,
        )
        self.settings.plugin_cache.mkdir(parents=True, exist_ok=True)
        return Terraform(
            self.settings.terraform,
            cwd=self.project.env_dir(self.env),
            env=env,
            echo=self.ui.stream,
        )

    def _color(self) -> tuple[str, ...]:
        return () if self.ui.color else ("-no-color",)

    def _module_dirs(self, spec: RootSpec) -> list[Path]:
        env_dir = self.project.env_dir(self.env)
        return [(env_dir / call.source).resolve() for call in spec.modules]

    def _sources(self, spec: RootSpec) -> dict[str, str]:
        return source_hashes(
            self.project.root.resolve(),
            self.project.env_dir(self.env).resolve(),
            self._module_dirs(spec),
        )

    def _init_fingerprint(self, spec: RootSpec) -> str:
        env_dir = self.project.env_dir(self.env)
        lock_file = env_dir / ".terraform.lock.hcl"
        parts = [
            (env_dir / "versions.tf").read_text(encoding="utf-8"),
            (env_dir / "backend.tf").read_text(encoding="utf-8"),
            # init writes the lock file beside the root; without it, init again.
            lock_file.read_text(encoding="utf-8") if lock_file.is_file() else "no lock file",
            json.dumps([call.source for call in spec.modules]),
            str(self.settings.provider_mirror),
            self.target.target_id(self.root),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _report_files(self, scan: ScanResult) -> dict[str, Path]:
        files = {"plan": self.bundle.plan_json, "summary": self.bundle.summary}
        files.update(scan.report_files)
        return {name: _relative(path, self.project.root) for name, path in files.items()}


# Taken by the first plan of this process: its timings count tfgen's start-up.
_first_plan = threading.Lock()


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def ensure_plan_allowed(outcome: PlanOutcome, env: str) -> None:
    """Raise the gate's refusal for a plan (``tfgen plan`` exits 3 on it)."""
    if not outcome.gate.allowed:
        raise GateRefusedError(
            f"checkov: {len(outcome.gate.blocking)} failure(s) in '{env}' are not waived;"
            " `tfgen apply` will refuse this plan",
            hint=f"see {outcome.bundle.summary} for each failure and how to fix or waive it",
        )
