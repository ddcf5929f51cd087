"""Long-running processes of a test (web apps, workers): each in its own session (process
group) with its output in a log file, stopped with its whole group whatever happened."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

STOP_GRACE = 10.0  # seconds a process is given to stop before SIGKILL


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def check_alive(self) -> None:
        """Fail the test with the process's own words if it has exited."""
        if self.process.poll() is not None:
            pytest.fail(f"{self.name} exited ({self.process.returncode}):\n{self.log_tail()}")


def start(name: str, args: list[str], env: dict[str, str], *, cwd: Path,
          logs: Path) -> Started:
    """``args`` in a new session, its output (both streams) in ``logs/<name>.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    return Started(name, process, log_path)


def stop(started: Started) -> None:
    """SIGTERM to the process's group, then SIGKILL if it lingers; never raises."""
    process = started.process
    for sig, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, STOP_GRACE)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if sig is signal.SIGTERM:  # the leader is gone: make sure its children are too
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        return


def wait_until_serving(started: Started, url: str, *, timeout: float) -> None:
    """Poll ``url`` until it answers 200 (a safety net of ``timeout`` seconds for a loaded
    machine, not a measure); fails with the process's log if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while True:
        started.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() >= deadline:
            pytest.fail(f"{started.name} never answered {url} in {timeout:.0f} s:\n"
                        f"{started.log_tail()}")
        time.sleep(0.1)
