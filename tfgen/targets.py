"""Where terraform runs against: real AWS, or the embedded emulator.

Every difference between the two lives here, so the runner never asks which one
it has: the credentials of a root's account, the environment terraform gets,
extra ``init`` arguments, preparing the state bucket, what the emulator cannot
create, making a destroy possible, and the flag a hint must repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfgen.emulator_limits import Unsupported, emulator_cannot_create
from tfgen.errors import InputError, RunError
from tfgen.project import Target as TargetKind
from tfgen.roots import Backend, Root
from tfgen.sandbox import ACCOUNT_ROLE, DEFAULT_CREDENTIALS, Credentials, Sandbox
from tfgen.sandbox_accounts import SandboxAccounts
from tfgen.ui import UI

if TYPE_CHECKING:
    import boto3


class AwsTarget:
    """Real AWS, with the credentials of the environment tfgen runs in.

    A root whose account names a role is reached through that role, assumed
    from those credentials, as its provider and backend blocks do.
    """

    kind: TargetKind = "aws"
    flag = ""

    def target_id(self, root: Root) -> str:
        """Identifies where a plan was made; a plan made elsewhere is refused."""
        return f"aws account {root.account.id}" if root.account else "aws"

    def session(self, root: Root, region: str) -> boto3.Session:
        """A boto3 session acting where ``root``'s terraform will act."""
        import boto3  # a tenth of a second: only when AWS is asked something

        base = boto3.Session(region_name=region)
        if root.account is None or root.account.role is None:
            return base
        return _assumed(base, root.account.role, region)

    def identity(self, root: Root) -> tuple[str, str]:
        """The account id and ARN the credentials act as, for ``root``.

        Raises:
            InputError: the credentials cannot be used (none, expired, or the
                role cannot be assumed with them).
        """
        import botocore.exceptions

        try:
            answer = self.session(root, root.region).client("sts").get_caller_identity()
        except botocore.exceptions.NoCredentialsError as exc:
            raise InputError(
                f"no AWS credentials to reach '{root.name}': {exc}",
                hint="set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY),"
                " or use --sandbox",
            ) from exc
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            raise InputError(
                f"the AWS credentials cannot reach '{root.name}':"
                f" {error.get('Code', '')}: {error.get('Message', exc)}"
            ) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise RunError(f"cannot ask AWS STS who the credentials are: {exc}") from exc
        return str(answer["Account"]), str(answer["Arn"])

    def ready(self, roots: Sequence[Root]) -> None:
        """Do first, in this thread, what the roots' own threads would each start with.

        The AWS SDK is imported on first use; two threads importing it at once can
        see each other's half-imported modules.
        """
        import boto3  # noqa: F401
        import botocore.exceptions  # noqa: F401

    def env_overrides(self, root: Root, region: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """Variables to set for terraform, and prefixes of the user's variables to drop."""
        return {}, ()

    @property
    def init_args(self) -> tuple[str, ...]:
        """Extra ``terraform init`` arguments; never written into ``envs/``."""
        return ()

    def prepare_state(self, root: Root, backend: Backend, ui: UI) -> None:
        """Make sure the state bucket and lock table exist (on AWS: `tfgen bootstrap`)."""

    def cannot_create(self, plan: Mapping[str, Any]) -> list[Unsupported]:
        """Planned resources this target cannot create (none on AWS)."""
        return []

    def prepare_destroy(self, root: Root, state: Callable[[], str]) -> list[str]:
        """Make a destroy possible; on AWS, lifting a guard is the inventory's decision."""
        return []


class SandboxTarget(AwsTarget):
    """The embedded emulator, with fake credentials; the user's AWS settings never leak in.

    The emulator holds one fake account per account of the inventory: a root's
    credentials are those of ``sts:AssumeRole`` into its account (moto makes
    them act there), so each account has its own resources, as on AWS.
    """

    kind: TargetKind = "sandbox"
    flag = " --sandbox"

    def __init__(self, sandbox: Sandbox, work_dir: Path) -> None:
        self.sandbox = sandbox
        self.record = SandboxAccounts(sandbox, work_dir)

    def target_id(self, root: Root) -> str:
        """A restarted emulator is another, empty set of accounts."""
        account = f", account {root.account.id}" if root.account else ""
        return f"sandbox pid {self.sandbox.pid} started {self.sandbox.started_at}{account}"

    def credentials(self, root: Root) -> Credentials:
        """Credentials acting in ``root``'s account of the emulator."""
        if root.account is None:
            return DEFAULT_CREDENTIALS
        return self._assumed(root)[0]

    def ready(self, roots: Sequence[Root]) -> None:
        """Import the AWS SDK and assume each account's credentials once, in this thread."""
        super().ready(roots)
        import tfgen.bootstrap
        import tfgen.emulator_session  # noqa: F401

        for root in roots:
            if root.account is not None:
                self._assumed(root)

    def identity(self, root: Root) -> tuple[str, str]:
        """The account id and ARN of the credentials tfgen assumed for ``root``."""
        if root.account is None:
            return super().identity(root)
        arn = self._assumed(root)[1]
        return arn.split(":")[4], arn

    def _assumed(self, root: Root) -> tuple[Credentials, str]:
        assert root.account is not None
        known = self.record.credentials(root.account.id)
        if known is None:
            role = root.account.role.rsplit("/", 1)[-1] if root.account.role else ACCOUNT_ROLE
            credentials = self.sandbox.assume_account(root.account.id, role)
            sts = self.sandbox.boto3_session(root.region, credentials).client("sts")
            arn = str(sts.get_caller_identity()["Arn"])
            self.record.remember_credentials(root.account.id, credentials, arn)
            known = credentials, arn
        return known

    def session(self, root: Root, region: str) -> boto3.Session:
        """A boto3 session talking to the emulator only, in ``root``'s account."""
        return self.sandbox.boto3_session(region, self.credentials(root))

    def env_overrides(self, root: Root, region: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """The emulator's endpoint and the account's credentials; the user's ``AWS_*`` dropped."""
        env = self.sandbox.aws_env(region, self.credentials(root))
        # S3 Control addresses "<account id>.<endpoint host>", a name that resolves
        # nowhere on a loopback endpoint: through the emulator as an HTTP proxy it
        # arrives all the same (Go never proxies the loopback address itself).
        proxy = {name: self.sandbox.endpoint for name in ("HTTP_PROXY", "http_proxy")}
        # The provider ignores AWS_MAX_ATTEMPTS; without this a call moto does not
        # implement (HTTP 500) is retried 25 times, which looks like a hang.
        extra = {**env, **proxy, "TF_VAR_aws_max_retries": "2"}
        return extra, ("AWS_", "NO_PROXY", "no_proxy")

    @property
    def init_args(self) -> tuple[str, ...]:
        """The emulator's S3 answers path-style addresses only."""
        return ("-backend-config=use_path_style=true",)

    def prepare_state(self, root: Root, backend: Backend, ui: UI) -> None:
        """Create the state bucket and lock table inside the root's account (once per emulator)."""
        account = root.account.id if root.account else "default"
        key = f"{account} {backend.region} {backend.bucket} {backend.lock_table}"
        if self.record.prepared(key):
            return
        from tfgen.bootstrap import bootstrap

        with ui.spinner("preparing state bucket and lock table in the sandbox"):
            bootstrap(
                self.session(root, backend.region),
                bucket=backend.bucket,
                table=backend.lock_table,
                region=backend.region,
            )
        self.record.remember_prepared(key)

    def cannot_create(self, plan: Mapping[str, Any]) -> list[Unsupported]:
        """Planned resources of types the emulator cannot create."""
        return emulator_cannot_create(plan)

    def prepare_destroy(self, root: Root, state: Callable[[], str]) -> list[str]:
        """Lift the guards of a fake account's data (see ``tfgen.sandbox_destroy``)."""
        from tfgen.sandbox_destroy import prepare_destroy

        return prepare_destroy(state(), lambda region: self.session(root, region))


def _assumed(base: boto3.Session, role: str, region: str) -> boto3.Session:
    import boto3
    import botocore.exceptions

    try:
        answer = base.client("sts").assume_role(RoleArn=role, RoleSessionName="tfgen")
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        raise InputError(
            f"cannot assume {role} with these credentials:"
            f" {error.get('Code', '')}: {error.get('Message', exc)}",
            hint="check that the role trusts these credentials",
        ) from exc
    except botocore.exceptions.NoCredentialsError as exc:
        raise InputError(f"no AWS credentials to assume {role} with") from exc
    credentials = answer["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


Target = AwsTarget
