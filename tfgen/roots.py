"""Roots: the generated Terraform root modules, each with its own state.

A root is an environment (``dev``) or the baseline of an AWS account
(``account-prod``). Every root is pinned to its account when the inventory
names accounts: its provider refuses other accounts, tfgen checks the
credentials before terraform starts, and its plan records the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RootKind = Literal["environment", "account"]
ACCOUNT_PREFIX = "account-"


@dataclass(frozen=True)
class AccountRef:
    """The AWS account a root lives in, and how to reach it."""

    name: str
    id: str
    role: str | None = None

    def describe(self) -> str:
        """``'prod' (222222222222)``, for messages."""
        return f"'{self.name}' ({self.id})"


@dataclass(frozen=True)
class Backend:
    """Where one root's state lives: an S3 object, locked in a DynamoDB table."""

    bucket: str
    key: str
    region: str
    lock_table: str
    role: str | None = None


@dataclass(frozen=True)
class Root:
    """One root: its name (what `tfgen list` prints), kind, account and dependencies.

    Attributes:
        name: ``dev``, or ``account-<name>`` for an account's baseline.
        kind: ``environment`` or ``account``.
        key: Its key in the inventory (the environment's or the account's name).
        region: Where it runs (an account's home region).
        account: Its account; None when the inventory names no accounts.
        depends_on: Roots planned and applied before it.
    """

    name: str
    kind: RootKind
    key: str
    region: str
    account: AccountRef | None
    depends_on: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        """Its part of the inventory: ``environments`` or ``accounts``."""
        return "environments" if self.kind == "environment" else "accounts"


def account_root_name(account: str) -> str:
    """The root of an account's baseline, e.g. ``account-prod``."""
    return f"{ACCOUNT_PREFIX}{account}"
