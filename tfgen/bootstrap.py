"""Remote-state bootstrap: the S3 state bucket and the DynamoDB lock table.

``tfgen bootstrap`` creates both if missing and hardens them, without ever
prompting. An existing resource is checked setting by setting and only what is
missing is re-applied, so a second run changes nothing and says so, and a policy
someone added to an existing bucket is kept (our TLS-only statement is merged in).

Encryption is SSE-KMS with the AWS managed key ``aws/s3`` and an S3 Bucket Key:
every decrypt of state is then logged in CloudTrail, the Bucket Key keeps KMS
request costs low, and no key has to be created or paid for. A bucket already
encrypted with a customer managed key is left as it is; such a key is the better
choice once state must be read from another account, because only its key policy
can grant that.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore import exceptions as botoexc

from tfgen.errors import RunError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TableDescriptionTypeDef
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.literals import BucketLocationConstraintType

BUCKET_KIND = "state bucket"
TABLE_KIND = "lock table"

LOCK_KEY = "LockID"
# Terraform keeps a state checksum next to each lock, as "<bucket>/<key>-md5".
DIGEST_SUFFIX = "-md5"
TLS_ONLY_SID = "DenyInsecureTransport"

_PUBLIC_ACCESS_FLAGS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)
_POLL_S = 2.0
_TABLE_ACTIVE_ATTEMPTS = 90
_PITR_WAIT_S = 120.0


@dataclass(frozen=True)
class ResourceReport:
    """What bootstrap found and did for one resource.

    Attributes:
        kind: ``"state bucket"`` or ``"lock table"``.
        name: The bucket or table name.
        created: Whether this run created the resource.
        settings: The hardening settings now in place, as short labels.
        fixed: Settings an existing resource lacked and this run re-applied.
        skipped: Settings deliberately not applied (the TLS-only policy on the emulator).
    """

    kind: str
    name: str
    created: bool
    settings: tuple[str, ...]
    fixed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``"created"`` or ``"exists"``."""
        return "created" if self.created else "exists"

    def describe(self) -> str:
        """Return one line for the CLI, e.g. ``state bucket b: created (versioning, ...)``."""
        if self.created:
            detail = ", ".join(self.settings)
        elif self.fixed:
            detail = "re-applied " + ", ".join(self.fixed)
        else:
            detail = "all settings in place"
        if self.skipped:
            detail += "; not applied: " + ", ".join(self.skipped)
        return f"{self.kind} {self.name}: {self.status} ({detail})"


@dataclass(frozen=True)
class BootstrapReport:
    """The outcome of :func:`bootstrap`, per resource."""

    bucket: ResourceReport
    table: ResourceReport

    @property
    def changed(self) -> bool:
        """Whether this run created anything or re-applied a setting."""
        return any(r.created or r.fixed for r in (self.bucket, self.table))

    def lines(self) -> list[str]:
        """Return one printable line per resource."""
        return [self.bucket.describe(), self.table.describe()]


@dataclass(frozen=True)
class _Setting:
    label: str
    is_set: Callable[[], bool]
    apply: Callable[[], object]


def bootstrap(
    session: boto3.Session,
    *,
    bucket: str,
    table: str,
    region: str,
    tls_only: bool | None = None,
) -> BootstrapReport:
    """Create or harden the state bucket and the lock table; idempotent, never prompts.

    The bucket gets versioning, SSE-KMS (see the module docstring), a public
    access block with all four flags, ``BucketOwnerEnforced`` object ownership and
    a policy statement denying every ``s3:*`` request made without TLS. The table
    gets the ``LockID`` string hash key terraform expects, on-demand billing,
    SSE-KMS and point-in-time recovery.

    The TLS-only statement is only added when the S3 endpoint itself uses HTTPS
    (always, on AWS): behind a plain-HTTP endpoint such as the emulator it would
    deny every request terraform makes to its state. moto 5.2 even denies every
    object request under any statement that has a Condition. An existing
    TLS-only statement is never removed.

    Args:
        session: The boto3 session to use: the user's credentials, or
            :meth:`tfgen.sandbox.Sandbox.boto3_session` for the emulator.
        bucket: The state bucket name.
        table: The lock table name.
        region: The region both live in.
        tls_only: Whether the bucket policy must deny requests made without TLS;
            None (the default) decides by the scheme of the S3 endpoint.

    Returns:
        What was created, found in place, or re-applied, per resource.

    Raises:
        RunError: The bucket belongs to another account or lives in another
            region, the table has the wrong key, credentials are missing, the
            endpoint cannot be reached, or AWS refused a call.
    """
    with _aws_errors():
        s3 = session.client("s3", region_name=region)
        dynamodb = session.client("dynamodb", region_name=region)
        partition = session.get_partition_for_region(region)
        return BootstrapReport(
            bucket=_ensure_bucket(s3, bucket, region, partition, tls_only=tls_only),
            table=_ensure_table(dynamodb, table),
        )


