"""Engine and sessions (no Flask).  SQLite (WAL) by default, PostgreSQL in production."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from agenda.settings import Settings


def make_engine(settings: Settings) -> Engine:
    from agenda.export.stored_vevents import use_context  # its commit hook keeps VEVENT texts

    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        use_context(engine, settings.region_file, settings.tz)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    use_context(engine, settings.region_file, settings.tz)
    from agenda.search.pg.vectors import use_region  # its commit hook fills the search vectors

    use_region(engine, settings.region_file)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_postgresql(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "postgresql"
