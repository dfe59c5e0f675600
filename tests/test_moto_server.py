"""The emulator's WSGI layers: one call into moto at a time, ClientToken replay."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

from tfgen.moto_server import Health, OneCallAtATime, RetryReplay


def _environ(body: dict[str, str], content_type: str = "application/x-www-form-urlencoded") -> dict[str, Any]:
    raw = urlencode(body).encode()
    return {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }


class CountingApp:
    """A WSGI app that answers with a call number, and records the bodies it read."""

    def __init__(self, status: str = "200 OK", pause: float = 0.0) -> None:
        self.status = status
        self.pause = pause
        self.calls = 0
        self.bodies: list[bytes] = []
        self.inside = 0
        self.most_inside = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        time.sleep(self.pause)
        self.calls += 1
        self.bodies.append(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        self.inside -= 1
        start_response(self.status, [("Content-Type", "text/xml")])
        return [f"call {self.calls}".encode()]


def _run(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> tuple[str, bytes]:
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, headers: seen.append(status)))
    return seen[0], body


def _sdk(environ: dict[str, Any], invocation: str, attempt: int) -> dict[str, Any]:
    return environ | {"HTTP_AMZ_SDK_INVOCATION_ID": invocation, "HTTP_AMZ_SDK_REQUEST": f"attempt={attempt}; max=3"}


def test_a_retry_of_a_call_that_succeeded_gets_the_first_answer_without_calling_moto() -> None:
    moto = CountingApp()
    app = RetryReplay(moto)
    call = {"Action": "CreateFlowLogs", "ResourceId.1": "vpc-1"}

    assert _run(app, _sdk(_environ(call), "inv-1", 1)) == ("200 OK", b"call 1")
    assert _run(app, _sdk(_environ(call), "inv-1", 2)) == ("200 OK", b"call 1")
    assert moto.calls == 1
    assert moto.bodies == [urlencode(call).encode()]


def test_new_calls_and_first_attempts_always_reach_moto() -> None:
    moto = CountingApp()
    app = RetryReplay(moto)
    call = {"Action": "DescribeVpcs"}
    _run(app, _environ(call))  # no SDK headers
    _run(app, _environ(call))
    _run(app, _sdk(_environ(call), "inv-1", 1))
    _run(app, _sdk(_environ(call), "inv-2", 1))  # a new call, e.g. a waiter polling
    _run(app, _sdk(_environ(call), "inv-3", 2))  # a retry of a call never seen
    assert moto.calls == 5


def test_a_retry_after_a_failure_reaches_moto() -> None:
    moto = CountingApp(status="500 Internal Server Error")
    app = RetryReplay(moto)
    _run(app, _sdk(_environ({"Action": "CreateFlowLogs"}), "inv-1", 1))
    _run(app, _sdk(_environ({"Action": "CreateFlowLogs"}), "inv-1", 2))
    assert moto.calls == 2


def test_only_the_latest_answers_are_kept() -> None:
    moto = CountingApp()
    app = RetryReplay(moto, keep=2)
    for invocation in ("a", "b", "c"):
        _run(app, _sdk(_environ({"Action": "X"}), invocation, 1))
    _run(app, _sdk(_environ({"Action": "X"}), "a", 2))  # forgotten: runs again
    _run(app, _sdk(_environ({"Action": "X"}), "c", 2))  # kept: replayed
    assert moto.calls == 4


def test_concurrent_calls_reach_moto_one_at_a_time() -> None:
    moto = CountingApp(pause=0.02)
    app = OneCallAtATime(moto)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda i: _run(app, _environ({"Action": "A", "N": str(i)})), range(16)))
    assert moto.calls == 16 and moto.most_inside == 1
    assert sorted(body for _, body in answers) == sorted(f"call {n}".encode() for n in range(1, 17))


def test_the_health_path_is_answered_while_a_call_holds_the_lock() -> None:
    moto = CountingApp(pause=1.0)
    serialized = OneCallAtATime(moto)
    app = Health(serialized, ["ext_a", "ext_b"])
    health = {"REQUEST_METHOD": "GET", "PATH_INFO": "/_tfgen/health"}
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(_run, app, _environ({"Action": "Slow"}))
        while not serialized.busy:
            time.sleep(0.01)
        started = time.monotonic()
        status, body = _run(app, health)
        assert time.monotonic() - started < 0.9  # the call holding the lock takes 1 s
        assert status == "200 OK"
        assert json.loads(body) == {"status": "ok", "busy": True, "extensions": ["ext_a", "ext_b"]}
        assert slow.result()[0] == "200 OK"
    assert moto.calls == 1
    assert json.loads(_run(app, health)[1])["busy"] is False
    # Anything else, the same path with another method included, goes to moto.
    _run(app, {**_environ({"Action": "X"}), "PATH_INFO": "/_tfgen/health"})
    assert moto.calls == 2
