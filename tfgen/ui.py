"""How tfgen talks to a person: streamed lines, spinners, confirmations.

On a terminal long quiet steps show a spinner; in CI (no terminal) the same
steps print one line when they start, so logs stay readable.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape


class UI:
    """Console output of one tfgen command."""

    def __init__(self, *, quiet: bool = False) -> None:
        # No emoji codes: "inventory.yaml:100:" must not print as "inventory.yaml💯".
        self.out = Console(highlight=False, soft_wrap=True, emoji=False)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
        self.quiet = quiet

    @property
    def interactive(self) -> bool:
        """Whether a person can answer a prompt (stdin and stdout are terminals)."""
        return sys.stdin.isatty() and self.out.is_terminal

    def stream(self, line: str) -> None:
        """One line of terraform's output, passed through unless quiet."""
        # Written as is: terraform prints thousands of lines, rich's rendering of
        # each cost most of a second per plan, and terraform colours its own.
        if not self.quiet:
            self.out.file.write(line + "\n")

    @property
    def color(self) -> bool:
        """Whether terraform may print colour codes (only onto a terminal)."""
        return self.out.is_terminal

    def info(self, message: str) -> None:
        """A tfgen message (markup allowed)."""
        (self.err if self.quiet else self.out).print(message)

    def step(self, message: str) -> None:
        """Announce a stage of a command.

        When quiet it goes to stderr, so scripts reading stdout (such as
        `tfgen output --json`) get only data.
        """
        console = self.err if self.quiet else self.out
        console.print(f"[bold cyan]==>[/] {escape(message)}")

    def warn(self, message: str) -> None:
        """A warning on stderr."""
        self.err.print(f"[yellow]warning:[/] {escape(message)}")

    def error(self, message: str, hint: str | None = None) -> None:
        """An error on stderr, with what to do about it."""
        self.err.print(f"[bold red]error:[/] {escape(message)}")
        if hint:
            self.err.print(f"[dim]hint:[/] {escape(hint)}")

    @contextmanager
    def spinner(self, message: str) -> Iterator[None]:
        """A spinner on a terminal; a plain line elsewhere."""
        console = self.err if self.quiet else self.out
        if console.is_terminal:
            with console.status(escape(message)):
                yield
        else:
            self.step(message)
            yield

    def confirm(self, question: str, expected: str) -> bool:
        """Ask the person to type ``expected``; True when they did."""
        self.out.print(f"{escape(question)} Type [bold]{escape(expected)}[/] to go on: ", end="")
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip() == expected


class BufferedUI(UI):
    """A root's output while several roots run at once: kept, then shown as one block.

    Lines are never interleaved with another root's; the run prints the block
    when the root is done and keeps it in a log file. ``status`` is the root's
    current step, for the live status line.
    """

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.StringIO()
        self.out = Console(file=self.buffer, highlight=False, soft_wrap=True, emoji=False)
        self.err = self.out
        self.status = "waiting"

    @property
    def interactive(self) -> bool:
        """Nobody answers a prompt inside a run of several roots."""
        return False

    @property
    def color(self) -> bool:
        """Plain text: the block is printed later, and kept in a file."""
        return False

    def step(self, message: str) -> None:
        """Record the step, and make it the root's status."""
        self.status = message
        super().step(message)

    @contextmanager
    def spinner(self, message: str) -> Iterator[None]:
        """A step line; the live status line shows it."""
        self.step(message)
        yield

    def text(self) -> str:
        """Everything the root printed so far."""
        return self.buffer.getvalue()
