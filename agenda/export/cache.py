"""A small thread-safe LRU bounded by entries and by bytes (one per process, per kind of data).

Used for the text of each VEVENT (keyed by event id, SEQUENCE and last change, so a changed
event is never served stale) and for whole responses (keyed by filters and data version).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable


class BoundedCache:
    def __init__(self, *, max_entries: int, max_bytes: int, size: Callable[[object], int] = len):
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable):
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value) -> None:
        size = self._size(value)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= self._size(old)
            self._entries[key] = value
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= self._size(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
