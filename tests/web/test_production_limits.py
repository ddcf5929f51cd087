"""Limits that hold in production: gunicorn started as the Procfile starts it refuses several
workers that would each count the rate limits apart in memory, and starts with Redis, where
the workers share one count.  Real gunicorn processes, on loopback ports."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from agenda.web.gunicorn_conf import shared_limits_problem
from tests.web.redis_server import redis_connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 14
REDIS_URI = f"redis://127.0.0.1:6379/{REDIS_DB}"
SENTENCE = "set AGENDA_RATELIMIT_STORAGE_URI=redis://"
START_TIMEOUT = 120  # seconds: a safety net for a stuck process, not a measure
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(settings, storage_uri: str, port: int, workers: int = 2) -> subprocess.Popen:
    """gunicorn as in the Procfile (its config module, several workers), on loopback."""
    env = {**os.environ, "AGENDA_INSTANCE_PATH": str(settings.instance_path),
           "AGENDA_DATABASE_URL": settings.database_url,
           "AGENDA_RATELIMIT_STORAGE_URI": storage_uri}
    command = [sys.executable, "-m", "gunicorn", "-c", "python:agenda.web.gunicorn_conf",
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "agenda.web:create_app()"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.fixture
def redis_db():
    connection = redis_connection(REDIS_DB)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.mark.parametrize("workers, storage, refused", [
    (4, "memory://", True), (2, "MEMORY://", True), (1, "memory://", False),
    (4, "redis://127.0.0.1:6379/0", False), (4, "rediss://cache.internal:6380/0", False),
])
def test_only_several_workers_counting_in_memory_are_refused(workers, storage, refused):
    problem = shared_limits_problem(workers, storage)
    assert (problem is not None) is refused
    if refused:
        assert SENTENCE in problem and f"{workers} web workers" in problem


def test_gunicorn_with_two_workers_and_memory_limits_refuses_to_start(settings, engine):
    process = gunicorn(settings, "memory://", free_port())
    try:
        _out, err = process.communicate(timeout=START_TIMEOUT)
    finally:
        stop(process)
    assert process.returncode != 0
    assert SENTENCE in err and "2 web workers" in err
    assert "Booting worker" not in err  # no worker ever started


def test_gunicorn_with_two_workers_and_redis_serves_and_limits_hold(settings, engine, redis_db):
    port = free_port()
    process = gunicorn(settings, REDIS_URI, port)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(process, f"{base}/healthz") == b'{"status":"ok"}\n'
        statuses = [status for status, _ in login_attempts(base, 11)]
        assert statuses == [401] * 10 + [429]  # the limit of 10 per minute, across workers
        assert any(key.startswith(b"LIMITS") for key in redis_db.scan_iter())
    finally:
        stop(process)


def wait_for(process: subprocess.Popen, url: str) -> bytes:
    """The body of ``url`` once the server answers (bounded number of tries)."""
    for _ in range(START_TIMEOUT * 5):
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited ({process.returncode}): {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except (urllib.error.URLError, ConnectionError):
            try:
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    pytest.fail("gunicorn never answered")


def login_attempts(base: str, count: int) -> list[tuple[int, bytes]]:
    """``count`` sign-in attempts with a wrong password, each with a valid CSRF token."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/admin/login", timeout=30).read().decode()
    token = _TOKEN.search(page)[1]
    answers = []
    for n in range(count):
        body = urllib.parse.urlencode({"csrf_token": token, "email": f"guess{n}@region.example",
                                       "password": "wrong password"}).encode()
        try:
            with opener.open(f"{base}/admin/login", data=body, timeout=30) as response:
                answers.append((response.status, response.read()))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.read()))
    return answers


def stop(process: subprocess.Popen) -> None:
    """End the gunicorn we started (its master, which stops its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream and not stream.closed:
            stream.close()