def lock_holders(
    session: boto3.Session, table: str, *, region: str | None = None
) -> list[dict[str, Any]]:
    """List the state locks currently held in a lock table.

    Terraform writes one item per held lock (``LockID`` = ``<bucket>/<key>``, with
    its lock info as JSON in ``Info``) and one lasting checksum item per state
    (``<bucket>/<key>-md5``); only the former are returned. The scan is strongly
    consistent, so a lock released a moment ago is not reported.

    Args:
        session: The boto3 session to use.
        table: The lock table name.
        region: The table's region; the session's region when omitted.

    Returns:
        One dict per lock, sorted by ``LockID``: ``LockID`` plus the fields of the
        parsed ``Info`` JSON (``ID``, ``Operation``, ``Who``, ``Version``,
        ``Created``, ``Path``...), or the raw ``Info`` string if it is not JSON.

    Raises:
        RunError: The table does not exist or AWS could not be reached.
    """
    with _aws_errors():
        dynamodb = session.client("dynamodb", region_name=region)
        try:
            pages = dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
            items = [item for page in pages for item in page.get("Items", [])]
        except botoexc.ClientError as exc:
            if _code(exc) == "ResourceNotFoundException":
                raise RunError(
                    f"lock table {table} does not exist", hint="run `tfgen bootstrap` first"
                ) from exc
            raise
        holders: list[dict[str, Any]] = []
        for item in items:
            lock_id = item.get(LOCK_KEY, {}).get("S", "")
            if not lock_id or lock_id.endswith(DIGEST_SUFFIX):
                continue
            holders.append({LOCK_KEY: lock_id, **_lock_info(item.get("Info", {}).get("S"))})
        return sorted(holders, key=lambda holder: str(holder[LOCK_KEY]))


def _lock_info(raw: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    try:
        info = json.loads(raw)
    except ValueError:
        return {"Info": raw}
    return info if isinstance(info, dict) else {"Info": raw}


# --- the state bucket ---------------------------------------------------------


def _ensure_bucket(
    s3: S3Client, bucket: str, region: str, partition: str, *, tls_only: bool | None
) -> ResourceReport:
    if tls_only is None:
        tls_only = s3.meta.endpoint_url.startswith("https://")
    created = _create_bucket_if_missing(s3, bucket, region)
    arn = f"arn:{partition}:s3:::{bucket}"
    resources = {arn, f"{arn}/*"}
    settings = [
        _Setting(
            "versioning",
            lambda: s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled",
            lambda: s3.put_bucket_versioning(
                Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}
            ),
        ),
        _Setting(
            "SSE-KMS",
            lambda: _kms_encrypted(s3, bucket),
            lambda: s3.put_bucket_encryption(
                Bucket=bucket,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {
                            # No key id: the AWS managed aws/s3 key.
                            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                            "BucketKeyEnabled": True,
                        }
                    ]
                },
            ),
        ),
        _Setting(
            "public access block",
            lambda: _public_access_blocked(s3, bucket),
            lambda: s3.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            ),
        ),
        _Setting(
            "owner-enforced ownership",
            lambda: _owner_enforced(s3, bucket),
            lambda: s3.put_bucket_ownership_controls(
                Bucket=bucket,
                OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            ),
        ),
    ]
    tls_policy = _Setting(
        "TLS-only policy",
        lambda: any(_denies_insecure(s, resources) for s in _policy_statements(s3, bucket)),
        lambda: _put_tls_only_statement(s3, bucket, resources),
    )
    if tls_only:
        settings.append(tls_policy)
    return ResourceReport(
        kind=BUCKET_KIND,
        name=bucket,
        created=created,
        settings=tuple(s.label for s in settings),
        fixed=_apply(settings, created=created),
        skipped=() if tls_only else (tls_policy.label,),
    )


