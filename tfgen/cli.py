"""The ``tfgen`` command line: a thin typer layer over the stages.

Exit codes are decided here and only here: 0 ok, 1 a run failed, 2 bad input
or usage, 3 the policy gate refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from typer.core import TyperGroup

from tfgen import __version__, batch, dag
from tfgen import sandbox as sandbox_mod
from tfgen.compose import check_roots
from tfgen.errors import EXIT_RUN_FAILED, InputError, TfgenError, some_names
from tfgen.generate import GenerateReport, write_workflows
from tfgen.generate import generate as generate_files
from tfgen.inventory import Inventory, load_inventory
from tfgen.plan_bundle import Manifest
from tfgen.project import Project
from tfgen.roots import Root
from tfgen.runner import EnvironmentRunner, ensure_plan_allowed, root_lock
from tfgen.settings import Settings, load_settings
from tfgen.targets import AwsTarget, SandboxTarget, Target
from tfgen.ui import UI


class _TfgenGroup(TyperGroup):
    """Turns tfgen's errors into a message and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        try:
            return super().invoke(ctx)
        except TfgenError as exc:
            UI().error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            UI().error("interrupted")
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_TfgenGroup,
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Render Terraform roots per environment from one YAML inventory, and "
    "init/plan/scan/apply them with S3 state locked in DynamoDB.",
)
sandbox_app = typer.Typer(
    cls=_TfgenGroup,
    no_args_is_help=True,
    help="The embedded AWS emulator (moto) that --sandbox runs against.",
)
app.add_typer(sandbox_app, name="sandbox")
ci_app = typer.Typer(
    cls=_TfgenGroup,
    no_args_is_help=True,
    help="CI pipelines written from the inventory's `ci` section.",
)
app.add_typer(ci_app, name="ci")


@dataclass
class _Context:
    inventory_path: Path
    terraform: str | None
    provider_mirror: Path | None
    cache_dir: Path | None
    timeout: float | None

    @property
    def project(self) -> Project:
        return Project(self.inventory_path.resolve().parent)

    def inventory(self) -> Inventory:
        return load_inventory(self.inventory_path)

    def settings(self) -> Settings:
        return load_settings(
            terraform=self.terraform,
            provider_mirror=self.provider_mirror,
            cache_dir=self.cache_dir,
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    inventory: Annotated[
        Path,
        typer.Option(
            "--inventory",
            "-i",
            envvar="TFGEN_INVENTORY",
            help="The inventory YAML file.",
            show_default=True,
        ),
    ] = Path("inventory.yaml"),
    terraform: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option(envvar="TFGEN_TERRAFORM", help="terraform (or tofu) executable."),
    ] = None,
    provider_mirror: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            envvar="TFGEN_PROVIDER_MIRROR",
            help="Unpacked provider mirror folder, for machines without registry access.",
        ),
    ] = None,
    cache_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            envvar="TFGEN_CACHE_DIR", help="Provider cache and checkov [default: ~/.cache/tfgen]."
        ),
    ] = None,
    timeout: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            envvar="TFGEN_TIMEOUT", help="Stop any terraform call after this many seconds."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = _Context(inventory, terraform, provider_mirror, cache_dir, timeout)


def _ctx(ctx: typer.Context) -> _Context:
    obj: _Context = ctx.find_root().obj
    return obj


EnvArg = Annotated[
    str,
    typer.Argument(
        metavar="ROOT",
        help="A root, as `tfgen list` prints it: an environment, or account-<name>.",
        show_default=False,
    ),
]
SandboxOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox", envvar="TFGEN_SANDBOX", help="Run against the embedded AWS emulator, not AWS."
    ),
]
AutoApproveOpt = Annotated[
    bool, typer.Option("--auto-approve", help="Do not ask for confirmation (CI).")
]
LockTimeoutOpt = Annotated[
    str, typer.Option(help="How long to wait for a held state lock, e.g. 5m.")
]


def _target(ctx: typer.Context, sandbox: bool, ui: UI) -> Target:
    if not sandbox:
        return AwsTarget()
    with ui.spinner("connecting to the embedded AWS emulator (starting it if needed)"):
        running, started = sandbox_mod.ensure(_ctx(ctx).project.work_dir)
    if started:
        ui.step(f"sandbox started at {running.endpoint} (stop it with `tfgen sandbox stop`)")
    return SandboxTarget(running, _ctx(ctx).project.work_dir)


