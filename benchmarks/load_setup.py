"""The test bed of ``benchmarks/load.py``: a throw-away database, generated calendars served on
loopback, the ``agenda`` commands and gunicorn as subprocesses (each in its own process group,
all of them stopped at the end).  Loopback only."""

from __future__ import annotations

import http.client
import http.server
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from generate_ics import generate_ics
from sqlalchemy import create_engine, text

from agenda.settings import DEFAULTS_FILE

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_PREFIX = "agenda_bench_"
RAISED_LIMIT = "1000000 per minute"
AGENDA = [sys.executable, "-m", "agenda"]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


class BenchError(Exception):
    """A step of the benchmark failed; the message says which, with what the process said."""


# --- PostgreSQL: a throw-away database, created and dropped by the script ---------------------

def pg_database(url: str) -> str | None:
    """The database name of a PostgreSQL URL (it must be a throw-away ``agenda_bench_*`` one,
    since the script drops it at the end); None for SQLite."""
    if not url.startswith("postgresql"):
        return None
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(BENCH_PREFIX) or not name.replace("_", "").isalnum():
        raise BenchError(f"the PostgreSQL database must be a throw-away one named "
                         f"{BENCH_PREFIX}<letters, digits, _>, not {name!r}")
    return name


def pg_admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_pg(name: str) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{name}"')


def drop_pg(name: str) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The environment of every agenda process -------------------------------------------------

def agenda_env(instance: Path, database_url: str, redis_db: int, *, raise_limits: bool) -> dict:
    """AGENDA_* for the bed: its instance and database, loopback sources allowed, a one-minute
    claim lease, no jitter; every ``memory://`` store (rate limits, and any shared cache a later
    version adds) in Redis, since gunicorn runs several workers; one trusted proxy, so that
    each client thread is a visitor of its own (X-Forwarded-For); the rate limits as set,
    or all raised with ``raise_limits``.  Read from config/settings.toml now, so that settings
    added since are seen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENDA_")}
    env.update(AGENDA_INSTANCE_PATH=str(instance), AGENDA_DATABASE_URL=database_url,
               AGENDA_ALLOW_PRIVATE_URLS="1", AGENDA_CLAIM_LEASE_MINUTES="1",
               AGENDA_JITTER_SECONDS="0", AGENDA_TOTAL_TIMEOUT="300",
               AGENDA_TRUSTED_PROXIES="1", AGENDA_SECRET_KEY=secrets.token_hex(32))
    with open(DEFAULTS_FILE, "rb") as handle:
        defaults = tomllib.load(handle)
    for name, value in defaults.items():
        if isinstance(value, str) and value.startswith("memory://"):
            env[f"AGENDA_{name.upper()}"] = f"redis://127.0.0.1:6379/{redis_db}"
        elif raise_limits and name.endswith("rate_limit") and isinstance(value, str):
            env[f"AGENDA_{name.upper()}"] = RAISED_LIMIT
    return env


def flush_redis(redis_db: int) -> None:
    """Empty the bed's Redis database (a shared cache keyed by data version must not serve a
    previous run's answers)."""
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=redis_db, socket_timeout=5).flushdb()


# --- Subprocesses ----------------------------------------------------------------------------

@dataclass
class Processes:
    """Every long-running process the script starts, each in its own session; all stopped by
    ``stop_all`` (SIGTERM to its group, then SIGKILL)."""

    folder: Path
    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log_path = self.folder / f"{name}-{len(self.started)}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        process.log_path = log_path
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen, grace: float = 10.0) -> None:
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
            if process.poll() is not None:
                return
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                continue

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process, grace=5.0)


def log_tail(process: subprocess.Popen, lines: int = 40) -> str:
    try:
        content = Path(process.log_path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(content[-lines:])


def run_agenda(env: dict, *args: str, timeout: float = 900, check: bool = True):
    """Run one ``agenda`` command to its end; a failure is a BenchError with its output."""
    result = subprocess.run(AGENDA + list(args), env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise BenchError(f"agenda {' '.join(args)} exited with {result.returncode}:\n"
                         f"{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result


# --- gunicorn --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(processes: Processes, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    if not Path(GUNICORN).exists():
        raise BenchError(f"gunicorn is not installed beside {sys.executable}")
    master = processes.start("gunicorn", [GUNICORN, "--workers", str(workers), "--bind",
                                          f"127.0.0.1:{port}", "agenda.web:create_app()"], env)
    wait_healthy(master, port)
    return master, port


def wait_healthy(master: subprocess.Popen, port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise BenchError(f"gunicorn stopped at start (exit {master.returncode}); it said:\n"
                             f"{log_tail(master)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer /healthz within {timeout:.0f} s; it said:\n"
                     f"{log_tail(master)}")


def peak_memory_of_children(parent_pid: int) -> list[float]:
    """VmHWM (MB) of each live child of ``parent_pid`` (the gunicorn workers)."""
    peaks = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(parent_pid) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return peaks


# --- Generated calendars on loopback ---------------------------------------------------------

def calendar(count: int, *, seed: int, tag: str) -> bytes:
    """``count`` generated events from today on; ``tag`` starts every title, so that two
    versions of one calendar differ in every event (and can be told apart in the database)."""
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return generate_ics(count, start=today, seed=seed).replace(b"SUMMARY:", f"SUMMARY:{tag} "
                                                               .encode())


@dataclass
class Route:
    bodies: list[bytes]
    rotate: bool = True  # a new version on every GET; else ``current``
    current: int = 0
    drip_seconds: float = 0.0  # send the body slowly, over this time
    hits: int = 0


class CalendarServer:
    """A loopback HTTP server of generated calendars: each path serves its versions in turn
    (so that every collection really writes), or the one chosen by the script."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.lock = threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def body_for(self, path: str) -> tuple[bytes, float] | None:
        route = self.routes.get(path)
        if route is None:
            return None
        with self.lock:
            index = route.hits % len(route.bodies) if route.rotate else route.current
            route.hits += 1
        return route.bodies[index], route.drip_seconds

    def _handler(self):
        bed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                found = bed.body_for(self.path)
                if found is None:
                    self.send_error(404)
                    return
                body, drip = found
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    send_body(self.wfile, body, drip)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the collector gave up (timeout) or was killed

            def log_message(self, *args):
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def send_body(out, body: bytes, drip_seconds: float) -> None:
    if drip_seconds <= 0:
        out.write(body)
        return
    steps = max(1, int(drip_seconds))
    size = -(-len(body) // steps)
    for start in range(0, len(body), size):
        out.write(body[start:start + size])
        out.flush()
        time.sleep(drip_seconds / steps)
