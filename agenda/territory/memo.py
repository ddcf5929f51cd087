"""The territory page's numbers kept between requests while the data stay the same.

Counting 100,000 events takes the database a few hundred milliseconds however the query is
written (every listed event is read), and the numbers only change when published data change:
every writer of events, actors, initiatives, links and campaigns bumps the data version
(``agenda.store.changes``), so the numbers are kept under a key that holds it, with the filters
and the day.  A few keys at most (the least recently used go); thread-safe."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

KEPT = 32
T = TypeVar("T")


class Memo:
    def __init__(self, kept: int = KEPT):
        self._kept = kept
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``compute()`` kept (computed outside the lock:
        two requests may both compute it, neither waits for the other)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._kept:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
