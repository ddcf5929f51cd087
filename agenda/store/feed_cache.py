"""SQL of the shared feed cache (see agenda.models.feed_cache): find a built body, claim a
build (insert-if-absent, or take over an expired lease), store the body, prune.

Every writing function runs in its own short transaction (``factory``), committed at once, so
that other workers see a claim the moment it is made.  On SQLite a claim waits at most
CLAIM_BUSY_MS for another writer (a collection's transaction) instead of the usual 30 s: the
caller then serves the previous body rather than queue behind the collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.models import FeedCacheEntry as Entry

CLAIM_BUSY_MS = 250


@dataclass(frozen=True)
class FeedKey:
    kind: str
    filter_key: str
    version: str
    day: date


@dataclass(frozen=True)
class StoredFeed:
    body: bytes  # compressed
    etag: str
    last_modified: datetime | None
    built_at: datetime


@dataclass(frozen=True)
class Building:
    started_at: datetime
    lease_until: datetime


def _is(key: FeedKey):
    return (Entry.kind == key.kind, Entry.filter_key == key.filter_key,
            Entry.version == key.version, Entry.day == key.day)


def find_ready(session: Session, key: FeedKey) -> StoredFeed | None:
    row = session.execute(select(Entry.body, Entry.etag, Entry.last_modified, Entry.built_at)
                          .where(*_is(key), Entry.state == "ready")).one_or_none()
    return StoredFeed(*row) if row else None


def find_building(session: Session, key: FeedKey) -> Building | None:
    row = session.execute(select(Entry.started_at, Entry.lease_until)
                          .where(*_is(key), Entry.state == "building")).one_or_none()
    return Building(*row) if row else None


def latest_ready(session: Session, key: FeedKey) -> StoredFeed | None:
    """The newest built body of the same feed (any version or day): served while a build of
    ``key`` is under way."""
    row = session.execute(
        select(Entry.body, Entry.etag, Entry.last_modified, Entry.built_at)
        .where(Entry.kind == key.kind, Entry.filter_key == key.filter_key, Entry.state == "ready")
        .order_by(Entry.built_at.desc(), Entry.id.desc()).limit(1)).one_or_none()
    return StoredFeed(*row) if row else None


def has_ready(session: Session, key: FeedKey) -> bool:
    """Whether some version of this feed (any data version or day) was built before."""
    return session.execute(
        select(Entry.id)
        .where(Entry.kind == key.kind, Entry.filter_key == key.filter_key, Entry.state == "ready")
        .limit(1)).first() is not None


def claim_build(factory: sessionmaker[Session], key: FeedKey, *, token: str, now: datetime,
                lease: timedelta) -> bool | None:
    """True when this worker may build ``key``: it inserted the claim, or took over a claim
    whose lease has expired.  False when the body is ready or another worker builds it; None
    when SQLite is busy with another writer."""
    with factory.kw["bind"].connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        usual = _busy_timeout(connection, CLAIM_BUSY_MS) if sqlite else None
        try:
            return _claim(connection, key, token=token, now=now, lease=lease)
        except OperationalError:
            if not sqlite:
                raise
            return None
        finally:
            if sqlite:
                _busy_timeout(connection, usual)


def _claim(connection: Connection, key: FeedKey, *, token: str, now: datetime,
           lease: timedelta) -> bool:
    try:
        with connection.begin():
            connection.execute(insert(Entry).values(
                kind=key.kind, filter_key=key.filter_key, version=key.version, day=key.day,
                state="building", token=token, started_at=now, lease_until=now + lease, size=0,
                etag=""))
        return True
    except IntegrityError:
        pass
    with connection.begin():
        taken = connection.execute(
            update(Entry).where(*_is(key), Entry.state == "building", Entry.lease_until < now)
            .values(token=token, started_at=now, lease_until=now + lease))
        return taken.rowcount == 1


def _busy_timeout(connection: Connection, milliseconds: int) -> int:
    """Set SQLite's busy timeout of this connection; the previous value."""
    previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(milliseconds)}")
    connection.commit()
    return previous


def store_built(factory: sessionmaker[Session], key: FeedKey, *, token: str, body: bytes,
                etag: str, last_modified: datetime | None, now: datetime) -> bool:
    """Turn this worker's claim into the built body; False when another worker took the claim
    over meanwhile (fencing: its body wins)."""
    with transaction(factory) as session:
        done = session.execute(
            update(Entry).where(*_is(key), Entry.state == "building", Entry.token == token)
            .values(state="ready", body=body, size=len(body), etag=etag,
                    last_modified=last_modified, built_at=now)
            .execution_options(synchronize_session=False))
        return done.rowcount == 1


def release_claim(factory: sessionmaker[Session], key: FeedKey, *, token: str) -> None:
    """Give up a claim (the build failed): others need not wait for its lease."""
    with transaction(factory) as session:
        session.execute(delete(Entry).where(*_is(key), Entry.state == "building",
                                            Entry.token == token))


def prune(factory: sessionmaker[Session], key: FeedKey, *, now: datetime,
          max_bytes: int) -> int:
    """Remove the older bodies of ``key``'s feed, claims long expired, and the oldest bodies
    while all of them weigh more than ``max_bytes``.  The number of rows removed."""
    with transaction(factory) as session:
        removed = session.execute(delete(Entry).where(
            Entry.kind == key.kind, Entry.filter_key == key.filter_key, Entry.state == "ready",
            (Entry.version != key.version) | (Entry.day != key.day))).rowcount
        removed += session.execute(delete(Entry).where(
            Entry.state == "building", Entry.lease_until < now - timedelta(hours=1))).rowcount
        return removed + _trim(session, max_bytes)


def _trim(session: Session, max_bytes: int) -> int:
    total = session.scalar(select(func.coalesce(func.sum(Entry.size), 0))) or 0
    removed = 0
    for entry_id, size in session.execute(select(Entry.id, Entry.size)
                                          .where(Entry.state == "ready")
                                          .order_by(Entry.built_at, Entry.id)):
        if total <= max_bytes:
            break
        session.execute(delete(Entry).where(Entry.id == entry_id))
        total, removed = total - size, removed + 1
    return removed


def cached_bytes(session: Session) -> tuple[int, int]:
    """(rows, bytes) of the shared cache."""
    rows, size = session.execute(select(func.count(Entry.id),
                                        func.coalesce(func.sum(Entry.size), 0))).one()
    return rows, size