def _runner(
    ctx: typer.Context,
    env: str,
    sandbox: bool,
    ui: UI,
    lock_timeout: str = "0s",
    target: Target | None = None,
) -> EnvironmentRunner:
    context = _ctx(ctx)
    inventory = context.inventory()
    inventory.root(env)
    settings = context.settings()
    return EnvironmentRunner(
        project=context.project,
        settings=settings,
        inventory=inventory,
        env=env,
        target=target or _target(ctx, sandbox, ui),
        ui=ui,
        timeout=context.timeout,
        lock_timeout=lock_timeout,
        command=_command_line(ctx),
    )


def _command_line(ctx: typer.Context) -> str:
    """The command as typed, for the message of another run that finds the root busy."""
    words = [ctx.find_root().info_name or "tfgen", *sys.argv[1:]]
    return " ".join(words)


@app.command()
def validate(ctx: typer.Context) -> None:
    """Check the inventory: schema, rules, and every module call it makes. Exit 2 on any problem."""
    context = _ctx(ctx)
    inventory = context.inventory()
    check_roots(inventory, context.project)
    ui = UI()
    for warning in inventory.warnings:
        ui.warn(warning)
    roots = inventory.roots()
    ui.info(f"{inventory.path}: ok ({len(roots)} roots: {some_names(r.name for r in roots)})")


@app.command("list")
def list_roots(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="A JSON array, for scripts.")] = False,
) -> None:
    """Print every root, one per line: account baselines first, then environments."""
    roots = _ctx(ctx).inventory().roots()
    if json_:
        rows = [
            {
                "name": root.name,
                "kind": root.kind,
                "account_id": root.account.id if root.account else None,
                "region": root.region,
                "depends_on": list(root.depends_on),
            }
            for root in roots
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for root in roots:
        typer.echo(root.name)


@app.command()
def generate(
    ctx: typer.Context,
    envs: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="[ROOT]...", help="Roots to generate [default: all].", show_default=False
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 listing files that differ.")
    ] = False,
) -> None:
    """Render envs/<root>/ from the inventory, templates/ and modules/."""
    context = _ctx(ctx)
    inventory = context.inventory()
    for env in envs or []:
        inventory.root(env)
    project = context.project
    with contextlib.ExitStack() as held:
        if not check:  # writing a root that a plan or an apply is reading would mix them
            for name in envs or [root.name for root in inventory.roots()]:
                held.enter_context(root_lock(project, name, _command_line(ctx)))
        report = generate_files(
            inventory, list(envs or []), project, context.settings().terraform, check=check
        )
    _show_report(report, project, check=check, fix="tfgen generate")


def _show_report(report: GenerateReport, project: Project, *, check: bool, fix: str) -> None:
    """Say what was written; with ``check``, exit 1 listing the files that differ."""
    ui = UI()
    if check:
        if report.differs:
            for path in report.differs:
                ui.info(f"differs: {path.relative_to(project.root)}")
            ui.error(
                f"{len(report.differs)} generated file(s) differ from the inventory",
                hint=f"run `{fix}` and commit the result",
            )
            raise typer.Exit(EXIT_RUN_FAILED)
        ui.info(f"up to date: {len(report.unchanged)} file(s)")
        return
    for path in report.written:
        ui.info(f"wrote {path.relative_to(project.root)}")
    for path in report.removed:
        ui.info(f"removed {path.relative_to(project.root)}")
    ui.info(
        f"{len(report.written)} written, {len(report.removed)} removed,"
        f" {len(report.unchanged)} unchanged"
    )


@ci_app.command("github")
def ci_github(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 listing workflows that differ.")
    ] = False,
) -> None:
    """Write the GitHub Actions workflows of `ci.github` to .github/workflows/.

    Pull requests plan every root (a job each, the DAG as `needs:`) and post one
    report; merges apply every root; a daily run looks for drift; and each
    team's service, site and functions deploy on their own. Every job assumes
    its root's role in the root's account through GitHub's OIDC. `tfgen
    generate` writes them too. Exit 2 without `ci.github` or `accounts`.
    """
    context = _ctx(ctx)
    project = context.project
    report = write_workflows(context.inventory(), project, check=check)
    _show_report(report, project, check=check, fix="tfgen ci github")


