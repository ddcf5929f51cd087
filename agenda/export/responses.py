"""Whole responses kept in memory, keyed by what they depend on (filters, day, data version).

An entry is also dropped after ``max_age`` seconds, whatever its key, so that a change the
data version cannot see (see ``version``) is served within minutes.  The ETag is the body's
hash: identical in every process, and a rebuilt identical body keeps its clients' copies valid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Hashable

from agenda.export.cache import BoundedCache
from agenda.export.conditional import etag_of


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    last_modified: datetime | None
    made_at: float


class ResponseCache:
    def __init__(self, *, max_entries: int = 256, max_bytes: int = 256_000_000,
                 max_age: float = 600.0, clock: Callable[[], float] = time.monotonic):
        self._cache = BoundedCache(max_entries=max_entries, max_bytes=max_bytes,
                                   size=lambda r: len(r.body) + 500)
        self.max_age, self._clock = max_age, clock

    def get(self, key: Hashable) -> Rendered | None:
        found = self._cache.get(key)
        if found is not None and self._clock() - found.made_at < self.max_age:
            return found
        return None

    def put(self, key: Hashable, body: bytes, *, etag: str | None = None,
            last_modified: datetime | None) -> Rendered:
        rendered = Rendered(body, etag or etag_of(body), last_modified, self._clock())
        self._cache.put(key, rendered)
        return rendered

    def get_or_build(self, key: Hashable, build: Callable[[], bytes], *,
                     last_modified: datetime) -> Rendered:
        found = self.get(key)
        return found if found is not None else self.put(key, build(),
                                                        last_modified=last_modified)

    def clear(self) -> None:
        self._cache.clear()