def _create_bucket_if_missing(s3: S3Client, bucket: str, region: str) -> bool:
    """Create the bucket unless it exists; return whether it was created."""
    try:
        head = s3.head_bucket(Bucket=bucket)
    except botoexc.ClientError as exc:
        if _http_status(exc) == 403:
            raise _foreign_bucket(
                bucket,
                "these credentials may not use it: another AWS account owns it, "
                "or a policy denies access",
            ) from exc
        if _http_status(exc) != 404:
            raise
    else:
        actual = head.get("BucketRegion")
        if actual and actual != region:
            raise RunError(
                f"state bucket {bucket} exists in {actual}, but the state region is {region}",
                hint="set the inventory's state region to the bucket's, or pick another bucket",
            )
        return False
    try:
        if region == "us-east-1":
            # us-east-1 rejects a LocationConstraint naming itself: it is the default.
            s3.create_bucket(Bucket=bucket)
        else:
            # The stubs list known regions as literals; a newer region is valid too.
            location = cast("BucketLocationConstraintType", region)
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": location}
            )
    except botoexc.ClientError as exc:
        if _code(exc) == "BucketAlreadyOwnedByYou":
            return False  # a concurrent bootstrap won the race
        if _code(exc) == "BucketAlreadyExists":
            raise _foreign_bucket(bucket, "another AWS account owns it") from exc
        raise
    # A new bucket can briefly be unknown to the calls that follow.
    s3.get_waiter("bucket_exists").wait(
        Bucket=bucket, WaiterConfig={"Delay": int(_POLL_S), "MaxAttempts": 30}
    )
    return True


def _foreign_bucket(bucket: str, why: str) -> RunError:
    return RunError(
        f"state bucket {bucket} already exists and {why}",
        hint="bucket names are global: pick another bucket name in the inventory's state settings",
    )


def _kms_encrypted(s3: S3Client, bucket: str) -> bool:
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
            "Rules"
        ]
    except botoexc.ClientError as exc:
        if _code(exc) == "ServerSideEncryptionConfigurationNotFoundError":
            return False
        raise
    return any(
        rule.get("ApplyServerSideEncryptionByDefault", {})
        .get("SSEAlgorithm", "")
        .startswith("aws:kms")
        for rule in rules
    )


def _public_access_blocked(s3: S3Client, bucket: str) -> bool:
    try:
        config = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except botoexc.ClientError as exc:
        if _code(exc) == "NoSuchPublicAccessBlockConfiguration":
            return False
        raise
    return all(config.get(flag) for flag in _PUBLIC_ACCESS_FLAGS)


def _owner_enforced(s3: S3Client, bucket: str) -> bool:
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    except botoexc.ClientError as exc:
        if _code(exc) == "OwnershipControlsNotFoundError":
            return False
        raise
    return any(rule.get("ObjectOwnership") == "BucketOwnerEnforced" for rule in rules)


def _policy_statements(s3: S3Client, bucket: str) -> list[dict[str, Any]]:
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except botoexc.ClientError as exc:
        if _code(exc) == "NoSuchBucketPolicy":
            return []
        raise
    return [s for s in _as_list(policy.get("Statement")) if isinstance(s, dict)]


def _denies_insecure(statement: dict[str, Any], resources: set[str]) -> bool:
    """Whether a statement denies everyone every S3 action on the bucket without TLS."""
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    condition = statement.get("Condition", {}).get("Bool", {})
    return (
        statement.get("Effect") == "Deny"
        and set(_as_list(principal)) == {"*"}
        and "s3:*" in _as_list(statement.get("Action"))
        and resources <= set(_as_list(statement.get("Resource")))
        and {str(v).lower() for v in _as_list(condition.get("aws:SecureTransport"))} == {"false"}
    )