@app.command()
def docs(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if anything is out of date.")
    ] = False,
) -> None:
    """Rewrite what tfgen documents: module READMEs and the README's tables.

    Each module README's Inputs/Outputs, the project README's platform,
    security-posture and sandbox tables (from the sections, the modules' waivers
    and the inventory), and each environment's runbook (docs/runbooks/<env>.md).
    """
    from tfgen.module_docs import update_readme
    from tfgen.readme_tables import update_readme_tables
    from tfgen.runbooks import update_runbooks

    context = _ctx(ctx)
    project = context.project
    ui = UI()
    stale = []
    for module_dir in sorted(p.parent for p in project.modules_dir.glob("*/variables.tf")):
        result = update_readme(module_dir, check=check)
        if result.changed:
            stale.append(str(result.readme))
    readme = project.root / "README.md"
    if readme.is_file():
        tables = update_readme_tables(readme, context.inventory(), project, check=check)
        stale += [f"{readme} ({name} table)" for name in tables.stale]
    runbooks = update_runbooks(context.inventory(), project, check=check)
    stale += [str(path) for path in runbooks.stale]
    for item in stale:
        ui.info(f"{'out of date' if check else 'updated'}: {item}")
    if check and stale:
        ui.error(f"{len(stale)} document(s) out of date", hint="run `tfgen docs`")
        raise typer.Exit(EXIT_RUN_FAILED)
    if not stale:
        ui.info("documentation is up to date")


@app.command()
def init(ctx: typer.Context, env: EnvArg, sandbox: SandboxOpt = False) -> None:
    """Generate the environment and run terraform init (backend + providers)."""
    ui = UI()
    runner = _runner(ctx, env, sandbox, ui)
    with runner.exclusive():
        runner.prepare_state()
        runner.generate()
        runner.init(force=True)
    ui.info(f"[green]initialized[/] {env} ({runner.target.kind})")


RootsArg = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(
        metavar="[ROOT]...",
        help="Roots, as `tfgen list` prints them (or --all).",
        show_default=False,
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Every root of the inventory.")]
ParallelismOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        min=1,
        help="How many roots run at once when several are given (default: the CPU count).",
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the run's summary.json (several roots).")
]


@dataclass(frozen=True)
class _Roots:
    """The roots a command runs on, and how."""

    names: list[str]
    several: bool


def _roots(ctx: typer.Context, names: list[str] | None, all_: bool) -> _Roots:
    if all_ and names:
        raise InputError("give roots or --all, not both")
    if not all_ and not names:
        raise InputError("name a root, or pass --all", hint="`tfgen list` prints every root")
    inventory = _ctx(ctx).inventory()
    chosen = dag.select(inventory.roots(), [] if all_ else list(names or []))
    return _Roots([root.name for root in chosen], several=all_ or len(chosen) > 1)


def _batch_runner(
    ctx: typer.Context, sandbox: bool, ui: UI, lock_timeout: str, roots: list[Root]
) -> batch.RunnerFor:
    target = _target(ctx, sandbox, ui)
    target.ready(roots)  # before the roots' threads start

    def runner_for(root: str, root_ui: UI) -> EnvironmentRunner:
        return _runner(ctx, root, sandbox, root_ui, lock_timeout, target=target)

    return runner_for


def _finish(ui: UI, result: batch.BatchResult, as_json: bool, *, bare_path: bool = False) -> None:
    """The final table and where the reports are (or summary.json); the run's exit code."""
    if as_json:
        typer.echo(json.dumps(result.summary, indent=2))
    else:
        ui.info("")
        for line in batch.final_table(result.results):
            ui.info(escape(line))
        folder = result.folder
        shown = folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder
        # CI scripts read the last line: the bare path when asked for.
        typer.echo(str(folder) if bare_path else f"reports: {shown}")
    if result.exit_code:
        raise typer.Exit(result.exit_code)


