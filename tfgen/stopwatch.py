"""Where a run's time went, part by part, kept beside its plan as ``timings.json``.

So a slow plan can be told apart: terraform's plan, its ``show -json``,
checkov's scan, or tfgen's own work. The benchmarks (``bench/``) read it too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Stopwatch:
    """Wall-clock seconds per named part of a run."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.parts: dict[str, float] = {}

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        """Time the block as ``name`` (added up when a part repeats)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.add(name, time.monotonic() - started)

    def add(self, name: str, seconds: float) -> None:
        """Record ``seconds`` for ``name``, measured elsewhere (e.g. by checkov)."""
        self.parts[name] = self.parts.get(name, 0.0) + seconds

    def write(self, path: Path) -> None:
        """Write the parts and the total so far as JSON (rounded to milliseconds)."""
        data = {
            "total_s": round(time.monotonic() - self.started, 3),
            "parts_s": {name: round(seconds, 3) for name, seconds in self.parts.items()},
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
