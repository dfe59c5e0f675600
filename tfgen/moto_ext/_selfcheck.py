"""Run each extension's check against plain moto, in this process.

When moto's version moves, this tells which extensions moto now covers itself:
their check passes without the extension, so the extension can be dropped.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from unittest import mock

import boto3
from botocore.config import Config
from moto import mock_aws

from tfgen.moto_ext import installed
from tfgen.moto_ext._extension import Extension

_REGION = "us-east-1"


@dataclass(frozen=True)
class Verdict:
    """What plain moto did with one extension's check."""

    extension: Extension
    covered: bool
    detail: str


class _PlainMotoSession(boto3.Session):
    """Fake credentials; nothing that reaches past the mock reaches the network."""

    def __init__(self) -> None:
        super().__init__(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=_REGION
        )
        # A request moto does not route leaves the mock: send it to a closed
        # port so it fails at once instead of waiting on DNS or real AWS.
        self._config = Config(
            retries={"max_attempts": 1},
            connect_timeout=1,
            proxies={"http": "http://127.0.0.1:9", "https": "http://127.0.0.1:9"},
        )

    def client(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        """Create a client with the session's config; see :meth:`boto3.Session.client`."""
        return super().client(*args, **({"config": self._config} | kwargs))  # type: ignore[call-overload]


def check_against_plain_moto(extension: Extension) -> Verdict:
    """Run one extension's check inside ``moto.mock_aws``.

    Args:
        extension: The extension whose check to run.

    Returns:
        Whether the check passed, and the error that made it fail, if any.

    Raises:
        RuntimeError: moto was extended in this process, so the answer would be
            about the extension, not about moto.
    """
    if installed():
        raise RuntimeError("moto is extended in this process; check plain moto in a new one")
    with _quiet(), _isolated_env(), mock_aws():
        try:
            covered = extension.check(_PlainMotoSession())
        except Exception as exc:  # any failure means "not covered"
            return Verdict(extension, False, f"{type(exc).__name__}: {exc}".splitlines()[0])
    return Verdict(extension, covered, "" if covered else "answers differ")


@contextlib.contextmanager
def _isolated_env() -> Iterator[None]:
    # The user's AWS settings (a profile, an endpoint) must not steer the mock.
    kept = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with mock.patch.dict(os.environ, kept, clear=True):
        yield


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # moto prints and logs at length about what it has not implemented.
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(previous)
