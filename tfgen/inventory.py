"""The inventory: one YAML file describing every environment of the platform.

Loading is three steps, and every problem of every step is collected before one
``InventoryError`` lists them all (file:line: dotted.path: message):

1. read the YAML with line numbers (``yaml_source``);
2. deep-merge ``defaults`` under each environment, then validate with strict
   pydantic models (unknown keys refused);
3. rules pydantic cannot express: the document's own (project name, state
   backend, waivers naming real environments), each environment's
   (``rules.environment_problems``) and each enabled section's (its ``problems``).

What the environment model holds is assembled from the section registry
(``environment.Environment``); this module names no section.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tfgen.environment import Environment, EnvironmentBase
from tfgen.errors import InputError, InventoryError
from tfgen.rules import REGION, environment_problems
from tfgen.section import Context, Problem, Strict, enabled_sections
from tfgen.yaml_source import FieldPath, SourceDocument, dotted, load_yaml

_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$")
_ENV_RE = re.compile(r"^[a-z][a-z0-9]{0,9}$")
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
    environments: list[str] = Field(default_factory=list)

    def applies_to(self, env: str) -> bool:
        """Whether this waiver covers environment ``env`` (no list means all)."""
        return not self.environments or env in self.environments

    @property
    def carried_by(self) -> str:
        """Waivers of this model are the inventory's own choices."""
        return "inventory"


class _Document(Strict):
    """The file's top level, before environments are merged."""

    project: str
    display_name: str | None = None
    # Sections are validated one by one below, so a problem in one does not
    # hide the problems of the others.
    state: dict[str, Any]
    defaults: dict[str, Any] = Field(default_factory=dict)
    environments: dict[str, dict[str, Any] | None]
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
    environments: dict[str, EnvironmentBase]
    waivers: list[Waiver]
    source: SourceDocument = Field(exclude=True, repr=False)

    def environment(self, name: str) -> EnvironmentBase:
        """Return environment ``name`` or raise an ``InputError`` naming the known ones."""
        try:
            return self.environments[name]
        except KeyError:
            known = ", ".join(self.environments) or "none"
            raise InputError(f"{self.path}: no environment '{name}' (known: {known})") from None

    def resource_name(self, env: str) -> str:
        """Lower-case prefix for AWS resource names, e.g. ``clientnest-dev``."""
        return f"{self.project}-{env}"

    def name_tag_prefix(self, env: str) -> str:
        """Prefix of ``Name`` tags, e.g. ``ClientNest-Dev`` as in the seed template."""
        return self.environment(env).name_tag_prefix or f"{self.display_name}-{env.capitalize()}"

    def waivers_for(self, env: str) -> list[Waiver]:
        """The waivers that apply to environment ``env``."""
        return [w for w in self.waivers if w.applies_to(env)]

    def context(self, env: str) -> Context:
        """What the sections of environment ``env`` build from."""
        return Context(
            env_name=env,
            env=self.environment(env),
            name=self.resource_name(env),
            name_tag_prefix=self.name_tag_prefix(env),
            project_dir=self.path.resolve().parent,
        )

    def error(self, env: str, problems: Iterable[Problem]) -> InventoryError:
        """The error listing ``problems`` of environment ``env`` with their file and line."""
        reporter = _Reporter(self.source)
        for where, message in problems:
            reporter.add(("environments", env, *where), message)
        return InventoryError([text for _, text in sorted(reporter.problems)])

    def env_config_hash(self, env: str) -> str:
        """Hash of everything that shapes environment ``env``'s generated files."""
        payload = {
            "project": self.project,
            "state": self.state.model_dump(),
            "environment": self.environment(env).model_dump(),
            "name_tag_prefix": self.name_tag_prefix(env),
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


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
    indexed_waivers = [
        (index, waiver)
        for index, raw in enumerate(document.waivers)
        if (waiver := _validated(reporter, Waiver, raw, ("waivers", index))) is not None
    ]
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
        if env is not None:
            environments[env_name] = env
    if not document.environments:
        reporter.add(("environments",), "at least one environment is required")

    for problem_path, message in _document_problems(document, state, indexed_waivers):
        reporter.add(problem_path, message)
    display_name = document.display_name or document.project.capitalize()
    for env_name, env in environments.items():
        ctx = Context(
            env_name=env_name,
            env=env,
            name=f"{document.project}-{env_name}",
            name_tag_prefix=env.name_tag_prefix or f"{display_name}-{env_name.capitalize()}",
            project_dir=path.resolve().parent,
        )
        for problem_path, message in _environment_problems(ctx):
            reporter.add(("environments", env_name, *problem_path), message)
    reporter.raise_if_any()
    assert state is not None  # raise_if_any() raised otherwise

    return Inventory(
        path=path,
        project=document.project,
        display_name=display_name,
        state=state,
        environments=environments,
        waivers=[waiver for _, waiver in indexed_waivers],
        source=source,
    )


def _environment_problems(ctx: Context) -> Iterator[Problem]:
    yield from environment_problems(ctx.env)
    for section, part in enabled_sections(ctx.env):
        yield from section.problems(ctx, part)


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
        if line is None and path[:1] == ("environments",) and len(path) > 2:
            # The environment inherited this value from `defaults`; point there.
            inherited = ("defaults", *path[2:])
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
        for env_index, env_name in enumerate(waiver.environments):
            if env_name not in document.environments:
                yield (*path, "environments", env_index), f"no environment '{env_name}'"


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
