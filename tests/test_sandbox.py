"""The embedded emulator: a real moto server started, found again and stopped."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from tfgen import sandbox
from tfgen.errors import RunError


@pytest.fixture
def state_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / ".tfgen"
    yield path
    sandbox.stop(path)


def _gone(pid: int) -> bool:
    ps = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    # An exited server stays a zombie until its parent (often init) collects it.
    return ps.returncode != 0 or ps.stdout.strip().startswith("Z")


def test_start_records_a_running_emulator_that_answers(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    running = sandbox.start(state_dir)
    assert time.monotonic() - started < 20

    assert running.endpoint == f"http://127.0.0.1:{running.port}"
    assert sandbox.status(state_dir) == running
    record = json.loads((state_dir / "sandbox.json").read_text())
    assert record["pid"] == running.pid
    assert record["endpoint"] == running.endpoint
    assert running.log_path == (state_dir / "sandbox.log").resolve()
    assert running.log_path.is_file()

    # A profile or endpoint of the user's must not leak into the session.
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
    sts = running.boto3_session("eu-west-1").client("sts")
    assert sts.get_caller_identity()["Account"] == "123456789012"


def test_second_start_and_ensure_reuse_the_running_emulator(state_dir: Path) -> None:
    first, started = sandbox.ensure(state_dir)
    assert started
    assert sandbox.start(state_dir).pid == first.pid
    again, started_again = sandbox.ensure(state_dir)
    assert (again, started_again) == (first, False)


def test_concurrent_ensures_start_one_emulator(state_dir: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sandbox.ensure(state_dir), range(4)))
    assert len({running.pid for running, _ in results}) == 1
    assert sum(started for _, started in results) == 1


def test_emulator_started_by_another_process_is_found_and_stopped(state_dir: Path) -> None:
    # What `tfgen plan --sandbox` then `tfgen apply --sandbox` do: two processes.
    code = "import sys; from pathlib import Path; from tfgen import sandbox; "
    code += "print(sandbox.start(Path(sys.argv[1])).pid)"
    started = subprocess.run(
        [sys.executable, "-c", code, str(state_dir)], capture_output=True, text=True, check=True
    )
    pid = int(started.stdout)

    running = sandbox.status(state_dir)
    assert running is not None
    assert running.pid == pid
    assert sandbox.stop(state_dir)
    assert _gone(pid)


def test_stop_kills_the_emulator_and_forgets_it(state_dir: Path) -> None:
    running = sandbox.start(state_dir)

    assert sandbox.stop(state_dir)
    assert _gone(running.pid)
    assert not (state_dir / "sandbox.json").exists()
    assert sandbox.status(state_dir) is None
    assert not sandbox.stop(state_dir)


def test_nothing_recorded_means_nothing_running(tmp_path: Path) -> None:
    assert sandbox.status(tmp_path / "missing") is None
    assert not sandbox.stop(tmp_path / "missing")
    assert not (tmp_path / "missing").exists()


def _write_record(state_dir: Path, *, pid: int, port: int = 1) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "endpoint": f"http://127.0.0.1:{port}",
        "port": port,
        "pid": pid,
        "log_path": str(state_dir / "sandbox.log"),
        "started_at": "2024-01-01T00:00:00+00:00",
    }
    (state_dir / "sandbox.json").write_text(json.dumps(record))


def test_record_of_a_dead_process_is_removed(state_dir: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    _write_record(state_dir, pid=dead.pid)

    assert sandbox.status(state_dir) is None
    assert not (state_dir / "sandbox.json").exists()


def test_record_whose_pid_is_another_program_is_removed_without_killing_it(
    state_dir: Path,
) -> None:
    other = subprocess.Popen(["sleep", "30"])
    try:
        _write_record(state_dir, pid=other.pid)
        assert sandbox.status(state_dir) is None
        assert not (state_dir / "sandbox.json").exists()
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_unreadable_record_is_removed(state_dir: Path) -> None:
    state_dir.mkdir(parents=True)
    (state_dir / "sandbox.json").write_text("{not json")
    assert sandbox.status(state_dir) is None
    assert not (state_dir / "sandbox.json").exists()


def test_emulator_that_cannot_start_is_a_run_error_with_its_log(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "python"
    broken.write_text(
        textwrap.dedent("""\
            #!/bin/sh
            echo "No module named moto.server" >&2
            exit 3
        """)
    )
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))

    with pytest.raises(RunError, match=r"exited while starting \(code 3\)") as caught:
        sandbox.start(state_dir)
    assert "No module named moto.server" in caught.value.message
    assert not (state_dir / "sandbox.json").exists()


def test_aws_env_points_at_the_emulator_and_child_env_drops_the_users_aws_settings(
    tmp_path: Path,
) -> None:
    fake = sandbox.Sandbox(
        endpoint="http://127.0.0.1:5999",
        port=5999,
        pid=1,
        log_path=tmp_path / "sandbox.log",
        started_at="2024-01-01T00:00:00+00:00",
    )
    env = fake.aws_env("eu-west-1")
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5999"
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("testing", "testing")
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_MAX_ATTEMPTS"] == "2"
    assert env["AWS_CONFIG_FILE"] == env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull

    user = {
        "PATH": "/usr/bin",
        "AWS_PROFILE": "prod",
        "AWS_SESSION_TOKEN": "secret",
        "AWS_ENDPOINT_URL_S3": "https://s3.example",
    }
    child = fake.child_env("eu-west-1", user)
    assert child == {"PATH": "/usr/bin", **env}


def test_an_sdk_retry_of_a_create_that_succeeded_gets_the_first_answer(state_dir: Path) -> None:
    # What terraform's SDK sends when it lost the answer to CreateFlowLogs: the
    # same call, same invocation id, attempt 2. Run again, moto would answer
    # FlowLogAlreadyExists, as it did in a CI apply.
    running = sandbox.start(state_dir)
    session = running.boto3_session("us-east-1")
    vpc = session.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    body = urlencode({
        "Action": "CreateFlowLogs",
        "Version": "2016-11-15",
        "ResourceId.1": vpc,
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogGroupName": "flow",
        "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow",
    }).encode()

    def send(invocation: str, attempt: int) -> tuple[int, bytes]:
        request = Request(running.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, "
            "SignedHeaders=host, Signature=0",
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max=3",
        })
        try:
            with urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except HTTPError as error:
            return error.code, error.read()

    first = send("call-1", 1)
    assert first[0] == 200 and b"<flowLogIdSet><item>fl-" in first[1]
    assert send("call-1", 2) == first
    assert len(session.client("ec2").describe_flow_logs()["FlowLogs"]) == 1
    assert "replayed the answer to POST / " in running.log_path.read_text()
    # A new call is run, and moto's own check answers it.
    status, answer = send("call-2", 1)
    assert status == 400 and b"FlowLogAlreadyExists" in answer


def test_a_probe_while_the_emulator_is_busy_leaves_it_and_its_state_alone(state_dir: Path) -> None:
    # A call holding moto's one-call-at-a-time lock for longer than any probe
    # waits: a client that sends a request's headers but not yet its body (moto
    # reads the body inside the lock). A second `--sandbox` command during a
    # heavy apply sees the same: a busy server, which must not be stopped.
    running = sandbox.start(state_dir)
    s3 = running.boto3_session("us-east-1").client("s3")
    s3.create_bucket(Bucket="kept-while-busy")
    slow = socket.create_connection(("127.0.0.1", running.port))
    try:
        slow.sendall(
            b"PUT /kept-while-busy/half-sent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request,"
            b" SignedHeaders=host, Signature=0\r\nContent-Length: 100\r\n\r\n"
        )
        health = f"{running.endpoint}/_tfgen/health"
        deadline = time.monotonic() + 10
        while not json.loads(urlopen(health, timeout=5).read())["busy"]:
            assert time.monotonic() < deadline, "the half-sent call never entered moto"
            time.sleep(0.05)

        started = time.monotonic()
        assert sandbox.status(state_dir) == running
        assert time.monotonic() - started < 3
        # Even a probe that cannot get an answer in time sees a live process
        # whose port accepts connections: busy, not dead.
        with mock.patch.object(sandbox, "_answers", return_value=False):
            assert sandbox.ensure(state_dir) == (running, False)
    finally:
        slow.close()
    assert not _gone(running.pid)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["kept-while-busy"]


def test_health_lists_the_installed_extensions(state_dir: Path) -> None:
    from tfgen import moto_ext

    running = sandbox.start(state_dir)
    health = json.loads(urlopen(f"{running.endpoint}/_tfgen/health", timeout=5).read())
    assert health["status"] == "ok" and health["busy"] is False
    assert health["extensions"] == [extension.name for extension in moto_ext.extensions()]


def test_a_live_emulator_whose_port_is_closed_is_stopped(state_dir: Path) -> None:
    running = sandbox.start(state_dir)
    with (
        mock.patch.object(sandbox, "_answers", return_value=False),
        mock.patch.object(sandbox, "_accepts", return_value=False),
    ):
        assert sandbox.status(state_dir) is None
    assert _gone(running.pid)
