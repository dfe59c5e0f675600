"""Render an ``RootSpec`` into the files of ``envs/<env>/``.

One Jinja environment with StrictUndefined (a missing value is an error, never
an empty string), then ``terraform fmt`` so the files are fmt-clean whatever the
templates' whitespace; both steps are deterministic.
"""

from __future__ import annotations

import os
import tempfile
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


def render_environment(
    spec: RootSpec, templates_dir: Path, terraform: str
) -> dict[str, str | bytes]:
    """Return ``{relative path: content}`` for the generated root of ``spec``.

    Text for the ``.tf`` files, bytes for packaged artifacts (function zips).

    Raises:
        RunError: a template is missing or broken, or ``terraform fmt`` rejects
            the result (a bug in a template, not in the inventory).
    """
    environment = _jinja(templates_dir)
    raw: dict[str, str] = {}
    for name in ROOT_FILES:
        try:
            raw[name] = environment.get_template(f"{name}.jinja").render(spec=spec)
        except jinja2.TemplateError as exc:
            raise RunError(f"template {name}.jinja: {exc}") from None
    files: dict[str, str | bytes] = dict(_terraform_fmt(raw, terraform))
    files.update(spec.artifacts)
    return files


def _terraform_fmt(files: dict[str, str], terraform: str) -> dict[str, str]:
    # One fmt call for all files of a root: faster than one per file.
    with tempfile.TemporaryDirectory(prefix="tfgen-fmt-") as scratch:
        folder = Path(scratch)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        runner = Terraform(terraform, cwd=folder, env=_fmt_env())
        result = runner.run("fmt", "-list=false", ".", stream=False, check=False)
        if result.returncode != 0:
            raise RunError(f"generated HCL does not parse (template bug):\n{result.stderr}")
        return {name: (folder / name).read_text(encoding="utf-8") for name in files}


def _fmt_env() -> dict[str, str]:
    # fmt needs no provider, backend or credentials: hand it nothing else.
    return {key: value for key, value in os.environ.items() if key in ("PATH", "HOME")}
