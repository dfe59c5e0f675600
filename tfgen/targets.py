"""Where terraform runs against: real AWS, or the embedded emulator.

Every difference between the two lives here, so the runner never asks which one
it has: the environment terraform gets, extra ``init`` arguments, preparing the
state bucket, what the emulator cannot create, and the flag a hint must repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import boto3

from tfgen.bootstrap import bootstrap
from tfgen.emulator_limits import Unsupported, emulator_cannot_create
from tfgen.inventory import StateBackend
from tfgen.project import Target as TargetKind
from tfgen.sandbox import Sandbox
from tfgen.sandbox_destroy import prepare_destroy
from tfgen.ui import UI


class AwsTarget:
    """Real AWS, with the credentials of the environment tfgen runs in."""

    kind: TargetKind = "aws"
    flag = ""

    @property
    def target_id(self) -> str:
        """Identifies where a plan was made; a plan made elsewhere is refused."""
        return "aws"

    def env_overrides(self, region: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """Variables to set for terraform, and prefixes of the user's variables to drop."""
        return {}, ()

    @property
    def init_args(self) -> tuple[str, ...]:
        """Extra ``terraform init`` arguments; never written into ``envs/``."""
        return ()

    def prepare_state(self, state: StateBackend, ui: UI) -> None:
        """Make sure the state bucket and lock table exist (on AWS: `tfgen bootstrap`)."""

    def cannot_create(self, plan: Mapping[str, Any]) -> list[Unsupported]:
        """Planned resources this target cannot create (none on AWS)."""
        return []

    def session(self, region: str) -> boto3.Session:
        """A boto3 session for this target."""
        return boto3.Session(region_name=region)

    def prepare_destroy(self, state: Callable[[], str]) -> list[str]:
        """Make a destroy possible; on AWS, lifting a guard is the inventory's decision."""
        return []


class SandboxTarget(AwsTarget):
    """The embedded emulator, with fake credentials; the user's AWS settings never leak in."""

    kind: TargetKind = "sandbox"
    flag = " --sandbox"

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    @property
    def target_id(self) -> str:
        """A restarted emulator is another, empty account."""
        return f"sandbox pid {self.sandbox.pid} started {self.sandbox.started_at}"

    def env_overrides(self, region: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """The emulator's endpoint and credentials; every ``AWS_*`` of the user dropped."""
        # The provider ignores AWS_MAX_ATTEMPTS; without this a call moto does not
        # implement (HTTP 500) is retried 25 times, which looks like a hang.
        return {**self.sandbox.aws_env(region), "TF_VAR_aws_max_retries": "2"}, ("AWS_",)

    @property
    def init_args(self) -> tuple[str, ...]:
        """The emulator's S3 answers path-style addresses only."""
        return ("-backend-config=use_path_style=true",)

    def prepare_state(self, state: StateBackend, ui: UI) -> None:
        """Create the state bucket and lock table inside the emulator (idempotent)."""
        with ui.spinner("preparing state bucket and lock table in the sandbox"):
            bootstrap(
                self.session(state.region),
                bucket=state.bucket,
                table=state.lock_table,
                region=state.region,
            )

    def cannot_create(self, plan: Mapping[str, Any]) -> list[Unsupported]:
        """Planned resources of types the emulator cannot create."""
        return emulator_cannot_create(plan)

    def session(self, region: str) -> boto3.Session:
        """A boto3 session talking to the emulator only."""
        return self.sandbox.boto3_session(region)

    def prepare_destroy(self, state: Callable[[], str]) -> list[str]:
        """Lift the guards of a fake account's data (see ``tfgen.sandbox_destroy``)."""
        return prepare_destroy(state(), self.session)


Target = AwsTarget
