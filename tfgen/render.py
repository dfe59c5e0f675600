"""Render an ``RootSpec`` into the files of ``envs/<env>/``.

One Jinja environment with StrictUndefined (a missing value is an error, never
an empty string), then ``terraform fmt`` so the files are fmt-clean whatever the
templates' whitespace; both steps are deterministic.
"""

from __future__ import annotations

import bisect
import os
import re
import uuid
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import jinja2

from tfgen.compose import RootSpec
from tfgen.errors import RunError
from tfgen.hcl import to_hcl
from tfgen.terraform import Terraform

# The files of every generated root, in the order a reader wants them.
ROOT_FILES = (
    "versions.tf",
    "backend.tf",
    "providers.tf",
    "variables.tf",
    "main.tf",
    "outputs.tf",
)


@cache
def _jinja(templates_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # HCL, not HTML: values are escaped by the `hcl` filter
    )
    environment.filters["hcl"] = to_hcl
    return environment


def render_roots(
    specs: Sequence[RootSpec], templates_dir: Path, terraform: str
) -> dict[str, dict[str, str | bytes]]:
    """Return ``{root: {relative path: content}}`` for the generated roots of ``specs``.

    Text for the ``.tf`` files, bytes for packaged artifacts (function zips).

    Raises:
        RunError: a template is missing or broken, or ``terraform fmt`` rejects
            the result (a bug in a template, not in the inventory).
    """
    environment = _jinja(templates_dir)
    raw: dict[str, dict[str, str]] = {}
    for spec in specs:
        raw[spec.env] = {}
        for name in ROOT_FILES:
            try:
                raw[spec.env][name] = environment.get_template(f"{name}.jinja").render(spec=spec)
            except jinja2.TemplateError as exc:
                raise RunError(f"template {name}.jinja: {exc}") from None
    formatted = _terraform_fmt(raw, terraform)
    return {spec.env: {**formatted[spec.env], **spec.artifacts} for spec in specs}


def _terraform_fmt(roots: dict[str, dict[str, str]], terraform: str) -> dict[str, dict[str, str]]:
    """``terraform fmt`` every file of every root in one call, through stdin and stdout.

    Starting terraform costs more than formatting a root, and writing files for
    it to format costs more again: a call per root (or files in a scratch
    folder) made generating 100 roots mostly waiting. The files are joined with
    a marker comment line between them; fmt works line by line within a file's
    brackets, and the marker line breaks any alignment run, so each file comes
    back exactly as formatted alone (``tests/test_render.py`` checks this).
    """
    pieces = [(root, name, text) for root, files in roots.items() for name, text in files.items()]
    marker = f"# tfgen-fmt {uuid.uuid4().hex} "
    starts: list[int] = []  # the line of stdin each file starts on
    chunks: list[str] = []
    line = 1
    for index, (root, name, text) in enumerate(pieces):
        if not text.endswith("\n"):
            raise RunError(f"template {name}.jinja does not end with a newline ({root})")
        chunks.append(f"{marker}{index}\n{text}")
        starts.append(line + 1)
        line += 1 + text.count("\n")
    runner = Terraform(terraform, cwd=Path.cwd(), env=_fmt_env())
    result = runner.run("fmt", "-no-color", "-", stdin="".join(chunks), stream=False, check=False)
    if result.returncode != 0:
        raise RunError(
            "generated HCL does not parse (a template bug)"
            + _where(result.stderr, starts, pieces)
            + f":\n{result.stderr.strip()}"
        )
    formatted: dict[str, dict[str, str]] = {root: {} for root in roots}
    current: list[str] = []
    index = -1
    for out_line in [*result.stdout.splitlines(keepends=True), marker]:
        if out_line.startswith(marker):
            if index >= 0:
                root, name, _ = pieces[index]
                formatted[root][name] = "".join(current)
            index, current = index + 1, []
        else:
            current.append(out_line)
    if index != len(pieces):
        raise RunError(f"terraform fmt returned {index} of {len(pieces)} generated files")
    return formatted


def _where(stderr: str, starts: list[int], pieces: list[tuple[str, str, str]]) -> str:
    # fmt names "<stdin> line N"; say which root's file that is, and its own line.
    found = re.search(r"<stdin> line (\d+)", stderr)
    if not found:
        return ""
    line = int(found.group(1))
    index = bisect.bisect_right(starts, line) - 1
    if index < 0:
        return ""
    root, name, _ = pieces[index]
    return f" in envs/{root}/{name} line {line - starts[index] + 1}"


def _fmt_env() -> dict[str, str]:
    # fmt needs no provider, backend or credentials: hand it nothing else.
    return {key: value for key, value in os.environ.items() if key in ("PATH", "HOME")}
