"""Feeds built once per (kind, filters, data version, day) and shared by every worker through
the database (no Flask).

``get_or_build`` answers, in order: the built body of the key; while another worker builds
the key (for at most ``stale_for`` after it began), the newest body of the same feed (the
previous data version or day: stale-while-revalidate, so that a collection does not make every
request queue behind the rebuild); else, after ``on_miss`` (the caller's rate limit), it
claims the build (insert-if-absent; an expired lease is taken over) and builds, or waits at
most ``wait_for`` seconds for the worker that has the claim, then gives up (FeedBusy).
"""

from __future__ import annotations

import time
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from agenda.errors import AgendaError
from agenda.export.conditional import etag_of
from agenda.store import feed_cache as store
from agenda.store.feed_cache import FeedKey, StoredFeed

COMPRESSION = 1  # a 7.6 MB calendar of 10,000 events: 60-70 ms (0.97 MB) instead of
# 190-270 ms (0.67 MB) at level 6, in the request that builds it right after a change


class FeedBusy(AgendaError):
    """Another worker is still building this feed after the wait (HTTP 503, Retry-After)."""

    code = "feed.busy"


@dataclass(frozen=True)
class SharedPolicy:
    lease: timedelta = timedelta(minutes=2)
    stale_for: timedelta = timedelta(seconds=30)
    wait_for: float = 10.0
    poll: float = 0.05
    max_bytes: int = 200_000_000


@dataclass(frozen=True)
class Served:
    body: bytes
    etag: str
    last_modified: datetime | None
    fresh: bool  # False: an older version, served while another worker builds this one
    built: bool = False  # built by this call


class SharedFeeds:
    def __init__(self, factory: sessionmaker[Session], policy: SharedPolicy, *,
                 clock: Callable[[], datetime], sleep: Callable[[float], None] = time.sleep):
        self.factory, self.policy, self.clock, self.sleep = factory, policy, clock, sleep
        self.builds = 0  # bodies built by this process (benchmarks and tests count them)

    def get_or_build(self, key: FeedKey, build: Callable[[], bytes], *,
                     last_modified: datetime | None, changed_at: datetime | None = None,
                     on_miss: Callable[[], None] = lambda: None) -> Served:
        """``changed_at``: when the data version of ``key`` appeared (the writer's clock)."""
        found = self.look(key)
        if found is not None:
            return found
        on_miss()
        token, deadline = uuid.uuid4().hex, time.monotonic() + self.policy.wait_for
        while True:
            claimed = store.claim_build(self.factory, key, token=token, now=self.clock(),
                                        lease=self.policy.lease)
            if claimed:
                return self._build(key, token, build, last_modified)
            found = self.look(key) if claimed is False else self.previous(key, changed_at)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise FeedBusy("This feed is being built by another worker; come back in a "
                               "few seconds.", retry_after=5)
            self.sleep(self.policy.poll)

    def look(self, key: FeedKey) -> Served | None:
        """The built body of ``key``, or the previous one while ``key`` is being built."""
        with self.factory() as session:
            ready = store.find_ready(session, key)
            if ready is not None:
                return _served(ready, fresh=True)
            building = store.find_building(session, key)
            if building is None or self.clock() - building.started_at > self.policy.stale_for:
                return None
            previous = store.latest_ready(session, key)
            return None if previous is None else _served(previous, fresh=False)

    def built_before(self, key: FeedKey) -> bool:
        """Whether this feed was built before, at another data version or day (a rebuild, as
        after a collection) rather than asked for the first time."""
        with self.factory() as session:
            return store.has_ready(session, key)

    def previous(self, key: FeedKey, changed_at: datetime | None) -> Served | None:
        """While the database is busy with a writer: the previous body of the feed, if the
        data changed at most ``stale_for`` ago."""
        if changed_at is None or datetime.now(timezone.utc) - changed_at > self.policy.stale_for:
            return None
        with self.factory() as session:
            previous = store.latest_ready(session, key)
        return None if previous is None else _served(previous, fresh=False)

    def _build(self, key: FeedKey, token: str, build: Callable[[], bytes],
               last_modified: datetime | None) -> Served:
        try:
            body = build()
        except BaseException:
            store.release_claim(self.factory, key, token=token)
            raise
        self.builds += 1
        etag = etag_of(body)
        store.store_built(self.factory, key, token=token, body=zlib.compress(body, COMPRESSION),
                          etag=etag, last_modified=last_modified, now=self.clock())
        store.prune(self.factory, key, now=self.clock(), max_bytes=self.policy.max_bytes)
        return Served(body, etag, last_modified, fresh=True, built=True)


def _served(stored: StoredFeed, *, fresh: bool) -> Served:
    return Served(zlib.decompress(stored.body), stored.etag, stored.last_modified, fresh=fresh)