@app.command()
def plan(
    ctx: typer.Context,
    roots: RootsArg = None,
    all_: AllOpt = False,
    sandbox: SandboxOpt = False,
    lock_timeout: LockTimeoutOpt = "0s",
    parallelism: ParallelismOpt = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option("--detailed-exitcode", help="Exit 2 when a root has changes and none failed."),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Generate, init, plan and scan the plan with checkov; save the plan bundle.

    Exits 3 when checkov failures remain that no waiver covers (the plan and
    reports are still written; apply will refuse them). With several roots
    (or --all) they run in dependency order, in parallel, and one combined
    bundle goes to .tfgen/runs/<run-id>/; the most severe result decides the
    exit code: 3 over 1 over 0.
    """
    ui = UI(quiet=json_)
    chosen = _roots(ctx, roots, all_)
    if chosen.several:
        inventory = _ctx(ctx).inventory()
        selected = dag.select(inventory.roots(), chosen.names)
        result = batch.plan_all(
            selected,
            _batch_runner(ctx, sandbox, ui, lock_timeout, selected),
            _ctx(ctx).project,
            target="sandbox" if sandbox else "aws",
            parallelism=parallelism or os.cpu_count() or 1,
            ui=ui,
            detailed=detailed_exitcode,
        )
        _finish(ui, result, json_)
        return
    env = chosen.names[0]
    runner = _runner(ctx, env, sandbox, ui, lock_timeout)
    with runner.exclusive():
        outcome = runner.plan()
    ui.info("")
    for line in runner.summary_lines(outcome):
        ui.info(line)
    ensure_plan_allowed(outcome, env)
    if outcome.emulator_cannot_create:
        ui.info("next: see the README's 'What the sandbox cannot apply'")
        return
    flag = " --sandbox" if sandbox else ""
    ui.info(f"next: [bold]tfgen apply {env}{flag}[/] applies exactly this plan")
    if detailed_exitcode and (
        outcome.changes.to_add or outcome.changes.to_change or outcome.changes.to_destroy
    ):
        raise typer.Exit(2)


def _refuse_without_terminal(ui: UI, auto_approve: bool, action: str) -> None:
    # Checked before anything starts, so CI never hangs on a prompt nobody sees.
    if not auto_approve and not ui.interactive:
        raise InputError(
            f"no terminal to confirm the {action} on",
            hint=f"pass --auto-approve to {action} without confirmation (CI)",
        )


@app.command()
def apply(
    ctx: typer.Context,
    roots: RootsArg = None,
    all_: Annotated[
        bool, typer.Option("--all", help="The roots of the last plan run (`plan --all`).")
    ] = False,
    sandbox: SandboxOpt = False,
    auto_approve: AutoApproveOpt = False,
    lock_timeout: LockTimeoutOpt = "0s",
    parallelism: ParallelismOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Apply exactly the saved plan of `tfgen plan` (refused if stale or gated).

    With --all: the saved plans of the preceding `plan --all` (or `plan ROOT...`),
    in dependency order; a root whose plan is refused, or fails, stops its
    dependents. With --sandbox, a plan that creates resources the emulator
    cannot create is refused before anything is applied.
    """
    ui = UI(quiet=json_)
    _refuse_without_terminal(ui, auto_approve, "apply")
    project = _ctx(ctx).project
    target = "sandbox" if sandbox else "aws"
    names = batch.planned_roots(project, target) if all_ and not roots else list(roots or [])
    chosen = _roots(ctx, names, False)
    if all_ or chosen.several:
        inventory = _ctx(ctx).inventory()
        selected = dag.select(inventory.roots(), chosen.names)
        if not auto_approve and not ui.confirm(
            f"Apply the saved plans of {', '.join(r.name for r in selected)} ({target})?", "yes"
        ):
            raise InputError("apply cancelled; nothing was changed")
        result = batch.apply_all(
            selected,
            _batch_runner(ctx, sandbox, ui, lock_timeout, selected),
            project,
            target=target,
            parallelism=parallelism or os.cpu_count() or 1,
            ui=ui,
        )
        _finish(ui, result, json_)
        return
    env = chosen.names[0]
    runner = _runner(ctx, env, sandbox, ui, lock_timeout)

    def confirm(manifest: Manifest) -> bool:
        if auto_approve:
            return True
        c = manifest.changes
        ui.info(
            f"Plan of {env} ({runner.target.kind}, {manifest.created_at}): "
            f"{c['add']} to add, {c['change']} to change, {c['destroy']} to destroy."
        )
        return ui.confirm("Apply it?", "yes")

    with runner.exclusive():
        runner.apply(confirm=confirm)
    ui.info(f"[green]applied[/] the saved plan of {env} ({runner.target.kind})")


@app.command()
def drift(
    ctx: typer.Context,
    roots: RootsArg = None,
    all_: AllOpt = False,
    sandbox: SandboxOpt = False,
    lock_timeout: LockTimeoutOpt = "0s",
    parallelism: ParallelismOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Find what changed outside terraform: a refresh-only plan of each root.

    It changes neither the state nor the saved plans. Reports go to
    .tfgen/drift/<root>/ (Markdown, JSON, JUnit XML, SARIF) and a combined
    bundle to .tfgen/runs/<run-id>/. Exit 0 no drift, 2 drift, 1 error.
    """
    ui = UI(quiet=json_)
    chosen = _roots(ctx, roots, all_)
    inventory = _ctx(ctx).inventory()
    selected = dag.select(inventory.roots(), chosen.names)
    result = batch.drift_all(
        selected,
        _batch_runner(ctx, sandbox, ui, lock_timeout, selected),
        _ctx(ctx).project,
        target="sandbox" if sandbox else "aws",
        parallelism=parallelism or os.cpu_count() or 1,
        ui=ui,
    )
    _finish(ui, result, json_)


@app.command()
def report(
    ctx: typer.Context,
    roots: RootsArg = None,
    all_: AllOpt = False,
    sandbox: SandboxOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Combine the saved plan bundles of several roots into one run bundle (CI's last job).

    Reads .tfgen/plans/<root>/ (made by separate `tfgen plan ROOT` jobs) and
    writes .tfgen/runs/<run-id>/: summary.md, checkov.junit.xml, checkov.sarif
    and summary.json. Exit as `plan --all` would: 3 gate, 1 a root without a
    usable plan, 0 otherwise.
    """
    ui = UI(quiet=json_)
    chosen = _roots(ctx, roots, all_)
    inventory = _ctx(ctx).inventory()
    project = _ctx(ctx).project
    settings = _ctx(ctx).settings()
    target: Target = AwsTarget()

    def runner_for(root: str, root_ui: UI) -> EnvironmentRunner:
        return EnvironmentRunner(
            project=project,
            settings=settings,
            inventory=inventory,
            env=root,
            target=target,
            ui=root_ui,
        )

    result = batch.report_all(
        dag.select(inventory.roots(), chosen.names),
        runner_for,
        project,
        target="sandbox" if sandbox else "aws",
    )
    _finish(ui, result, json_, bare_path=True)


@app.command()
def destroy(
    ctx: typer.Context,
    env: EnvArg,
    sandbox: SandboxOpt = False,
    auto_approve: AutoApproveOpt = False,
    lock_timeout: LockTimeoutOpt = "0s",
) -> None:
    """Destroy every resource of an environment."""
    ui = UI()
    _refuse_without_terminal(ui, auto_approve, "destroy")
    runner = _runner(ctx, env, sandbox, ui, lock_timeout)
    with runner.exclusive():
        runner.destroy(
            confirm=lambda: (
                auto_approve
                or ui.confirm(f"Destroy every resource of {env} ({runner.target.kind})?", env)
            )
        )
    ui.info(f"[green]destroyed[/] {env} ({runner.target.kind})")


@app.command()
def output(
    ctx: typer.Context,
    env: EnvArg,
    name: Annotated[Optional[str], typer.Argument(help="One output.")] = None,  # noqa: UP045
    json_: Annotated[bool, typer.Option("--json", help="JSON, for scripts.")] = False,
    sandbox: SandboxOpt = False,
) -> None:
    """Show the environment's terraform outputs."""
    ui = UI(quiet=True)
    runner = _runner(ctx, env, sandbox, ui)
    typer.echo(runner.output(name, as_json=json_), nl=False)


@app.command()
def scan(ctx: typer.Context, env: EnvArg, sandbox: SandboxOpt = False) -> None:
    """Re-scan the saved plan with checkov and the inventory's current waivers."""
    ui = UI()
    runner = _runner(ctx, env, sandbox, ui)
    with runner.exclusive():
        outcome = runner.rescan()
    for line in runner.summary_lines(outcome):
        ui.info(line)
    ensure_plan_allowed(outcome, env)


@app.command()
def unlock(
    ctx: typer.Context,
    env: EnvArg,
    lock_id: Annotated[
        str,
        typer.Argument(help="The lock's ID, as the refused run printed it.", show_default=False),
    ],
    sandbox: SandboxOpt = False,
    auto_approve: AutoApproveOpt = False,
) -> None:
    """Free a state lock that a dead run left, after showing who holds it.

    Runs terraform force-unlock with tfgen's own terraform data folder and target.
    Only for a run that is gone: unlocking a live run's state can corrupt it.
    """
    ui = UI()
    _refuse_without_terminal(ui, auto_approve, "unlock")
    runner = _runner(ctx, env, sandbox, ui)
    with runner.exclusive():
        holder = runner.state_lock(lock_id)
        ui.info(
            f"state lock {lock_id} of {env} ({runner.target.kind}): held by"
            f" {holder.get('Who', '?')} for `{holder.get('Operation', '?')}`"
            f" since {holder.get('Created', '?')}"
        )
        if not auto_approve and not ui.confirm("Free it? Only if that run is gone.", lock_id[:8]):
            raise InputError("unlock cancelled; the lock is still held")
        runner.force_unlock(lock_id)
    ui.info(f"[green]unlocked[/] the state of {env} ({runner.target.kind})")


@app.command()
def bootstrap(
    ctx: typer.Context,
    roots: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="[ROOT]...",
            help="Bootstrap the state of these roots' accounts [default: every account].",
            show_default=False,
        ),
    ] = None,
    sandbox: SandboxOpt = False,
) -> None:
    """Create the state bucket and lock table of each account (idempotent; never prompts).

    Each account keeps its roots' state in its own bucket; the credentials must
    act in that account (directly, or through the account's role).
    """
    from tfgen.bootstrap import bootstrap as bootstrap_state

    inventory = _ctx(ctx).inventory()
    ui = UI()
    target = _target(ctx, sandbox, ui)
    chosen = [inventory.root(name) for name in roots] if roots else inventory.roots()
    done: set[str] = set()
    for root in chosen:
        backend = inventory.backend(root.name)
        if backend.bucket in done:
            continue
        done.add(backend.bucket)
        _runner(ctx, root.name, sandbox, ui, target=target).check_account()
        report = bootstrap_state(
            target.session(root, backend.region),
            bucket=backend.bucket,
            table=backend.lock_table,
            region=backend.region,
        )
        for line in report.lines():
            ui.info(line)


@sandbox_app.command("start")
def sandbox_start(ctx: typer.Context) -> None:
    """Start the emulator in the background (no-op when it runs)."""
    running, started = sandbox_mod.ensure(_ctx(ctx).project.work_dir)
    verb = "started" if started else "already running"
    UI().info(f"sandbox {verb}: {running.endpoint} (pid {running.pid}, log {running.log_path})")


@sandbox_app.command("stop")
def sandbox_stop(ctx: typer.Context) -> None:
    """Stop the emulator; everything in the fake account is gone."""
    stopped = sandbox_mod.stop(_ctx(ctx).project.work_dir)
    UI().info("sandbox stopped" if stopped else "no sandbox was running")


@sandbox_app.command("status")
def sandbox_status(ctx: typer.Context) -> None:
    """Say whether the emulator runs, and where. Exit 1 when it does not."""
    running = sandbox_mod.status(_ctx(ctx).project.work_dir)
    if running is None:
        UI().info("no sandbox running")
        raise typer.Exit(EXIT_RUN_FAILED)
    UI().info(
        f"sandbox running: {running.endpoint} (pid {running.pid}, since {running.started_at})"
    )


def main() -> None:
    """Console-script entry point."""
    app()
