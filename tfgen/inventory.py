"""The inventory: one YAML file describing every root of the platform.

Loading is three steps, and every problem of every step is collected before one
``InventoryError`` lists them all (file:line: dotted.path: message):

1. read the YAML with line numbers (``yaml_source``);
2. deep-merge ``defaults`` under each environment and ``account_defaults``
   under each account, then validate with strict pydantic models (unknown keys
   refused);
3. rules pydantic cannot express: the document's own (project name, state
   backend, accounts and their ids, waivers naming real roots), each root's
   (``rules``) and each enabled section's (its ``problems``).

The environment and account models are assembled from the section registry
(``environment``); this module names no section.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tfgen.environment import Account, AccountBase, Environment, EnvironmentBase, RootBase
from tfgen.errors import InputError, InventoryError, some_names
from tfgen.roots import AccountRef, Backend, Root, account_root_name
from tfgen.rules import REGION, environment_problems
from tfgen.section import Context, Problem, Strict, enabled_sections
from tfgen.yaml_source import FieldPath, SourceDocument, dotted, load_yaml

_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$")
_ENV_RE = re.compile(r"^[a-z][a-z0-9]{0,9}$")
_ACCOUNT_RE = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
_ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
_ROLE_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
_TAG_PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,40}$")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_TABLE_RE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
_CHECK_RE = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


class StateBackend(Strict):
    """Where terraform keeps state: an S3 bucket, locked in a DynamoDB table."""

    bucket: str = Field(description="S3 bucket for state files (globally unique name)")
    lock_table: str = Field(description="DynamoDB table for state locks")
    region: str = Field(description="region of the bucket and the table")
    key_prefix: str = Field(default="tfgen", description="state object key prefix")


class Waiver(Strict):
    """An accepted checkov failure: which check, on what, and why."""

    check: str
    resource: str
    reason: str = Field(min_length=1)
    environments: list[str] = Field(
        default_factory=list, description="roots it covers (environments, account-<name>)"
    )

    def applies_to(self, root: str) -> bool:
        """Whether this waiver covers root ``root`` (no list means all)."""
        return not self.environments or root in self.environments

    @property
    def carried_by(self) -> str:
        """Waivers of this model are the inventory's own choices."""
        return "inventory"


class GitHub(Strict):
    """The GitHub repository whose Actions workflows plan and apply the roots."""

    repository: str = Field(description="owner/name, e.g. clientnest/platform")
    branch: str = Field(default="main", description="merges here are applied")
    reviewed: list[str] = Field(
        default_factory=list,
        description="roots whose GitHub environment requires a reviewer before apply",
    )


class Ci(Strict):
    """How CI reaches the roots: GitHub Actions through OIDC roles of each account."""

    github: GitHub | None = None


class _Document(Strict):
    """The file's top level, before environments and accounts are merged."""

    project: str
    display_name: str | None = None
    # Parts are validated one by one below, so a problem in one does not hide
    # the problems of the others.
    state: dict[str, Any]
    accounts: dict[str, dict[str, Any] | None] = Field(default_factory=dict)
    account_defaults: dict[str, Any] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    environments: dict[str, dict[str, Any] | None]
    ci: dict[str, Any] = Field(default_factory=dict)
    waivers: list[dict[str, Any]] = Field(default_factory=list)


