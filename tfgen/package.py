"""Deterministic zip packages of Lambda function sources.

The same source folder always gives the same bytes (sorted entries, fixed
timestamps and permissions), so `tfgen generate --check` and terraform's
source_code_hash only change when the code does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tfgen.errors import InputError
from tfgen.project import escaping_links

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_SKIPPED = {"__pycache__", ".pytest_cache", ".mypy_cache"}


def package_function(source_dir: Path, project_dir: Path) -> bytes:
    """Zip every file under ``source_dir`` (caches and hidden files left out).

    Raises:
        InputError: the folder is missing, holds no file, or is not inside
            ``project_dir`` (through ``..`` or a symlink).
    """
    if not source_dir.is_dir():
        raise InputError(f"function source folder {source_dir} does not exist")
    root = project_dir.resolve()
    escaping = escaping_links(root, source_dir)
    if not source_dir.resolve().is_relative_to(root) or escaping:
        where = escaping[0] if escaping else source_dir
        raise InputError(f"function source {where} leads out of the project folder {root}")
    files = sorted(
        path
        for path in source_dir.rglob("*")
        if path.is_file()
        and not any(
            part in _SKIPPED or part.startswith(".") for part in path.relative_to(source_dir).parts
        )
        and path.suffix != ".pyc"
    )
    if not files:
        raise InputError(f"function source folder {source_dir} holds no file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source_dir).as_posix(), _EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
