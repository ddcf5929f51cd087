"""Several machines on one PostgreSQL, as real processes on loopback: two web apps (gunicorn as
in the Procfile) and a worker (``agenda worker``), each with its own instance folder, sharing
only what production machines share: the database, Redis and the secret key.

``running_cluster`` makes a throw-away database (dropped at the end), runs ``agenda init`` and
``agenda user add``, starts the three processes, and stops them all whatever happens."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
import redis
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from agenda.db import make_engine, make_session_factory, transaction
from agenda.models import CollectionRun, Event, Source
from agenda.settings import load_settings
from agenda.store.changes import data_version
from agenda.store.sources import add_source
from tests.deploy.processes import Started, free_port, start, stop, wait_until_serving
from tests.web.redis_server import redis_connection

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("AGENDA_TEST_PG_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_DB = 13  # this module's own Redis database (emptied before and after)
AGENDA = [sys.executable, "-m", "agenda"]
STAFF_EMAIL = "equipe@region.example"
STAFF_PASSWORD = "deux machines, une session"
LOGIN_LIMIT = 5  # sign-in attempts per hour and client address, counted across the machines
START_TIMEOUT = 120.0  # seconds: safety nets for a loaded machine, not measures
COMMAND_TIMEOUT = 180.0
COLLECT_TIMEOUT = 60.0


@dataclass
class Cluster:
    web_a: str  # base URLs
    web_b: str
    factory: sessionmaker[Session]  # the test's own sessions on the shared database
    processes: list[Started]

    @property
    def webs(self) -> dict[str, str]:
        return {"A": self.web_a, "B": self.web_b}

    def check_alive(self) -> None:
        for started in self.processes:
            started.check_alive()

    def add_source(self, name: str, url: str) -> int:
        """A source collected only when the test says so (``collect``)."""
        with transaction(self.factory) as session:
            source = add_source(session, name=name, url=url, kind="ics", now=_utcnow())
            source.next_run_at = None
            session.flush()
            return source.id

    def event_id(self, source_id: int, uid: str) -> str:
        with transaction(self.factory) as session:
            found = session.scalar(select(Event.id).where(Event.source_id == source_id,
                                                          Event.source_uid == uid))
        assert found, f"no event {uid!r} stored from source {source_id}"
        return found

    def collect(self, source_id: int) -> "Collection":
        """Make the source due now, then wait for the worker to commit its collection."""
        asked = _utcnow()
        with transaction(self.factory) as session:
            session.execute(update(Source).where(Source.id == source_id)
                            .values(next_run_at=asked))
        deadline = time.monotonic() + COLLECT_TIMEOUT
        while time.monotonic() < deadline:
            self.check_alive()
            with transaction(self.factory) as session:
                run = session.execute(
                    select(CollectionRun.outcome, CollectionRun.error_message)
                    .where(CollectionRun.source_id == source_id,
                           CollectionRun.started_at >= asked)
                    .order_by(CollectionRun.id.desc()).limit(1)).first()
                if run is not None:  # recorded in the transaction that stored the events
                    seen = _utcnow()
                    counter, changed_at = data_version(session)
                    return Collection(run.outcome, run.error_message, seen, counter,
                                      changed_at)
            time.sleep(0.02)
        pytest.fail(f"the worker did not collect source {source_id} in {COLLECT_TIMEOUT:.0f} s:"
                    f"\n{self.processes[-1].log_tail()}")


@dataclass(frozen=True)
class Collection:
    outcome: str
    error: str | None
    seen_at: datetime  # when the test first saw the commit
    counter: int  # the data version's change counter after it
    changed_at: datetime | None  # when the worker bumped it (its clock), before committing

    def seconds_since_commit(self) -> float:
        """An upper bound of the time since the worker committed: from the bump it made in
        the same transaction (the worker's wall clock, on this machine)."""
        assert self.changed_at is not None
        return (_utcnow() - self.changed_at).total_seconds()

    def seen_after(self) -> float:
        """Seconds from the worker's bump to the test seeing the commit."""
        assert self.changed_at is not None
        return (self.seen_at - self.changed_at).total_seconds()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def machine_env(database_url: str, instance: Path, secret: str) -> dict[str, str]:
    """What one machine is told: its own instance folder; the database, Redis and the secret key
    every machine shares; loopback sources allowed; a short scheduler tick."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENDA_")}
    env.update(
        AGENDA_INSTANCE_PATH=str(instance), AGENDA_DATABASE_URL=database_url,
        AGENDA_SEARCH_BACKEND="postgresql", AGENDA_SECRET_KEY=secret,
        AGENDA_RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:6379/{REDIS_DB}",
        AGENDA_LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per hour",
        AGENDA_ALLOW_PRIVATE_URLS="1", AGENDA_JITTER_SECONDS="0",
        AGENDA_SCHEDULER_TICK_SECONDS="1", AGENDA_CONNECT_TIMEOUT="5",
        AGENDA_TOTAL_TIMEOUT="20")
    return env


def run_command(args: list[str], env: dict[str, str], *, stdin: str = "") -> str:
    done = subprocess.run(AGENDA + args, env=env, cwd=ROOT, input=stdin, text=True,
                          capture_output=True, timeout=COMMAND_TIMEOUT)
    assert done.returncode == 0, f"agenda {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def gunicorn_args(port: int) -> list[str]:
    """The Procfile's web command, one worker (so that each machine has one set of caches)."""
    return [sys.executable, "-m", "gunicorn", "-c", "python:agenda.web.gunicorn_conf",
            "--workers", "1", "--bind", f"127.0.0.1:{port}", "--access-logfile", "-",
            "agenda.web:create_app()"]


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    name = f"agenda_deploy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def own_redis_database() -> Iterator[redis.Redis]:
    """This module's Redis database, empty (and emptied at the end)."""
    connection = redis_connection(REDIS_DB)
    connection.flushdb()
    try:
        yield connection
    finally:
        connection.flushdb()
        connection.close()


@contextlib.contextmanager
def running_cluster(folder: Path) -> Iterator[Cluster]:
    """Two web machines and a worker machine on a new database; everything stopped and
    dropped at the end."""
    secret = secrets.token_hex(32)
    started: list[Started] = []
    engine: Engine | None = None
    with own_redis_database(), throwaway_database() as url:
        try:
            envs = {name: machine_env(url, folder / f"instance-{name}", secret)
                    for name in ("web-a", "web-b", "worker")}
            run_command(["init"], envs["worker"])
            run_command(["user", "add", STAFF_EMAIL, "--password-stdin"], envs["worker"],
                        stdin=STAFF_PASSWORD + "\n")
            ports = {"web-a": free_port(), "web-b": free_port()}
            for name, port in ports.items():
                started.append(start(name, gunicorn_args(port), envs[name], cwd=ROOT,
                                     logs=folder / "logs"))
            started.append(start("worker", AGENDA + ["worker"], envs["worker"], cwd=ROOT,
                                 logs=folder / "logs"))
            bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            for process in started[:2]:
                wait_until_serving(process, f"{bases[process.name]}/healthz",
                                   timeout=START_TIMEOUT)
            settings = load_settings(env={}, instance_path=folder / "instance-test",
                                     database_url=url, search_backend="postgresql")
            engine = make_engine(settings)
            yield Cluster(bases["web-a"], bases["web-b"], make_session_factory(engine),
                          started)
        finally:
            for process in reversed(started):
                stop(process)
            if engine is not None:
                engine.dispose()
