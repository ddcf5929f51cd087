"""Shared fixtures. Tests never reach anything but loopback."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX sockets (PostgreSQL's socket, for one)
        return True
    host = address[0]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _guarded(real):
    def connect(self, address):
        if not _is_loopback(address):
            raise RuntimeError(f"test tried to reach {address!r}: only loopback is allowed")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Fail any connection outside loopback, whatever library makes it."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))


# --- Database: every test that uses `factory` runs on SQLite and on PostgreSQL --------------

import os  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from sqlalchemy import create_engine, text  # noqa: E402

from agenda.db import make_engine, make_session_factory  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import Base  # noqa: E402
from agenda.settings import load_settings  # noqa: E402

PG_ADMIN_URL = os.environ.get("AGENDA_TEST_PG_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [b for b in os.environ.get("AGENDA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


@pytest.fixture(scope="session")
def pg_database_url():
    """A throw-away PostgreSQL database for this test session, dropped at the end."""
    name = f"agenda_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request):
    return request.param


@pytest.fixture(scope="session")
def migrated_url(db_backend, tmp_path_factory, request):
    if db_backend == "postgresql":
        url = request.getfixturevalue("pg_database_url")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'agenda.sqlite3'}"
    engine = create_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


@pytest.fixture
def settings(migrated_url, tmp_path):
    return load_settings(
        env={}, instance_path=tmp_path / "instance", database_url=migrated_url,
        allow_private_urls=True, jitter_seconds=0, total_timeout=5.0, connect_timeout=2.0,
    )


@pytest.fixture
def engine(settings):
    engine = make_engine(settings)
    yield engine
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def factory(engine):
    return make_session_factory(engine)


@pytest.fixture
def now():
    return datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def sink():
    """An SMTP server on loopback that keeps what it is sent (tests/services/smtp_sink.py)."""
    from tests.services.smtp_sink import SmtpSink

    with SmtpSink() as running:
        yield running
