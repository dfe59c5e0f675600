"""The sandbox's emulator process: moto's server, one API call at a time.

moto's backends are not safe for concurrent calls: with terraform's parallel
requests we saw an ALB listener rule refused with PriorityInUse for a free
priority, and an SQS queue lose its access policy. So connections are served on
threads (keep-alive, no client ever queues behind another's socket), but moto
itself answers one call at a time; each answer takes milliseconds.

Now and then, on a loaded machine, the AWS SDK in terraform retries a call
whose answer the emulator had sent (its log shows the 200, the provider's debug
log shows no answer and ``attempt 2``). Run twice, a create fails: an apply died
on ``FlowLogAlreadyExists``. So a retry of a call that succeeded gets the first
answer again, and the emulator logs it.

At start-up the server grafts tfgen's extensions of moto (``tfgen.moto_ext``)
onto moto's classes: what moto lacks to run the whole platform.

``GET /_tfgen/health`` is answered at once, without waiting for the call inside
moto: a probe must tell a busy emulator (an apply in full swing) from a dead
one. No S3 bucket can be named ``_tfgen``, so the path shadows nothing.

Run as ``python -m tfgen.moto_server -H HOST -p PORT``.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from tfgen import moto_ext

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Retries come within seconds, so the last answers are enough. Answers that
# change something are small; a big one (a state file read) is a read, which is
# safe to run again, so it is not kept.
KEEP_ANSWERS = 2048
MAX_KEPT_BODY = 64 * 1024
HEALTH_PATH = "/_tfgen/health"

log = logging.getLogger("tfgen.sandbox")


class Response:
    """A finished WSGI answer, kept so it can be sent again."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def send(self, start_response: Callable[..., Any]) -> list[bytes]:
        """Start the response and return its body, as a WSGI app does."""
        start_response(self.status, self.headers)
        return [self.body]


def call(app: WSGIApp, environ: dict[str, Any]) -> Response:
    """Run ``app`` to completion and keep what it answered."""
    captured: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured[:] = [status, headers]

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Response(captured[0], list(captured[1]), body)


class OneCallAtATime:
    """Serialise calls into moto; the whole answer is built under the lock."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """Whether a call is inside moto now."""
        return self._lock.locked()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """Answer one call, after any call already inside moto has finished."""
        with self._lock:
            response = call(self._app, environ)
        return response.send(start_response)


class Health:
    """Answer the health path at once; pass every other call on to moto, in turn."""

    def __init__(self, app: OneCallAtATime, extensions: list[str]) -> None:
        self._app = app
        self._extensions = extensions

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer ``GET /_tfgen/health`` without the lock; anything else goes to ``app``."""
        if environ.get("PATH_INFO") != HEALTH_PATH or environ.get("REQUEST_METHOD") != "GET":
            return self._app(environ, start_response)
        state = {"status": "ok", "busy": self._app.busy, "extensions": self._extensions}
        body = json.dumps(state).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


class RetryReplay:
    """Answer an SDK retry of a call that already succeeded with that first answer.

    AWS SDKs send ``amz-sdk-invocation-id`` (the same on every attempt of one
    call) and ``amz-sdk-request: attempt=N``. A retry after a 2xx answer means
    the client never read that answer, so running the call again would create
    twice or fail (AlreadyExists, a lock held by its own id).
    """

    def __init__(self, app: WSGIApp, keep: int = KEEP_ANSWERS) -> None:
        self._app = app
        self._keep = keep
        self._answers: OrderedDict[str, Response] = OrderedDict()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """Answer one call, from the kept answer when it is a retry of a success."""
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if invocation and _attempt(environ) > 1 and invocation in self._answers:
            log.warning(
                "replayed the answer to %s %s %s for attempt %d of SDK call %s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                environ.get("HTTP_X_AMZ_TARGET", ""),
                _attempt(environ),
                invocation,
            )
            return self._answers[invocation].send(start_response)
        response = call(self._app, environ)
        if invocation and response.status.startswith("2") and len(response.body) <= MAX_KEPT_BODY:
            self._answers[invocation] = response
            while len(self._answers) > self._keep:
                self._answers.popitem(last=False)
        return response.send(start_response)


def _attempt(environ: dict[str, Any]) -> int:
    """The N of ``amz-sdk-request: attempt=N; max=M``; 1 when absent."""
    for part in str(environ.get("HTTP_AMZ_SDK_REQUEST", "")).split(";"):
        name, _, value = part.strip().partition("=")
        if name == "attempt" and value.isdigit():
            return int(value)
    return 1


class LoggingRequestHandler(MotoRequestHandler):
    """moto's request handler, logging the connections a client dropped."""

    def connection_dropped(
        self, error: BaseException, environ: dict[str, Any] | None = None
    ) -> None:
        """Log it: werkzeug drops these silently, and they explain SDK retries."""
        target = (environ or {}).get("HTTP_X_AMZ_TARGET", "")
        log.warning("client %s dropped the connection %s: %r", self.client_address, target, error)


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    """Serve moto's API on HOST:PORT until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m tfgen.moto_server")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Before moto builds any backend or route: both read the grafted classes.
    extensions = [extension.name for extension in moto_ext.install()]
    log.info("moto extended with %d extensions: %s", len(extensions), ", ".join(extensions))
    moto = DomainDispatcherApplication(create_backend_app)
    app = Health(OneCallAtATime(RetryReplay(moto)), extensions)
    run_simple(args.host, args.port, app, threaded=True, request_handler=LoggingRequestHandler)


if __name__ == "__main__":
    main()
