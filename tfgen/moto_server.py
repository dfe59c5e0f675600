"""The sandbox's emulator process: moto's server, answering one request at a time.

moto's own server answers requests on threads, and its backends are not safe
for that: with terraform's parallel calls we saw an ALB listener rule refused
with PriorityInUse for a free priority, and an SQS queue lose its access policy.
One request at a time costs little (each answer takes milliseconds) and makes
the sandbox behave the same on every run.

Run as ``python -m tfgen.moto_server -H HOST -p PORT``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


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
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, app, threaded=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
