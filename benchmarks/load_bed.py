"""What ``benchmarks/load.py`` reads and writes in the bed's database, through the project's own
models and store (so that it follows what main holds), from the benchmark's process."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from load_setup import CalendarServer, Processes
from sqlalchemy import func, or_, select, text, update

from agenda.db import make_engine, make_session_factory, transaction
from agenda.models import CollectionRun, Event, Source
from agenda.settings import load_settings
from agenda.store.sources import add_source


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Bed:
    """The throw-away instance: its environment, database, processes and calendar server."""

    instance: Path
    env: dict
    processes: Processes
    server: CalendarServer

    def __post_init__(self) -> None:
        self.settings = load_settings(env=self.env)
        self.engine = make_engine(self.settings)
        self.factory = make_session_factory(self.engine)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def database_version(self) -> str:
        if not self.is_postgresql:
            return f"SQLite {sqlite3.sqlite_version} (WAL)"
        with self.engine.connect() as connection:
            return "PostgreSQL " + connection.scalar(text("SHOW server_version"))

    def add_source(self, name: str, url: str, *, interval_minutes: int = 60) -> int:
        with transaction(self.factory) as session:
            return add_source(session, name=name, url=url, kind="ics",
                              interval_minutes=interval_minutes, now=utcnow()).id

    def keep_enabled_only(self, ids: list[int]) -> None:
        with transaction(self.factory) as session:
            session.execute(update(Source).where(Source.id.not_in(ids)).values(enabled=False)
                            .execution_options(synchronize_session=False))

    def event_count(self) -> int:
        with transaction(self.factory) as session:
            return session.scalar(select(func.count(Event.id)).where(Event.removed_at.is_(None)))

    def counts_by_tag(self, source_id: int, tags: tuple[str, ...]) -> dict[str, int]:
        """Published events of the source whose title starts with each tag."""
        with transaction(self.factory) as session:
            return {tag: session.scalar(
                select(func.count(Event.id)).where(Event.source_id == source_id,
                                                   Event.removed_at.is_(None),
                                                   Event.title.like(f"{tag} %")))
                for tag in tags}

    def claimed_until(self, source_id: int) -> datetime | None:
        with transaction(self.factory) as session:
            return session.get(Source, source_id).claimed_until

    def last_success(self, source_id: int) -> datetime | None:
        """When the source's last collection committed (moves at each commit)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(Source.last_success_at)
                                     .where(Source.id == source_id))

    def make_due(self, ids: list[int]) -> None:
        """Every unclaimed source of ``ids`` due now (the workers' check: due all the time)."""
        now = utcnow()
        with transaction(self.factory) as session:
            session.execute(
                update(Source)
                .where(Source.id.in_(ids),
                       or_(Source.claimed_until.is_(None), Source.claimed_until < now))
                .values(next_run_at=now).execution_options(synchronize_session=False))

    def runs_of(self, ids: list[int]) -> list[CollectionRun]:
        with transaction(self.factory) as session:
            runs = list(session.scalars(select(CollectionRun)
                                        .where(CollectionRun.source_id.in_(ids))
                                        .order_by(CollectionRun.source_id,
                                                  CollectionRun.started_at)))
            session.expunge_all()
            return runs

    def store_is_writing(self) -> bool:
        """PostgreSQL: a session of this database holds a transaction id (it has written)
        while its last statement is about events or occurrences: a collection's store phase."""
        with self.engine.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
                "AND (query ILIKE '%events%' OR query ILIKE '%occurrences%')")))

    def analyze(self) -> None:
        """Planner statistics, as autovacuum would make them (it is off on the development
        PostgreSQL server)."""
        if not self.is_postgresql:
            with self.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))

    def close(self) -> None:
        self.engine.dispose()
