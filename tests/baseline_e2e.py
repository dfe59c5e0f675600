"""Apply, re-plan and destroy each account-baseline module on the sandbox, in another account.

Each file ``tests/baseline_roots/<module>.tf`` is the body of a scratch root that
calls one baseline module the way an account baseline does. The root gets a
provider acting in account 111111111111 (reached through ``sts:AssumeRole`` from
the sandbox's default credentials) with ``max_retries = 2``, and local state.
A cycle is: init, plan (saved, shown as JSON, optionally scanned by checkov),
apply of that plan, a second ``plan -detailed-exitcode`` that must find no
change at all, and destroy. A tool for working on one module at a time (the
suite applies every baseline module through the account roots of
``tests/test_platform_e2e.py``); by hand, with a sandbox and the timings printed::

    python -m tests.baseline_e2e [--checkov] [--keep] [MODULE ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tfgen.checkov_tool import find_checkov
from tfgen.gate import waiver_covers
from tfgen.sandbox import Sandbox
from tfgen.sandbox import start as sandbox_start
from tfgen.scan import Finding, run_checkov

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "baseline_roots"
ACCOUNT = "111111111111"
REGION = "us-east-1"
CACHE_DIR = Path(os.environ.get("TFGEN_CACHE_DIR", Path.home() / ".cache" / "tfgen"))

PROVIDER = f"""\
terraform {{
  required_version = ">= 1.5"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }}
  }}
}}

provider "aws" {{
  region              = "{REGION}"
  allowed_account_ids = ["{ACCOUNT}"]
  # The emulator answers what it lacks with HTTP 500: fail fast, not after minutes.
  max_retries = 2

  default_tags {{
    tags = {{
      Project   = "clientnest"
      ManagedBy = "terraform"
    }}
  }}
}}
"""


def modules() -> list[str]:
    """The modules that have a scratch root, by name."""
    return sorted(path.stem for path in ROOTS.glob("*.tf"))


def write_root(module: str, root: Path) -> None:
    """Write the scratch root of ``module`` into ``root`` (emptied first)."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "providers.tf").write_text(PROVIDER)
    shutil.copy(ROOTS / f"{module}.tf", root / "main.tf")
    # The roots call "./modules/<name>", as a generated root calls "../../modules/<name>".
    (root / "modules").symlink_to(REPO / "modules")


