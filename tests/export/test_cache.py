"""The bounded LRU and the response cache (keys, sizes, maximum age)."""

from __future__ import annotations

from datetime import datetime, timezone

from agenda.export.cache import BoundedCache
from agenda.export.responses import ResponseCache

CHANGED = datetime(2026, 11, 21, tzinfo=timezone.utc)


def test_least_recently_used_entries_go_first_by_count_and_by_bytes():
    cache = BoundedCache(max_entries=2, max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # now b is the least recently used
    cache.put("c", b"1234")
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("d", b"123456789")  # 4 + 9 > 10 bytes: everything older goes
    assert len(cache) == 1 and cache.get("d")
    cache.put("huge", b"x" * 11)  # bigger than the whole cache: not kept
    assert cache.get("huge") is None and cache.get("d")


def test_responses_are_built_once_per_key_until_they_are_too_old():
    now = [0.0]
    cache = ResponseCache(max_age=600, clock=lambda: now[0])
    built = []

    def build():
        built.append(1)
        return b"body"

    first = cache.get_or_build("k", build, last_modified=CHANGED)
    assert cache.get_or_build("k", build, last_modified=CHANGED) is first and len(built) == 1
    cache.get_or_build("other", build, last_modified=CHANGED)
    now[0] = 601.0
    again = cache.get_or_build("k", build, last_modified=CHANGED)
    assert len(built) == 3 and again.etag == first.etag  # same body, same ETag
