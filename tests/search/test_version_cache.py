"""PostgreSQL's search remembers answers per data version: never one of another version."""

from __future__ import annotations

from agenda.search.pg.facts import VersionCache


def test_a_value_is_given_back_only_under_the_version_it_was_read_at():
    cache = VersionCache()
    assert cache.get((1,), "k", lambda: "read at 1") == "read at 1"
    assert cache.get((1,), "k", lambda: "read again") == "read at 1"
    assert cache.get((2,), "k", lambda: "read at 2") == "read at 2"
    assert cache.get((1,), "k", lambda: "an older reader reads") == "an older reader reads"
    assert cache.get((2,), "k", lambda: "read at 2 again") == "read at 2 again"


def test_it_holds_at_most_its_size_least_recent_out():
    cache = VersionCache(size=2)
    for key in ("a", "b", "a", "c"):
        cache.get((1,), key, lambda key=key: key)
    assert cache.get((1,), "a", lambda: "again") == "a"
    assert cache.get((1,), "b", lambda: "again") == "again"  # dropped: least recently used
