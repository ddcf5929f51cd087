"""What PostgreSQL's search reads beside a listing, remembered per data version: the listed
events (for the words' rarity), the events holding each word, the spellings of a city, the
communes and the events per source.

A value is kept only under the data version it was read at (``agenda.export.version``: the
change counter every writer bumps, the last change of an event, the sources); a new version
empties the cache, so nothing older than the data is ever used.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Callable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from agenda.export.version import read_version
from agenda.models import Event
from agenda.search.analysis import query_words
from agenda.search.documents import city_key
from agenda.search.pg.answers import Words, matches, window_count
from agenda.store.communes import communes_with_events
from agenda.store.conditions import listed

MAX_ENTRIES = 2000


class VersionCache:
    """Values of one data version (thread-safe; at most ``size`` of them, least recent out)."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._version: tuple | None = None
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: tuple, key, compute: Callable[[], object]):
        with self._lock:
            if version != self._version:
                self._version, self._items = version, OrderedDict()
            elif key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            if version == self._version:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


def data_version(session: Session) -> tuple:
    return read_version(session).key


class Facts:
    """The cached reads of one backend (one per process and database)."""

    def __init__(self):
        self.cache = VersionCache()

    def rarities(self, session: Session, version: tuple, words: Words) -> list[float]:
        """Each word's ``log(1 + listed events / listed events holding it)``, as
        ``agenda.search.matching.match_words`` (Whoosh's live documents are the listed
        events).  One word alone weighs the same in every event: its rarity changes no
        order, so it is not counted (1.0)."""
        if len(words) < 2:
            return [1.0] * len(words)
        live = self.cache.get(version, ("listed",), lambda: listed_count(session)) or 1
        holding = self.cache.get(version, ("words", words), lambda: holding_counts(session, words))
        return [math.log1p(live / max(count or 0, 1)) for count in holding]

    def city_spellings(self, session: Session, version: tuple, city: str) -> list[str]:
        """The cities of the listed events that are ``city`` to the index (``city_key``:
        case, accents and spaces aside), found among the events holding its words."""
        key = city_key(city)
        return self.cache.get(version, ("city", key),
                              lambda: _spellings(session, key, query_words(city)))

    def window_count(self, session: Session, version: tuple, window) -> int:
        return self.cache.get(version, ("window", window),
                              lambda: window_count(session, window))

    def commune_codes(self, session: Session, version: tuple) -> list[str]:
        return list(self.cache.get(version, ("communes",),
                                   lambda: communes_with_events(session)))

    def source_counts(self, session: Session, version: tuple) -> dict[int, int]:
        return dict(self.cache.get(version, ("sources",), lambda: dict(
            session.execute(select(Event.source_id, func.count()).where(listed())
                            .group_by(Event.source_id)).all())))


def listed_count(session: Session) -> int:
    """The listed events: those not removed (an index-only scan of ``ix_events_source_removed``)
    less the merged copies among them (``ix_events_duplicate_of``: few), instead of reading
    the whole table (600 ms at 300,000 events; 40 ms so)."""
    kept = session.scalar(select(func.count()).select_from(Event)
                          .where(Event.removed_at.is_(None))) or 0
    copies = session.scalar(select(func.count()).select_from(Event).where(
        Event.duplicate_of.is_not(None), Event.removed_at.is_(None))) or 0
    return kept - copies


def holding_counts(session: Session, words: Words) -> tuple[int, ...]:
    """The listed events holding each word, in one statement: one bitmap scan of the events
    holding any of them, instead of one per word (each reads the events' table: 60-130 ms for
    a frequent word at 100,000 events)."""
    each = [and_(*matches((forms,))) for forms in words]
    return tuple(session.execute(select(*(func.count().filter(condition) for condition in each))
                                 .select_from(Event).where(listed(), or_(*each))).one())


def _spellings(session: Session, key: str, words: Words) -> list[str]:
    query = select(Event.city).where(Event.city.is_not(None), listed(), *matches(words))
    return sorted(city for city in session.scalars(query.distinct())
                  if city_key(city)[:200] == key)