def _put_tls_only_statement(s3: S3Client, bucket: str, resources: set[str]) -> None:
    # Keep whatever else the policy says; replace only our own statement.
    kept = [s for s in _policy_statements(s3, bucket) if s.get("Sid") != TLS_ONLY_SID]
    ours = {
        "Sid": TLS_ONLY_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": sorted(resources),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {"Version": "2012-10-17", "Statement": [*kept, ours]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


# --- the lock table -----------------------------------------------------------


def _ensure_table(dynamodb: DynamoDBClient, table: str) -> ResourceReport:
    created, description = _create_table_if_missing(dynamodb, table)
    keys = {(k["AttributeName"], k["KeyType"]) for k in description.get("KeySchema", [])}
    types = {a["AttributeName"]: a["AttributeType"] for a in description["AttributeDefinitions"]}
    if keys != {(LOCK_KEY, "HASH")} or types.get(LOCK_KEY) != "S":
        raise RunError(
            f"lock table {table} exists, but its key is not the string hash key "
            f"{LOCK_KEY} that terraform's state locking needs",
            hint="pick another table name in the inventory's state settings",
        )
    dynamodb.get_waiter("table_exists").wait(
        TableName=table,
        WaiterConfig={"Delay": int(_POLL_S), "MaxAttempts": _TABLE_ACTIVE_ATTEMPTS},
    )
    sse_status = description.get("SSEDescription", {}).get("Status")
    settings = [
        _Setting(
            "SSE-KMS",
            lambda: sse_status in ("ENABLED", "ENABLING", "UPDATING"),
            lambda: dynamodb.update_table(
                TableName=table, SSESpecification={"Enabled": True, "SSEType": "KMS"}
            ),
        ),
        _Setting(
            "point-in-time recovery",
            lambda: _pitr_enabled(dynamodb, table),
            lambda: _enable_pitr(dynamodb, table),
        ),
    ]
    billing = description.get("BillingModeSummary", {}).get("BillingMode")
    on_demand = ("on-demand",) if created or billing == "PAY_PER_REQUEST" else ()
    return ResourceReport(
        kind=TABLE_KIND,
        name=table,
        created=created,
        settings=on_demand + tuple(s.label for s in settings),
        fixed=_apply(settings, created=created),
    )


def _create_table_if_missing(
    dynamodb: DynamoDBClient, table: str
) -> tuple[bool, TableDescriptionTypeDef]:
    """Create the table unless it exists; return whether it was, and its description."""
    try:
        return False, dynamodb.describe_table(TableName=table)["Table"]
    except botoexc.ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            raise
    try:
        created = dynamodb.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": LOCK_KEY, "AttributeType": "S"}],
            KeySchema=[{"AttributeName": LOCK_KEY, "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
            # Enabled without a key id: the AWS managed aws/dynamodb key.
            SSESpecification={"Enabled": True, "SSEType": "KMS"},
        )
    except botoexc.ClientError as exc:
        if _code(exc) != "ResourceInUseException":
            raise
        # A concurrent bootstrap is creating it.
        return False, dynamodb.describe_table(TableName=table)["Table"]
    return True, created["TableDescription"]


def _pitr_enabled(dynamodb: DynamoDBClient, table: str) -> bool:
    backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    status = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    return status in ("ENABLED", "ENABLING")


def _enable_pitr(dynamodb: DynamoDBClient, table: str) -> None:
    deadline = time.monotonic() + _PITR_WAIT_S
    while True:
        try:
            dynamodb.update_continuous_backups(
                TableName=table,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            return
        except botoexc.ClientError as exc:
            # A freshly created table refuses this for a while on real AWS.
            if _code(exc) != "ContinuousBackupsUnavailableException":
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(_POLL_S)


# --- shared helpers -----------------------------------------------------------


def _apply(settings: list[_Setting], *, created: bool) -> tuple[str, ...]:
    """Apply each setting that is not in place; return those re-applied on an existing resource.

    New resources are checked too: AWS already sets some of these by default,
    and putting the table's SSE again fails instead of doing nothing.
    """
    fixed: list[str] = []
    for setting in settings:
        if not setting.is_set():
            setting.apply()
            if not created:
                fixed.append(setting.label)
    return tuple(fixed)


def _as_list(value: Any) -> list[Any]:
    """Policy JSON allows a scalar wherever it allows a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _code(exc: botoexc.ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _http_status(exc: botoexc.ClientError) -> int | None:
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


@contextlib.contextmanager
def _aws_errors() -> Iterator[None]:
    """Turn SDK exceptions into RunErrors a user can act on, without a traceback."""
    try:
        yield
    except (botoexc.NoCredentialsError, botoexc.PartialCredentialsError) as exc:
        raise RunError(
            f"no usable AWS credentials: {exc}",
            hint="set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
            "or use --sandbox",
        ) from exc
    except botoexc.ConnectionError as exc:
        raise RunError(
            f"cannot reach AWS: {exc}",
            hint="check the network, AWS_ENDPOINT_URL, or that the sandbox runs "
            "(`tfgen sandbox status`)",
        ) from exc
    except botoexc.ClientError as exc:
        message = exc.response.get("Error", {}).get("Message", "")
        raise RunError(f"AWS refused {exc.operation_name}: {_code(exc)}: {message}") from exc
    except botoexc.BotoCoreError as exc:
        raise RunError(f"AWS call failed: {exc}") from exc