def terraform_env(sandbox: Sandbox, work: Path, mirror: Path | None) -> dict[str, str]:
    """Environment for terraform acting in ``ACCOUNT`` of the sandbox."""
    env = sandbox.account_env(ACCOUNT, REGION)
    env.update(TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")
    # S3 Control puts the account in the host name ("<account>.127.0.0.1:<port>"),
    # which resolves nowhere. Go sends requests for such a host through HTTP_PROXY
    # (never those for loopback addresses), and the sandbox serves a proxied
    # request like any other: moto routes S3 Control by its path.
    env["HTTP_PROXY"] = sandbox.endpoint
    env.pop("http_proxy", None)
    if mirror is not None:
        rc = work / "tf.rc"
        rc.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n')
        env["TF_CLI_CONFIG_FILE"] = str(rc)
    cache = work / "plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)
    env["TF_PLUGIN_CACHE_DIR"] = str(cache)
    return env


@dataclass(frozen=True)
class Waiver:
    """A module's waiver, its resource made a root address (``module.<call>.``...)."""

    check: str
    resource: str
    reason: str


@dataclass
class Cycle:
    """What one module's cycle did: seconds per step, and the first failure."""

    module: str
    seconds: dict[str, float] = field(default_factory=dict)
    failure: str = ""
    failed_checks: list[Finding] = field(default_factory=list)
    passed_checks: int = 0
    # Failed checks on module resources that no waivers.yaml of the module covers,
    # and module waivers that covered nothing in this root.
    unwaived: list[Finding] = field(default_factory=list)
    unused_waivers: list[Waiver] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every step succeeded (and the second plan was empty)."""
        return not self.failure


def _run(
    step: str,
    args: list[str],
    root: Path,
    env: Mapping[str, str],
    cycle: Cycle,
    ok_codes: tuple[int, ...] = (0,),
) -> bool:
    started = time.monotonic()
    done = subprocess.run(
        args, cwd=root, env=dict(env), capture_output=True, text=True, timeout=1800, check=False
    )
    cycle.seconds[step] = round(time.monotonic() - started, 1)
    (root / f"{step}.log").write_text(done.stdout + done.stderr)
    if done.returncode not in ok_codes:
        cycle.failure = f"{step} exited {done.returncode}:\n{(done.stdout + done.stderr)[-6000:]}"
        return False
    return True


def module_waivers(root: Path) -> list[Waiver]:
    """The waivers of every module the root calls, addressed as in the root's plan."""
    calls = re.findall(
        r'module "([^"]+)" \{\s*source\s*=\s*"\./modules/([^"]+)"', (root / "main.tf").read_text()
    )
    waivers = []
    for call, module in calls:
        path = REPO / "modules" / module / "waivers.yaml"
        for raw in yaml.safe_load(path.read_text()) if path.is_file() else []:
            waivers.append(Waiver(raw["check"], f"module.{call}.{raw['resource']}", raw["reason"]))
    return waivers


def scan(root: Path, cycle: Cycle) -> None:
    """checkov on the root's plan.json, and the module waivers held against its findings."""
    result = run_checkov(find_checkov(CACHE_DIR), root / "plan.json", root / "scan")
    cycle.failed_checks = sorted(result.failed, key=lambda f: (f.check_id, f.resource))
    cycle.passed_checks = len(result.passed)
    waivers = module_waivers(root)
    # The roots' own resources (a plain topic standing in for another module) are not
    # the modules' business.
    in_modules = [f for f in cycle.failed_checks if f.resource.startswith("module.")]
    cycle.unwaived = [f for f in in_modules if not any(waiver_covers(w, f) for w in waivers)]
    cycle.unused_waivers = [w for w in waivers if not any(waiver_covers(w, f) for f in in_modules)]


def run_cycle(
    sandbox: Sandbox,
    module: str,
    work: Path,
    *,
    terraform: str = "terraform",
    mirror: Path | None = None,
    checkov: bool = False,
    keep: bool = False,
) -> Cycle:
    """Init, plan, apply, re-plan (must be empty) and destroy one module's root."""
    root = work / module
    write_root(module, root)
    env = terraform_env(sandbox, work, mirror)
    cycle = Cycle(module)
    steps: list[tuple[str, list[str], tuple[int, ...]]] = [
        ("init", ["init", "-input=false", "-no-color"], (0,)),
        ("plan", ["plan", "-input=false", "-no-color", "-out=tfplan"], (0,)),
        ("apply", ["apply", "-input=false", "-no-color", "tfplan"], (0,)),
        ("replan", ["plan", "-input=false", "-no-color", "-detailed-exitcode"], (0,)),
    ]
    applied = False
    for step, args, codes in steps:
        if not _run(step, [terraform, *args], root, env, cycle, codes):
            break
        if step == "plan":
            shown = subprocess.run(
                [terraform, "show", "-json", "tfplan"], cwd=root, env=env,
                capture_output=True, text=True, timeout=600, check=True,
            )
            (root / "plan.json").write_text(shown.stdout)
            if checkov:
                scan(root, cycle)
        applied = applied or step == "apply"
    # Destroy whatever an apply created, unless asked to keep a failed one to look at.
    if (applied or cycle.failure.startswith("apply")) and (cycle.ok or not keep):
        failure = cycle.failure
        destroyed = _run(
            "destroy", [terraform, "destroy", "-auto-approve", "-input=false", "-no-color"],
            root, env, cycle,
        )
        if failure:
            cycle.failure = failure + ("" if destroyed else "\n(and destroy failed too)")
    return cycle


def main(argv: list[str] | None = None) -> int:
    """Run the cycle of the given modules (all by default) and print their timings."""
    parser = argparse.ArgumentParser(prog="python -m tests.baseline_e2e")
    parser.add_argument("modules", nargs="*", default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/baseline-root"))
    parser.add_argument("--checkov", action="store_true", help="scan each plan with checkov")
    parser.add_argument("--keep", action="store_true", help="do not destroy after a failure")
    args = parser.parse_args(argv)
    mirror = os.environ.get("TFGEN_PROVIDER_MIRROR")
    sandbox = sandbox_start(args.work / ".tfgen")
    print(f"sandbox {sandbox.endpoint} (log {sandbox.log_path}); account {ACCOUNT}, {REGION}")
    failed = 0
    for module in args.modules or modules():
        cycle = run_cycle(
            sandbox, module, args.work, mirror=Path(mirror) if mirror else None,
            checkov=args.checkov, keep=args.keep,
        )
        times = "  ".join(f"{step} {seconds:.1f}s" for step, seconds in cycle.seconds.items())
        print(f"{module:<20} {'ok' if cycle.ok else 'FAILED'}  {times}")
        if args.checkov:
            print(f"  checkov: {cycle.passed_checks} passed, {len(cycle.failed_checks)} failed")
            for finding in cycle.failed_checks:
                if not finding.resource.startswith("module."):
                    note = "  (the scratch root's own)"
                else:
                    note = "" if finding in cycle.unwaived else "  (waived by the module)"
                print(f"    {finding.check_id} {finding.resource}{note}")
            for waiver in cycle.unused_waivers:
                print(f"    unused waiver: {waiver.check} {waiver.resource}")
        if not cycle.ok:
            failed += 1
            print(cycle.failure)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
