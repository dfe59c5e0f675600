"""The one exception family for problems a user can cause or must act on.

The CLI prints these without a traceback and maps them to exit codes; nothing
below the CLI decides an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_GATE_REFUSED = 3


class TfgenError(Exception):
    """Base of every error tfgen reports to a user as a message, not a traceback."""

    exit_code = EXIT_RUN_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(TfgenError):
    """Bad input or usage: the inventory, a flag, a missing environment."""

    exit_code = EXIT_BAD_INPUT


class InventoryError(InputError):
    """The inventory is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"inventory has {len(problems)} problem(s):\n" + "\n".join(problems))
        self.problems = problems


class RunError(TfgenError):
    """A run failed: terraform, the emulator, checkov or I/O."""


class StalePlanError(RunError):
    """The saved plan no longer matches its sources or its target."""


class EmulatorLimitError(RunError):
    """The sandbox cannot run this: the emulator lacks a resource type the plan creates."""


class LockHeldError(RunError):
    """Another run holds a lock: terraform's state lock, or tfgen's lock of a root.

    ``lock_id`` is terraform's lock id, when it is the state lock.
    """

    def __init__(self, message: str, *, hint: str | None = None, lock_id: str | None = None):
        super().__init__(message, hint=hint)
        self.lock_id = lock_id


class InterruptedRunError(RunError):
    """terraform was interrupted (Ctrl-C, SIGTERM) and stopped cleanly."""


class GateRefusedError(TfgenError):
    """The policy gate refused: checkov failures that no waiver covers."""

    exit_code = EXIT_GATE_REFUSED


def output_tail(text: str, lines: int = 20) -> str:
    """The last ``lines`` lines of a tool's output, for an error message."""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def some_names(names: Iterable[str], shown: int = 10) -> str:
    """``a, b, c`` for a message; past ``shown`` names, the first ones and how many in all."""
    listed = list(names)
    if not listed:
        return "none"
    if len(listed) <= shown:
        return ", ".join(listed)
    return f"{', '.join(listed[:shown])}, … ({len(listed)} in all)"
