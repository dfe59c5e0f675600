"""A boto3 session that talks to the embedded emulator only (see ``sandbox``).

Kept apart from ``sandbox`` so that starting, finding or stopping the emulator
does not import boto3.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES  # sic, botocore's spelling

from tfgen.sandbox import MAX_ATTEMPTS


class EmulatorSession(boto3.Session):
    """A boto3 session pinned to an emulator endpoint and isolated from the user's setup."""

    def __init__(
        self,
        endpoint: str,
        region: str,
        access_key: str,
        secret_key: str,
        session_token: str | None = None,
    ) -> None:
        # Keep each variable's default but drop its environment and config-file
        # lookups, so AWS_PROFILE, AWS_CA_BUNDLE, ~/.aws/config... cannot apply.
        isolated: dict[str, tuple[Any, ...]] = {
            name: (None, None, default, convert)
            for name, (_, _, default, convert) in BOTOCORE_DEFAUT_SESSION_VARIABLES.items()
        }
        isolated["config_file"] = (None, None, os.devnull, None)
        isolated["credentials_file"] = (None, None, os.devnull, None)
        super().__init__(
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
            region_name=region,
            botocore_session=botocore.session.Session(session_vars=isolated),
        )
        self._endpoint = endpoint
        # proxies={} (not None) stops botocore from routing loopback through
        # an HTTP(S)_PROXY from the environment.
        self._config = Config(retries={"max_attempts": MAX_ATTEMPTS}, proxies={})

    def client(self, *args: Any, **kwargs: Any) -> Any:
        """Create a client for the emulator; see :meth:`boto3.Session.client`."""
        return super().client(*args, **self._pinned(kwargs))

    def resource(self, *args: Any, **kwargs: Any) -> Any:
        """Create a resource for the emulator; see :meth:`boto3.Session.resource`."""
        return super().resource(*args, **self._pinned(kwargs))

    def _pinned(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        given: Config | None = kwargs.get("config")
        config = self._config if given is None else self._config.merge(given)
        return kwargs | {"endpoint_url": self._endpoint, "config": config}