class Inventory(Strict):
    """The validated inventory: what every later stage reads.

    ``source`` keeps the line of every value, so a later stage (composition)
    reports its problems the way loading does.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    path: Path
    project: str
    display_name: str
    state: StateBackend
    accounts: dict[str, AccountBase]
    environments: dict[str, EnvironmentBase]
    ci: Ci = Ci()
    waivers: list[Waiver]
    source: SourceDocument = Field(exclude=True, repr=False)

    @property
    def warnings(self) -> list[str]:
        """What is valid but worth saying."""
        if self.accounts:
            return []
        return [
            f"{self.path}: no `accounts`: every root runs in whatever account the credentials"
            " are for, unpinned; name the accounts to pin each root to its own"
        ]

    def roots(self) -> list[Root]:
        """Every root, accounts first (an environment depends on its account's root)."""
        accounts = [
            Root(
                name=account_root_name(name),
                kind="account",
                key=name,
                region=account.region,
                account=self._account_ref(name),
            )
            for name, account in self.accounts.items()
        ]
        environments = [
            Root(
                name=name,
                kind="environment",
                key=name,
                region=env.region,
                account=self._account_ref(env.account) if env.account else None,
                depends_on=tuple(
                    dict.fromkeys([account_root_name(env.account)] if env.account else []).keys()
                )
                + tuple(env.depends_on),
            )
            for name, env in self.environments.items()
        ]
        return accounts + environments

    @cached_property
    def memo(self) -> dict[tuple[Any, ...], Any]:
        """Values later stages derive from this inventory, kept for its lifetime.

        A plan composes its root several times (generate, init, manifest,
        waivers); the inventory is frozen, so once is enough.
        """
        return {}

    @cached_property
    def _roots_by_name(self) -> dict[str, Root]:
        # Looked up for every module call of every root: a scan per lookup made
        # generating n roots take n² time. The inventory is frozen, so this stays true.
        return {root.name: root for root in self.roots()}

    def root(self, name: str) -> Root:
        """Return root ``name`` or raise an ``InputError`` naming the known ones."""
        found = self._roots_by_name.get(name)
        if found is not None:
            return found
        known = some_names(self._roots_by_name)
        raise InputError(f"{self.path}: no root '{name}' (known: {known})")

    def settings(self, root: str) -> RootBase:
        """The settings of root ``root``: its environment's, or its account's."""
        found = self.root(root)
        return (
            self.environments[found.key]
            if found.kind == "environment"
            else self.accounts[found.key]
        )

    def environment(self, name: str) -> EnvironmentBase:
        """Return environment ``name`` or raise an ``InputError`` naming the known ones."""
        try:
            return self.environments[name]
        except KeyError:
            known = some_names(self.environments)
            raise InputError(f"{self.path}: no environment '{name}' (known: {known})") from None

    def resource_name(self, root: str) -> str:
        """Lower-case prefix for AWS resource names, e.g. ``clientnest-dev``."""
        return f"{self.project}-{root}"

    def name_tag_prefix(self, root: str) -> str:
        """Prefix of ``Name`` tags, e.g. ``ClientNest-Dev`` as in the seed template."""
        found = self.root(root)
        settings = self.settings(root)
        if settings.name_tag_prefix:
            return settings.name_tag_prefix
        suffix = "-Account" if found.kind == "account" else ""
        return f"{self.display_name}-{found.key.capitalize()}{suffix}"

    def waivers_for(self, root: str) -> list[Waiver]:
        """The waivers that apply to root ``root``."""
        return [w for w in self.waivers if w.applies_to(root)]

    def backend(self, root: str) -> Backend:
        """Where the state of root ``root`` lives: its account's bucket, when accounts are named.

        One state bucket and lock table per account, in that account: a root's
        credentials (pinned to its account) are all it needs, no bucket is
        shared across accounts, and nonprod's credentials can never read prod's
        state.
        """
        found = self.root(root)
        key = f"{self.state.key_prefix}/{root}/terraform.tfstate"
        if found.account is None:
            return Backend(self.state.bucket, key, self.state.region, self.state.lock_table)
        account = self.accounts[found.account.name]
        bucket = account.state_bucket or f"{self.state.bucket}-{found.account.name}"
        return Backend(bucket, key, self.state.region, self.state.lock_table, account.role)

    def context(self, root: str) -> Context:
        """What the sections of root ``root`` build from."""
        return Context(
            env_name=root,
            env=self.settings(root),
            name=self.resource_name(root),
            name_tag_prefix=self.name_tag_prefix(root),
            project_dir=self.path.resolve().parent,
            inventory=self,
        )

    def error(self, root: str, problems: Iterable[Problem]) -> InventoryError:
        """The error listing ``problems`` of root ``root`` with their file and line."""
        found = self.root(root)
        reporter = _Reporter(self.source)
        for where, message in problems:
            reporter.add((found.section, found.key, *where), message)
        return InventoryError([text for _, text in sorted(reporter.problems)])

    def config_hash(self, root: str) -> str:
        """Hash of everything that shapes root ``root``'s generated files."""
        found = self.root(root)
        payload = {
            "project": self.project,
            "backend": self.backend(root).__dict__,
            "root": found.__dict__ | {"account": found.account.__dict__ if found.account else None},
            "settings": self.settings(root).model_dump(),
            "name_tag_prefix": self.name_tag_prefix(root),
            # An account's baseline reads its environments (budgets, CI roles).
            "peers": {
                name: {"account": env.account, "tags": env.tags}
                for name, env in self.environments.items()
            }
            if found.kind == "account"
            else None,
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def _account_ref(self, name: str) -> AccountRef:
        account = self.accounts[name]
        return AccountRef(name=name, id=account.id, role=account.role)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` onto ``base``.

    Mappings merge key by key; anything else (lists included) is replaced by
    the override's value.
    """
    merged: dict[str, Any] = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_inventory(path: Path) -> Inventory:
    """Load, merge and validate the inventory at ``path``.

    Raises:
        InventoryError: every problem found, one line each.
    """
    source = load_yaml(path)
    reporter = _Reporter(source)
    if not isinstance(source.data, dict):
        reporter.add((), "the inventory must be a mapping with project, state, environments")
        reporter.raise_if_any()
    try:
        document = _Document.model_validate(source.data)
    except ValidationError as exc:
        reporter.add_validation(exc, ())
        reporter.raise_if_any()
        raise AssertionError("unreachable") from exc

    state = _validated(reporter, StateBackend, document.state, ("state",))
    ci = _validated(reporter, Ci, document.ci, ("ci",))
    indexed_waivers = [
        (index, waiver)
        for index, raw in enumerate(document.waivers)
        if (waiver := _validated(reporter, Waiver, raw, ("waivers", index))) is not None
    ]
    accounts: dict[str, AccountBase] = {}
    for name, overrides in document.accounts.items():
        where: FieldPath = ("accounts", name)
        if not _ACCOUNT_RE.match(name):
            reporter.add(where, "account names are 1-20 lower-case letters, digits, hyphens")
        raw_id = (overrides or {}).get("id")
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            # YAML reads 012345678901 as a number and drops the leading zero.
            reporter.add((*where, "id"), "write the account id in quotes: '123456789012'")
            continue
        merged = deep_merge(document.account_defaults, overrides or {})
        account = _validated(reporter, Account, merged, where)
        if isinstance(account, AccountBase):
            accounts[name] = account
    environments: dict[str, EnvironmentBase] = {}
    for env_name, overrides in document.environments.items():
        env_path: FieldPath = ("environments", env_name)
        if not _ENV_RE.match(env_name):
            reporter.add(
                env_path,
                "environment names are 1-10 lower-case letters/digits, starting with a letter",
            )
        merged = deep_merge(document.defaults, overrides or {})
        env = _validated(reporter, Environment, merged, env_path)
        if isinstance(env, EnvironmentBase):
            environments[env_name] = env
    if not document.environments:
        reporter.add(("environments",), "at least one environment is required")

    for problem_path, message in _document_problems(document, state, indexed_waivers):
        reporter.add(problem_path, message)
    account_problems = list(_account_problems(document, accounts, environments))
    for problem_path, message in account_problems:
        reporter.add(problem_path, message)
    if account_problems or len(accounts) != len(document.accounts):
        reporter.raise_if_any()  # roots cannot be resolved without their accounts

    inventory = Inventory(
        path=path,
        project=document.project,
        display_name=document.display_name or document.project.capitalize(),
        # A broken state setting is already reported; the roots' own rules are
        # still checked, so every problem is listed at once.
        state=state or StateBackend(bucket="unset", lock_table="unset", region="unset"),
        accounts=accounts,
        environments=environments,
        ci=ci or Ci(),
        waivers=[waiver for _, waiver in indexed_waivers],
        source=source,
    )
    complete = len(environments) == len(document.environments)
    for root in inventory.roots():
        if root.kind == "account" and not complete:
            continue  # a baseline's rules read its environments; one of them is broken
        ctx = inventory.context(root.name)
        for problem_path, message in _root_problems(ctx):
            reporter.add((root.section, root.key, *problem_path), message)
    for problem_path, message in [*_dependency_problems(inventory), *_ci_problems(inventory)]:
        reporter.add(problem_path, message)
    reporter.raise_if_any()
    return inventory


def _root_problems(ctx: Context) -> Iterator[Problem]:
    yield from environment_problems(ctx.env)
    for section, part in enabled_sections(ctx.env):
        yield from section.problems(ctx, part)


def _ci_problems(inventory: Inventory) -> Iterator[tuple[FieldPath, str]]:
    github = inventory.ci.github
    if github is None:
        return
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", github.repository):
        yield (
            ("ci", "github", "repository"),
            "owner/name of the repository, e.g. clientnest/platform",
        )
    roots = [root.name for root in inventory.roots()]
    for index, name in enumerate(github.reviewed):
        if name not in roots:
            yield (
                ("ci", "github", "reviewed", index),
                f"no root '{name}' (known: {', '.join(roots)})",
            )


def _account_problems(
    document: _Document,
    accounts: Mapping[str, AccountBase],
    environments: Mapping[str, EnvironmentBase],
) -> Iterator[tuple[FieldPath, str]]:
    owners: dict[str, str] = {}
    for name, account in accounts.items():
        where: FieldPath = ("accounts", name)
        if not _ACCOUNT_ID_RE.match(account.id):
            yield (*where, "id"), f"'{account.id}' is not an AWS account id (12 digits)"
        elif account.id in owners:
            yield (*where, "id"), f"account '{owners[account.id]}' has the same id {account.id}"
        else:
            owners[account.id] = name
        if account.role is not None:
            role = _ROLE_RE.match(account.role)
            if role is None:
                yield (*where, "role"), "an IAM role ARN: arn:aws:iam::<account id>:role/<name>"
            elif role.group(1) != account.id:
                yield (*where, "role"), f"the role must be in the account itself ({account.id})"
        if account.state_bucket is not None and not _BUCKET_RE.match(account.state_bucket):
            yield (
                (*where, "state_bucket"),
                f"'{account.state_bucket}' is not a valid S3 bucket name",
            )
    known = ", ".join(document.accounts) or "none"
    for env_name, env in environments.items():
        where = ("environments", env_name, "account")
        if env.account is not None and env.account not in document.accounts:
            yield where, f"no account '{env.account}' (known: {known})"
        elif env.account is None and document.accounts:
            yield ("environments", env_name), f"name the account it lives in (one of: {known})"


def _dependency_problems(inventory: Inventory) -> Iterator[tuple[FieldPath, str]]:
    roots = {root.name: root for root in inventory.roots()}
    for name, env in inventory.environments.items():
        for index, other in enumerate(env.depends_on):
            where: FieldPath = ("environments", name, "depends_on", index)
            if other not in roots:
                yield where, f"no root '{other}' (known: {', '.join(roots)})"
            elif other == name:
                yield where, "a root cannot depend on itself"
    cycle = _cycle(roots)
    if cycle:
        first = roots[cycle[0]]
        yield (
            (first.section, first.key, "depends_on"),
            "depends_on makes a cycle: " + " ➜ ".join(cycle),
        )


def _cycle(roots: Mapping[str, Root]) -> list[str]:
    """A dependency cycle among the roots, as a path that ends where it starts; [] when none."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, path: list[str]) -> list[str]:
        state[name] = 1
        for other in roots[name].depends_on:
            if other not in roots:
                continue
            if state.get(other) == 1:
                return [*path[path.index(other) :], other] if other in path else [name, other]
            if state.get(other) is None:
                found = visit(other, [*path, other])
                if found:
                    return found
        state[name] = 2
        return []

    for name in roots:
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return []


_Model = TypeVar("_Model", bound=BaseModel)


def _validated(
    reporter: _Reporter, model: type[_Model], data: Any, path: FieldPath
) -> _Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        reporter.add_validation(exc, path)
        return None


class _Reporter:
    """Collects problems as ``file:line: dotted.path: message`` lines."""

    def __init__(self, source: SourceDocument) -> None:
        self.source = source
        self.problems: list[tuple[int, str]] = []

    def add(self, path: FieldPath, message: str) -> None:
        line = self.source.lines.get(path)
        origin = ""
        defaults = {"environments": "defaults", "accounts": "account_defaults"}
        if line is None and len(path) > 2 and path[0] in defaults:
            # The root inherited this value from `defaults`; point there.
            inherited = (defaults[str(path[0])], *path[2:])
            if inherited in self.source.lines:
                line = self.source.lines[inherited]
                origin = f" (inherited from {dotted(inherited)})"
        if line is None:
            line = self.source.line_of(path)
        where = f"{self.source.path}:{line}" if line else str(self.source.path)
        self.problems.append((line or 0, f"{where}: {dotted(path) or '(top)'}{origin}: {message}"))

    def add_validation(self, exc: ValidationError, prefix: FieldPath) -> None:
        for error in exc.errors():
            self.add((*prefix, *error["loc"]), _pydantic_message(error))

    def raise_if_any(self) -> None:
        if self.problems:
            # In file order, so a reader can fix them top to bottom.
            ordered = sorted(self.problems, key=lambda problem: problem[0])
            raise InventoryError([text for _, text in ordered])


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return str(error["msg"]).replace("Input should be", "must be")
    return f"{error['msg']} (got {error.get('input')!r})"


def _document_problems(
    document: _Document, state: StateBackend | None, waivers: list[tuple[int, Waiver]]
) -> Iterator[tuple[FieldPath, str]]:
    if not _PROJECT_RE.match(document.project):
        yield (
            ("project",),
            (
                "must be 2-20 lower-case letters, digits or hyphens, starting with a letter"
                " (it prefixes AWS resource names)"
            ),
        )
    if state is not None:
        yield from _state_problems(state)
    if document.display_name is not None and not _TAG_PREFIX_RE.match(document.display_name):
        yield ("display_name",), "must be letters, digits and hyphens, starting with a letter"
    for index, waiver in waivers:
        path: FieldPath = ("waivers", index)
        if not _CHECK_RE.match(waiver.check):
            yield (*path, "check"), f"'{waiver.check}' is not a checkov check id like CKV_AWS_130"
        if not waiver.resource.strip():
            yield (*path, "resource"), "name a resource address, or 'all'"
        if len(waiver.reason.strip()) < 15:
            yield (*path, "reason"), "say why this check does not apply (at least 15 characters)"
        roots = [*document.environments, *(account_root_name(a) for a in document.accounts)]
        for env_index, env_name in enumerate(waiver.environments):
            if env_name not in roots:
                yield (*path, "environments", env_index), f"no root '{env_name}'"


def _state_problems(state: StateBackend) -> Iterator[tuple[FieldPath, str]]:
    bucket = state.bucket
    if (
        not _BUCKET_RE.match(bucket)
        or ".." in bucket
        or ".-" in bucket
        or "-." in bucket
        or bucket.startswith(("xn--", "sthree-"))
        or bucket.endswith(("-s3alias", "--ol-s3"))
        or re.fullmatch(r"\d+\.\d+\.\d+\.\d+", bucket)
    ):
        yield (
            ("state", "bucket"),
            (
                f"'{bucket}' is not a valid S3 bucket name (3-63 lower-case letters, digits,"
                " dots, hyphens; starts and ends with a letter or digit)"
            ),
        )
    if not _TABLE_RE.match(state.lock_table):
        yield ("state", "lock_table"), "DynamoDB table names are 3-255 of A-Z a-z 0-9 _ . -"
    if not REGION.match(state.region):
        yield ("state", "region"), f"'{state.region}' is not an AWS region name"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", state.key_prefix):
        yield ("state", "key_prefix"), "use letters, digits, _ . - separated by /"
