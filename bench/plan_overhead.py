"""`tfgen plan ENV --sandbox` beside plain `terraform plan` in the same folder.

Both run against the same embedded emulator and the same state, alternately,
ROUNDS times, so machine noise hits both alike; the figure to read is the ratio
of the medians. tfgen's extra work: generate (+ terraform fmt), `show -json`,
`state pull`, the checkov scan and the bundle files.

    TFGEN_PROVIDER_MIRROR=... python bench/plan_overhead.py [ENV] [ROUNDS] [--apply]

With --apply the environment is applied first (several minutes for the whole
platform), so both plans are no-op plans of a populated state (the common case);
without it both plan from empty.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tfgen import sandbox  # noqa: E402


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 2):  # 2: terraform plan -detailed-exitcode found changes
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    env_name = args[0] if args else "dev"
    rounds = int(args[1]) if len(args) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="tfgen-bench-") as scratch:
        project = Path(scratch)
        for part in ("modules", "templates", "functions", "inventory.yaml"):
            source = REPO / part
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / part)
        tfgen = [sys.executable, "-m", "tfgen"]
        base = dict(os.environ)
        try:
            timed([*tfgen, "plan", env_name, "--sandbox"], project, base)  # warm-up: init, checkov
            if "--apply" in sys.argv:
                timed([*tfgen, "apply", env_name, "--sandbox", "--auto-approve"], project, base)
            running = sandbox.status(project / ".tfgen")
            assert running is not None
            plain = running.child_env("us-east-1")
            plain["TF_DATA_DIR"] = str(project / "plain-tf-data")
            rc = project / ".tfgen" / "terraform.rc"
            if rc.exists():
                plain["TF_CLI_CONFIG_FILE"] = str(rc)
            env_dir = project / "envs" / env_name
            terraform = shutil.which(os.environ.get("TFGEN_TERRAFORM", "terraform")) or "terraform"
            plain["TF_VAR_aws_max_retries"] = "2"  # as tfgen's sandbox runs
            init = [terraform, "init", "-input=false", "-backend-config=use_path_style=true"]
            timed(init, env_dir, plain)
            tfgen_times, terraform_times = [], []
            for _ in range(rounds):
                tfgen_times.append(timed([*tfgen, "plan", env_name, "--sandbox"], project, base))
                terraform_times.append(
                    timed([terraform, "plan", "-input=false", "-detailed-exitcode"], env_dir, plain)
                )
        finally:
            subprocess.run([*tfgen, "sandbox", "stop"], cwd=project, capture_output=True)
    t_med, p_med = statistics.median(tfgen_times), statistics.median(terraform_times)
    print(f"environment {env_name}, {rounds} alternating rounds")
    print(f"tfgen plan --sandbox : median {t_med:6.2f} s  {[round(t, 2) for t in tfgen_times]}")
    print(f"terraform plan       : median {p_med:6.2f} s  {[round(t, 2) for t in terraform_times]}")
    print(f"ratio tfgen/terraform: {t_med / p_med:.2f}")


if __name__ == "__main__":
    main()
