"""Rules of an environment that belong to no section, and helpers sections share.

Every rule yields ``(path inside the environment, message)``; the inventory
loader turns them into ``file:line: dotted.path: message`` lines. A section's own
rules live in its file and call the helpers here for what several share: log
retention, names usable in AWS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tfgen.section import Problem
from tfgen.yaml_source import FieldPath

if TYPE_CHECKING:
    from tfgen.environment import RootBase

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)  # fmt: skip
PRODUCTION_MIN_LOG_RETENTION_DAYS = 365

REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_TAG_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,40}$")


def environment_problems(env: RootBase) -> Iterator[Problem]:
    """The rules of an environment's own settings (sections check their parts)."""
    if not REGION.match(env.region):
        yield ("region",), f"'{env.region}' is not an AWS region name"
    if env.name_tag_prefix is not None and not _TAG_PREFIX.match(env.name_tag_prefix):
        yield ("name_tag_prefix",), "must be letters, digits and hyphens"
    for key, value in env.tags.items():
        if key.lower().startswith("aws:"):
            yield ("tags", key), "tag keys starting with 'aws:' are reserved by AWS"
        if not 1 <= len(key) <= 128 or len(value) > 256:
            yield ("tags", key), "tag keys are 1-128 characters, values at most 256"
    if env.production and not env.deletion_protection:
        yield ("deletion_protection",), "a production environment needs deletion_protection: true"


def retention_problems(where: FieldPath, days: int, env: RootBase) -> Iterator[Problem]:
    """A log retention CloudWatch accepts, and a year at least in production."""
    minimum = PRODUCTION_MIN_LOG_RETENTION_DAYS if env.production else 1
    if days not in LOG_RETENTION_DAYS:
        yield where, f"CloudWatch accepts only {', '.join(map(str, LOG_RETENTION_DAYS))} days"
    elif days < minimum:
        yield where, f"{days} days is below the {minimum} days a production environment keeps"


def name_problems(where: FieldPath, names: Iterable[str]) -> Iterator[Problem]:
    """Names of things in a section (services, queues...): they go into AWS names."""
    for name in names:
        if not NAME.match(name):
            message = "names are 1-24 lower-case letters, digits, hyphens, starting with a letter"
            yield (*where, name), message


def label_problems(where: FieldPath, label: str) -> Iterator[Problem]:
    """A subdomain: one lower-case DNS label."""
    if not LABEL.match(label):
        yield where, "must be one lower-case DNS label"


def health_check_problems(where: FieldPath, env: RootBase) -> Iterator[Problem]:
    """Route 53 publishes health-check metrics in us-east-1 only, where the alarms must be."""
    if env.region != "us-east-1":
        message = (
            "Route 53 health-check metrics exist in us-east-1 only, and this environment's"
            f" alarms are in {env.region}: turn the health check off (null)"
        )
        yield where, message
