"""Run one environment through terraform: init, plan (+scan), apply, destroy, output.

The runner owns the order of stages and the checks between them (fresh
sources, a passed gate, a confirmed apply); terraform itself, checkov, the
emulator and the bundle files each live in their own module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen import __version__
from tfgen.bootstrap import bootstrap
from tfgen.checkov_tool import find_checkov
from tfgen.compose import EnvSpec, compose_environment
from tfgen.emulator_limits import Unsupported, describe, emulator_cannot_create
from tfgen.errors import EmulatorLimitError, GateRefusedError, InputError, StalePlanError
from tfgen.gate import GateResult, evaluate
from tfgen.generate import generate
from tfgen.inventory import Inventory
from tfgen.plan_bundle import (
    Manifest,
    PlanBundle,
    changed_sources,
    source_hashes,
    state_serial,
)
from tfgen.project import Project, Target
from tfgen.sandbox import Sandbox
from tfgen.sandbox_destroy import prepare_destroy
from tfgen.scan import ScanResult, load_scan_result, run_checkov
from tfgen.settings import Settings
from tfgen.summary import PlanChanges, console_summary, plan_changes, render_summary
from tfgen.terraform import Terraform, terraform_env
from tfgen.ui import UI


@dataclass(frozen=True)
class TargetAccount:
    """Where terraform talks to: the embedded emulator or real AWS."""

    kind: Target
    sandbox: Sandbox | None = None

    @property
    def target_id(self) -> str:
        """Identifies this account; a plan made for another one is refused."""
        if self.sandbox is None:
            return "aws"
        return f"sandbox pid {self.sandbox.pid} started {self.sandbox.started_at}"

    def env_overrides(self, region: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """Variables to set, and prefixes of the user's variables to drop."""
        if self.sandbox is None:
            return {}, ()
        # The provider ignores AWS_MAX_ATTEMPTS; without this a call moto does not
        # implement (HTTP 500) is retried 25 times, which looks like a hang.
        return {**self.sandbox.aws_env(region), "TF_VAR_aws_max_retries": "2"}, ("AWS_",)

    @property
    def init_args(self) -> tuple[str, ...]:
        """Extra ``terraform init`` arguments; never written into ``envs/``."""
        if self.sandbox is None:
            return ()
        return ("-backend-config=use_path_style=true",)


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
        target: TargetAccount,
        ui: UI,
        timeout: float | None = None,
        lock_timeout: str = "0s",
    ) -> None:
        inventory.environment(env)  # fail early on an unknown environment
        self.project = project
        self.settings = settings
        self.inventory = inventory
        self.env = env
        self.target = target
        self.ui = ui
        self.timeout = timeout
        self.lock_timeout = lock_timeout
        self.bundle = PlanBundle(project.plan_dir(env))

    # -- stages ---------------------------------------------------------------

    def bootstrap_sandbox_state(self) -> None:
        """Create the state bucket and lock table inside the sandbox (idempotent)."""
        if self.target.sandbox is None:
            return
        state = self.inventory.state
        with self.ui.spinner("preparing state bucket and lock table in the sandbox"):
            bootstrap(
                self.target.sandbox.boto3_session(state.region),
                bucket=state.bucket,
                table=state.lock_table,
                region=state.region,
            )

    def generate(self) -> EnvSpec:
        """Write ``envs/<env>/`` from the inventory; return its spec."""
        report = generate(self.inventory, [self.env], self.project, self.settings.terraform)
        for path in report.written + report.removed:
            self.ui.info(f"  generated {path.relative_to(self.project.root)}")
        return compose_environment(self.inventory, self.env, self.project)

    def init(self, *, force: bool = False) -> None:
        """``terraform init`` when needed (or always with ``force``).

        Skipped when the root, its modules, the CLI config and the target are
        exactly those of the last successful init of this data dir.
        """
        spec = compose_environment(self.inventory, self.env, self.project)
        data_dir = self.project.data_dir(self.env, self.target.kind)
        marker = data_dir / "tfgen-init.json"
        fingerprint = self._init_fingerprint(spec)
        if not force and marker.is_file() and marker.read_text() == fingerprint:
            return
        data_dir.mkdir(parents=True, exist_ok=True)
        self.ui.step(f"terraform init ({self.env}, {self.target.kind})")
        self._terraform().run(
            "init",
            "-input=false",
            "-reconfigure",
            *self._color(),
            *self.target.init_args,
            timeout=self.timeout,
        )
        marker.write_text(fingerprint)

    def plan(self) -> PlanOutcome:
        """Generate, init, plan, scan and write the bundle.

        Raises:
            RunError: terraform or checkov failed.
        """
        self.bootstrap_sandbox_state()
        spec = self.generate()
        self.init()
        bundle = self.bundle
        bundle.start()
        terraform = self._terraform()
        self.ui.step(f"terraform plan ({self.env}, {self.target.kind})")
        terraform.run(
            "plan",
            "-input=false",
            *self._color(),
            f"-lock-timeout={self.lock_timeout}",
            f"-out={bundle.plan_file}",
            timeout=self.timeout,
        )
        shown = terraform.run("show", "-json", str(bundle.plan_file), stream=False)
        bundle.plan_json.write_text(shown.stdout, encoding="utf-8")
        serial, lineage = state_serial(terraform.run("state", "pull", stream=False).stdout)
        planned = json.loads(shown.stdout)
        changes = plan_changes(planned)
        scan, gate = self._scan(changes)
        counts = {
            "add": changes.to_add,
            "change": changes.to_change,
            "destroy": changes.to_destroy,
        }
        bundle.write_manifest(
            Manifest(
                env=self.env,
                target=self.target.kind,
                target_id=self.target.target_id,
                created_at=_now(),
                tfgen_version=__version__,
                inventory_sha256=self.inventory.sha256,
                sources=self._sources(spec),
                state_serial=serial,
                state_lineage=lineage,
                changes=counts,
                blocking_failures=len(gate.blocking),
            )
        )
        return PlanOutcome(bundle, gate, scan, changes, self._emulator_cannot_create(planned))

    def rescan(self) -> PlanOutcome:
        """Scan the saved plan again (new waivers, a new checkov) and rewrite its reports."""
        manifest = self.bundle.read_manifest(self.env)
        planned = json.loads(self.bundle.plan_json.read_text(encoding="utf-8"))
        changes = plan_changes(planned)
        scan, gate = self._scan(changes)
        self.bundle.write_manifest(
            manifest.model_copy(update={"blocking_failures": len(gate.blocking)})
        )
        return PlanOutcome(self.bundle, gate, scan, changes, self._emulator_cannot_create(planned))

    def _emulator_cannot_create(self, planned: dict[str, Any]) -> list[Unsupported]:
        return emulator_cannot_create(planned) if self.target.sandbox else []

    def _scan(self, changes: PlanChanges) -> tuple[ScanResult, GateResult]:
        checkov = find_checkov(self.settings.cache_dir, on_install=self.ui.step)
        with self.ui.spinner(f"checkov: scanning the plan of {self.env}"):
            scan = run_checkov(
                checkov, self.bundle.plan_json, self.bundle.folder, timeout_s=self.timeout or 900
            )
        gate = evaluate(scan, self.inventory.waivers_for(self.env))
        self.bundle.summary.write_text(
            render_summary(
                self.env,
                self.target.kind,
                changes,
                gate,
                scan,
                self._report_files(scan),
            ),
            encoding="utf-8",
        )
        return scan, gate

    def summary_lines(self, outcome: PlanOutcome) -> list[str]:
        """Short terminal summary of a plan."""
        lines = console_summary(
            outcome.changes,
            outcome.gate,
            outcome.scan,
            self._report_files(outcome.scan),
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
            StalePlanError: no plan, or it was made from other sources/target.
            GateRefusedError: checkov failures that no waiver covers.
            InputError: the person declined.
        """
        manifest = self.check_saved_plan()
        scan = load_scan_result(self.bundle.folder)
        gate = evaluate(scan, self.inventory.waivers_for(self.env))
        if not gate.allowed:
            lines = [f"  {f.check_id} {f.resource}: {f.check_name}" for f in gate.blocking]
            raise GateRefusedError(
                f"the policy gate refuses to apply '{self.env}': "
                f"{len(gate.blocking)} checkov failure(s) not waived:\n" + "\n".join(lines),
                hint="fix the module or inventory, or add a waiver with a reason to the"
                f" inventory's `waivers`, then `tfgen plan {self.env}` again;"
                f" details in {self.bundle.summary}",
            )
        self._refuse_what_the_emulator_cannot_create()
        if not confirm(manifest):
            raise InputError("apply cancelled; nothing was changed")
        self.bootstrap_sandbox_state()
        self.init()
        self.ui.step(f"terraform apply ({self.env}, {self.target.kind})")
        self._terraform().run(
            "apply",
            "-input=false",
            *self._color(),
            f"-lock-timeout={self.lock_timeout}",
            str(self.bundle.plan_file),
            timeout=self.timeout,
        )
        manifest = manifest.model_copy(update={"applied_at": _now()})
        self.bundle.write_manifest(manifest)
        self.bundle.plan_file.unlink(missing_ok=True)
        return manifest

    def _refuse_what_the_emulator_cannot_create(self) -> None:
        # Refused before anything is applied: the emulator would stop the apply
        # half done, minutes in, on an error about itself.
        if not self.target.sandbox:
            return
        unsupported = emulator_cannot_create(
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
        manifest = self.bundle.read_manifest(self.env)
        again = f"run `tfgen plan {self.env}{' --sandbox' if self.target.sandbox else ''}` again"
        if manifest.applied_at is not None:
            raise StalePlanError(
                f"the saved plan of '{self.env}' was already applied at {manifest.applied_at}",
                hint=again,
            )
        if manifest.target_id != self.target.target_id:
            raise StalePlanError(
                f"the saved plan of '{self.env}' was made for {manifest.target_id},"
                f" not {self.target.target_id}",
                hint=again,
            )
        spec = compose_environment(self.inventory, self.env, self.project)
        drift = generate(
            self.inventory, [self.env], self.project, self.settings.terraform, check=True
        ).differs
        changed = changed_sources(manifest.sources, self._sources(spec))
        if manifest.inventory_sha256 != self.inventory.sha256:
            changed.insert(0, self.inventory.path.name)
        changed += [p.relative_to(self.project.root).as_posix() for p in drift]
        if changed:
            raise StalePlanError(
                f"the sources of '{self.env}' changed since the plan:"
                f" {', '.join(sorted(set(changed)))}",
                hint=again,
            )
        if not self.bundle.plan_file.is_file():
            raise StalePlanError(f"the saved plan file of '{self.env}' is missing", hint=again)
        return manifest

    def destroy(self, *, confirm: Callable[[], bool]) -> None:
        """Destroy every resource of the environment (after ``confirm``)."""
        if not confirm():
            raise InputError("destroy cancelled; nothing was changed")
        self.bootstrap_sandbox_state()
        self.generate()
        self.init()
        self.bundle.start()  # any saved plan is meaningless after a destroy
        if self.target.sandbox is not None:
            # A fake account's data needs no guard (see tfgen/sandbox_destroy.py).
            state = self._terraform().run("state", "pull", stream=False).stdout
            for done in prepare_destroy(state, self.target.sandbox.boto3_session):
                self.ui.step(f"sandbox: {done}")
        self.ui.step(f"terraform destroy ({self.env}, {self.target.kind})")
        self._terraform().run(
            "apply",
            "-destroy",
            "-auto-approve",
            "-input=false",
            *self._color(),
            f"-lock-timeout={self.lock_timeout}",
            timeout=self.timeout,
        )

    def output(self, name: str | None, *, as_json: bool) -> str:
        """``terraform output`` of the environment's state."""
        self.bootstrap_sandbox_state()
        self.init()
        args = ["output", "-no-color"]
        if as_json:
            args.append("-json")
        elif name:
            args.append("-raw")
        if name:
            args.append(name)
        return self._terraform().run(*args, stream=False, timeout=self.timeout).stdout

    # -- helpers --------------------------------------------------------------

    def _terraform(self) -> Terraform:
        region = self.inventory.environment(self.env).region
        extra, drop = self.target.env_overrides(region)
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

    def _module_dirs(self, spec: EnvSpec) -> list[Path]:
        env_dir = self.project.env_dir(self.env)
        return [(env_dir / call.source).resolve() for call in spec.modules]

    def _sources(self, spec: EnvSpec) -> dict[str, str]:
        return source_hashes(
            self.project.root.resolve(),
            self.project.env_dir(self.env).resolve(),
            self._module_dirs(spec),
        )

    def _init_fingerprint(self, spec: EnvSpec) -> str:
        env_dir = self.project.env_dir(self.env)
        parts = [
            (env_dir / "versions.tf").read_text(encoding="utf-8"),
            (env_dir / "backend.tf").read_text(encoding="utf-8"),
            json.dumps([call.source for call in spec.modules]),
            str(self.settings.provider_mirror),
            self.target.target_id,
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _report_files(self, scan: ScanResult) -> dict[str, Path]:
        files = {"plan": self.bundle.plan_json, "summary": self.bundle.summary}
        files.update(scan.report_files)
        return {name: _relative(path, self.project.root) for name, path in files.items()}


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
