"""tfgen's performance figures, each measured side by side in one run.

    TFGEN_PROVIDER_MIRROR=... python bench/run.py [--rounds N] [--skip-noop] [--output FILE]

This machine is noisy (and may run other work), so every figure is a ratio of
two things measured alternately in the same run, compared by their medians:

1. ``tfgen plan ROOT --sandbox`` against the pipeline a person would run by hand
   in the same folder against the same state: ``terraform plan -out``,
   ``terraform show -json``, ``checkov -f plan.json``. For dev and prod, from an
   empty state and as a no-op plan of the applied root. Target: at most 0.85.
2. tfgen's own share: the wall time of ``tfgen plan`` minus terraform's plan,
   its ``show -json`` and checkov's scan (read from the plan's ``timings.json``),
   over terraform's plan. Target: at most 0.05.
3. ``tfgen generate`` and ``generate --check`` of 100 and 1,000 small
   environments. Targets: 100 in at most 1.5 s; 1,000 at most 10x of 100.
4. ``tfgen plan dev staging prod`` (one run, in parallel) against the sum of the
   three separate plans. Target: at most 0.6.
5. tfgen's own peak RSS (terraform and checkov excluded) planning prod.
   Target: under 200 MB.

Everything runs in a scratch copy of the repository's project on the embedded
emulator; applying dev and prod for the no-op plans takes several minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tfgen import sandbox  # noqa: E402
from tfgen.checkov_tool import find_checkov  # noqa: E402
from tfgen.inventory import load_inventory  # noqa: E402
from tfgen.settings import load_settings  # noqa: E402
from tfgen.targets import SandboxTarget  # noqa: E402
from tfgen.terraform import terraform_env  # noqa: E402

TFGEN = [sys.executable, "-m", "tfgen"]
# Runs tfgen in this interpreter, then reports the process's own peak RSS (KiB on
# Linux): children (terraform, checkov) are separate processes, not counted.
RSS_WRAPPER = """
import resource, sys
from tfgen.cli import main
sys.argv = ["tfgen", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("tfgen-peak-rss-kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Report:
    """The figures, as Markdown rows: what, measured values, ratio, target, verdict."""

    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self, what: str, measured: str, ratio: float, target: float, *, below: bool = True
    ) -> None:
        ok = ratio <= target if below else ratio >= target
        sign = "≤" if below else "≥"
        self.rows.append(
            (what, measured, f"{ratio:.2f}", f"{sign} {target:g}", "✅" if ok else "❌")
        )
        print(f"  {what}: {measured} -> {ratio:.2f} (target {sign} {target:g})", flush=True)

    def markdown(self) -> str:
        lines = [
            "| figure | measured (medians) | ratio | target | |",
            "|---|---|---|---|---|",
            *(f"| {' | '.join(row)} |" for row in self.rows),
        ]
        return "\n".join(lines + (["", *self.notes] if self.notes else [])) + "\n"


def timed(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    *,
    stdout: Path | None = None,
    ok: tuple[int, ...] = (0, 2),
) -> float:
    """Seconds ``command`` took; exits on an exit code not in ``ok``."""
    started = time.perf_counter()
    with open(stdout, "w") if stdout else open(os.devnull, "w") as out:
        done = subprocess.run(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE, text=True
        )
    elapsed = time.perf_counter() - started
    if done.returncode not in ok:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(values: list[float]) -> str:
    return f"{median(values):.2f} s"


class Project:
    """A scratch copy of the repository's project, on its own emulator."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for part in ("modules", "templates", "functions", "data", "inventory.yaml"):
            source = REPO / part
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / part)
        # As an installed tfgen runs: with its modules compiled once, not at every start.
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.settings = load_settings(
            terraform=os.environ.get("TFGEN_TERRAFORM"),
            provider_mirror=Path(os.environ["TFGEN_PROVIDER_MIRROR"])
            if os.environ.get("TFGEN_PROVIDER_MIRROR")
            else None,
            cache_dir=None,
        )
        self.checkov = find_checkov(self.settings.cache_dir, on_install=print)
        self.scratch = folder / ".bench"
        self.scratch.mkdir()
        (self.scratch / "home").mkdir()

    def tfgen(self, *args: str) -> float:
        return timed([*TFGEN, *args], self.folder, self.env)

    def plan(self, root: str) -> tuple[float, dict[str, float]]:
        """``tfgen plan ROOT --sandbox``: its wall time and its own timings.json parts."""
        wall = self.tfgen("plan", root, "--sandbox")
        timings = json.loads((self.folder / ".tfgen" / "plans" / root / "timings.json").read_text())
        return wall, timings["parts_s"]

    def peak_rss_mib(self, *args: str) -> float:
        done = subprocess.run(
            [sys.executable, "-c", RSS_WRAPPER, *args],
            cwd=self.folder, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode not in (0, 2):
            sys.exit(f"tfgen {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        line = next(x for x in done.stderr.splitlines() if x.startswith("tfgen-peak-rss-kib"))
        return int(line.split()[1]) / 1024

    def hand_pipeline(self, root: str) -> Callable[[], dict[str, float]]:
        """The by-hand pipeline for ``root``: terraform as tfgen runs it, its own data dir."""
        inventory = load_inventory(self.folder / "inventory.yaml")
        found = inventory.root(root)
        running = sandbox.status(self.folder / ".tfgen")
        assert running is not None, "the sandbox is not running"
        extra, drop = SandboxTarget(running, self.folder / ".tfgen").env_overrides(
            found, inventory.settings(root).region
        )
        env = terraform_env(
            os.environ,
            data_dir=self.scratch / "terraform" / root,
            cli_config=self.settings.cli_config(self.folder / ".tfgen"),
            plugin_cache=self.settings.plugin_cache,
            extra=extra,
            drop_prefixes=drop,
        )
        root_dir = self.folder / "envs" / root
        terraform = self.settings.terraform
        timed(
            [terraform, "init", "-input=false", "-backend-config=use_path_style=true"],
            root_dir,
            env,
        )
        plan_file = self.scratch / f"{root}.tfplan"
        plan_json = self.scratch / f"{root}-plan.json"
        # A person's shell, minus their checkov settings: a home of its own.
        checkov_env = {"PATH": os.environ["PATH"], "HOME": str(self.scratch / "home")}

        def run() -> dict[str, float]:
            plan = [terraform, "plan", "-input=false", f"-out={plan_file}"]
            show = [terraform, "show", "-json", str(plan_file)]
            parts = {
                "plan": timed(plan, root_dir, env),
                "show": timed(show, root_dir, env, stdout=plan_json),
                "checkov": timed(
                    [str(self.checkov), "-f", plan_json.name, "-o", "json"],
                    self.scratch, checkov_env, stdout=self.scratch / "checkov-out.json",
                    ok=(0, 1),  # 1: some checks failed
                ),
            }  # fmt: skip
            parts["total"] = sum(parts.values())
            return parts

        return run


def bench_plan(project: Project, root: str, rounds: int, state: str, report: Report) -> None:
    hand = project.hand_pipeline(root)
    tfgen_walls: list[float] = []
    own: list[float] = []
    plans: list[float] = []
    hand_totals: list[float] = []
    for _ in range(rounds):
        wall, parts = project.plan(root)
        tfgen_walls.append(wall)
        plans.append(parts["terraform plan"])
        core = parts["terraform plan"] + parts["terraform show -json"] + parts["checkov scan"]
        own.append(wall - core)
        hand_totals.append(hand()["total"])
    report.add(
        f"`tfgen plan {root}` / hand pipeline ({state})",
        f"{fmt_s(tfgen_walls)} / {fmt_s(hand_totals)}",
        median(tfgen_walls) / median(hand_totals),
        0.85,
    )
    report.add(
        f"tfgen's own share / terraform plan ({root}, {state})",
        f"{fmt_s(own)} / {fmt_s(plans)}",
        median(own) / median(plans),
        0.05,
    )


def bench_several(project: Project, rounds: int, report: Report) -> None:
    roots = ["dev", "staging", "prod"]
    separate: list[float] = []
    together: list[float] = []
    for _ in range(rounds):
        separate.append(sum(project.plan(root)[0] for root in roots))
        together.append(project.tfgen("plan", *roots, "--sandbox"))
    report.add(
        "`tfgen plan dev staging prod` / sum of the three plans (empty state)",
        f"{fmt_s(together)} / {fmt_s(separate)}",
        median(together) / median(separate),
        0.6,
    )


def write_scale_inventory(folder: Path, count: int) -> None:
    """``count`` small environments: a network each, shared storage and alerts."""
    for part in ("modules", "templates", "functions"):
        shutil.copytree(REPO / part, folder / part)
    lines = [
        "project: scale",
        "state: {bucket: scale-tfstate, lock_table: scale-locks, region: us-east-1}",
        "defaults:",
        "  region: us-east-1",
        "  tags: {Company: Scale}",
        "  storage: {buckets: {assets: {}}}",
        "  observability: {alert_emails: [ops@scale.example]}",
        "environments:",
    ]
    for index in range(count):
        net = f"10.{index % 250}"  # environments are separate roots: CIDRs may repeat
        lines += [
            f"  e{index:04d}:",
            "    network:",
            f"      cidr: {net}.0.0/16",
            "      azs: [us-east-1a, us-east-1b]",
            f"      public_subnets: [{net}.0.0/24, {net}.1.0/24]",
            f"      private_subnets: [{net}.10.0/24, {net}.11.0/24]",
        ]
    (folder / "inventory.yaml").write_text("\n".join(lines) + "\n")


def bench_generate(scratch: Path, rounds: int, report: Report) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    results: dict[tuple[int, str], list[float]] = {}
    folders = {}
    for count in (100, 1000):
        folders[count] = scratch / f"generate-{count}"
        folders[count].mkdir()
        write_scale_inventory(folders[count], count)
        timed([*TFGEN, "validate"], folders[count], env)  # warms the parse caches
    for _ in range(rounds):
        for count, folder in folders.items():
            shutil.rmtree(folder / "envs", ignore_errors=True)
            results.setdefault((count, "generate"), []).append(
                timed([*TFGEN, "generate"], folder, env)
            )
            results.setdefault((count, "check"), []).append(
                timed([*TFGEN, "generate", "--check"], folder, env)
            )
    for kind, label in (("generate", "`tfgen generate`"), ("check", "`tfgen generate --check`")):
        hundred, thousand = results[(100, kind)], results[(1000, kind)]
        report.add(f"{label}, 100 environments (seconds)", fmt_s(hundred), median(hundred), 1.5)
        report.add(
            f"{label}: 1,000 / 100 environments",
            f"{fmt_s(thousand)} / {fmt_s(hundred)}",
            median(thousand) / median(hundred),
            10,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-noop", action="store_true", help="no apply, no no-op plans")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tfgen-bench-") as scratch_name:
        scratch = Path(scratch_name)
        print("generate: 100 and 1,000 environments", flush=True)
        bench_generate(scratch, args.rounds, report)
        (scratch / "project").mkdir()
        project = Project(scratch / "project")
        try:
            project.tfgen("sandbox", "start")
            print("warming up: a first plan of dev, staging and prod", flush=True)
            for root in ("dev", "staging", "prod"):
                project.plan(root)
            print("several roots at once", flush=True)
            bench_several(project, args.rounds, report)
            for root in ("dev", "prod"):
                print(f"plan {root} from an empty state", flush=True)
                bench_plan(project, root, args.rounds, "empty state", report)
            rss_empty = project.peak_rss_mib("plan", "prod", "--sandbox")
            report.add(
                "tfgen's peak RSS planning prod, empty state (MiB)",
                f"{rss_empty:.0f} MiB",
                rss_empty,
                200,
            )
            if not args.skip_noop:
                for root in ("dev", "prod"):
                    print(f"apply {root} (a few minutes)", flush=True)
                    project.tfgen("plan", root, "--sandbox")
                    project.tfgen("apply", root, "--sandbox", "--auto-approve")
                    print(f"no-op plans of {root}", flush=True)
                    bench_plan(project, root, args.rounds, "no-op", report)
                rss = project.peak_rss_mib("plan", "prod", "--sandbox")
                report.add(
                    "tfgen's peak RSS planning prod, no-op (MiB)", f"{rss:.0f} MiB", rss, 200
                )
        finally:
            project.tfgen("sandbox", "stop")
    report.notes.append(
        f"{args.rounds} alternating rounds per figure;"
        f" whole run {time.perf_counter() - started:.0f} s;"
        f" {os.cpu_count()} CPUs; `python bench/run.py --rounds {args.rounds}`."
    )
    text = report.markdown()
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
