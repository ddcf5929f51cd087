"""Feeds are built once and shared through the database: two app instances (two workers, or
two machines) with their own instance folders build a feed once; concurrent requests on both
give one build; a collection gives new content at the next request; while another worker
rebuilds, the previous body is served for a bounded time only; claims expire and are fenced."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import agenda.web.feeds.views as feeds
from agenda.models import FeedCacheEntry
from agenda.store import feed_cache as store
from agenda.store.feed_cache import FeedKey
from tests.export.collecting import NOW, Clock, collect, frozen_app, new_source
from tests.web.test_feed_bounds import on

DAY = date(2026, 12, 5)
FIRST = [on(DAY, "repair", "Repair café"), on(DAY + timedelta(days=1), "forum", "Forum")]
CHANGED = [replace(FIRST[0], title="Repair café (nouvel horaire)"), FIRST[1]]


@pytest.fixture
def clock():
    return Clock()


def worker(settings, tmp_path, name: str, clock: Clock, **overrides):
    """One more app on the same database, with its own instance folder (search index...)."""
    return frozen_app(settings.with_overrides(instance_path=tmp_path / name, **overrides), clock)


def builds(*apps) -> int:
    return sum(app.extensions["agenda_exports"].shared.builds for app in apps)


@pytest.fixture
def source_id(factory):
    source_id = new_source(factory)
    collect(factory, source_id, FIRST)
    return source_id


@pytest.fixture
def gate(monkeypatch):
    """Builds of /calendar.ics wait until ``gate.set()`` (after ``started`` is set)."""
    opened, started = threading.Event(), threading.Event()
    real = feeds.calendar_for

    def slow(*args, **kwargs):
        started.set()
        assert opened.wait(30), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds, "calendar_for", slow)
    opened.started = started
    return opened


def test_a_second_instance_serves_the_first_ones_build(settings, engine, tmp_path, clock,
                                                      source_id):
    one, two = worker(settings, tmp_path, "a", clock), worker(settings, tmp_path, "b", clock)
    first = one.test_client().get("/calendar.ics?dept=37")
    second = two.test_client().get("/calendar.ics?dept=37")
    assert first.status_code == second.status_code == 200
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert builds(one) == 1 and builds(two) == 0
    again = two.test_client().get("/calendar.ics?dept=37",
                                  headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and builds(one, two) == 1


def test_an_instance_with_other_bounds_builds_its_own_feed(settings, engine, tmp_path, clock,
                                                          source_id):
    one = worker(settings, tmp_path, "a", clock)
    capped = worker(settings, tmp_path, "b", clock, feed_max_events=1)
    assert one.test_client().get("/calendar.ics").data.count(b"BEGIN:VEVENT") == 2
    assert capped.test_client().get("/calendar.ics").data.count(b"BEGIN:VEVENT") == 1
    assert builds(one) == builds(capped) == 1


def test_concurrent_requests_on_two_instances_build_once(settings, engine, tmp_path, clock,
                                                         source_id, gate):
    apps = [worker(settings, tmp_path, name, clock) for name in ("a", "b")]
    answers, barrier = [], threading.Barrier(8)

    def ask(app):
        barrier.wait()
        answers.append(app.test_client().get("/calendar.ics"))

    threads = [threading.Thread(target=ask, args=(apps[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    assert gate.started.wait(30)
    gate.set()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.data for a in answers}) == 1 and b"Repair caf" in answers[0].data
    assert builds(*apps) == 1


def test_after_a_collection_the_next_request_has_the_change(settings, engine, tmp_path, clock,
                                                            factory, source_id):
    one, two = worker(settings, tmp_path, "a", clock), worker(settings, tmp_path, "b", clock)
    assert "Repair café" in one.test_client().get("/calendar.ics").get_data(as_text=True)
    assert two.test_client().get("/calendar.ics").status_code == 200 and builds(two) == 0
    collect(factory, source_id, CHANGED, now=NOW + timedelta(minutes=5))
    assert "nouvel horaire" in two.test_client().get("/calendar.ics").get_data(as_text=True)
    assert "nouvel horaire" in one.test_client().get("/calendar.ics").get_data(as_text=True)
    assert builds(one) == 1 and builds(two) == 1  # one build per data version
    with factory() as session:  # the previous version's body was pruned
        assert session.scalar(select(func.count()).select_from(FeedCacheEntry)) == 1


def test_the_previous_body_is_served_while_rebuilt_for_a_bounded_time(
        settings, engine, tmp_path, clock, factory, source_id, gate):
    one = worker(settings, tmp_path, "a", clock)
    two = worker(settings, tmp_path, "b", clock, feed_stale_seconds=30,
                 feed_build_wait_seconds=0.3)
    gate.set()
    before = two.test_client().get("/calendar.ics")
    gate.clear()
    gate.started.clear()
    collect(factory, source_id, CHANGED, now=NOW + timedelta(minutes=5))
    rebuilding = threading.Thread(target=lambda: one.test_client().get("/calendar.ics"))
    rebuilding.start()
    assert gate.started.wait(30)  # worker one has the claim and builds
    stale = two.test_client().get("/calendar.ics")
    assert stale.status_code == 200 and stale.data == before.data
    assert stale.headers["Cache-Control"] == "public, max-age=5"
    clock.now = NOW + timedelta(seconds=31)  # the build began longer ago than allowed
    busy = two.test_client().get("/calendar.ics")
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    gate.set()
    rebuilding.join(60)
    fresh = two.test_client().get("/calendar.ics")
    assert "nouvel horaire" in fresh.get_data(as_text=True)
    assert fresh.headers["Cache-Control"] == "public, max-age=300"
    assert builds(one) == 1 and builds(two) == 1


def test_a_failed_build_gives_the_claim_back(settings, engine, tmp_path, clock, source_id,
                                             monkeypatch):
    app = worker(settings, tmp_path, "a", clock)
    real = feeds.calendar_for
    monkeypatch.setattr(feeds, "calendar_for", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        app.test_client().get("/calendar.ics")
    monkeypatch.setattr(feeds, "calendar_for", real)
    assert app.test_client().get("/calendar.ics").status_code == 200


# --- The table itself ------------------------------------------------------------------------

KEY = FeedKey("ics", "f" * 64, "v1", DAY)
LEASE = timedelta(minutes=2)


def test_an_expired_claim_is_taken_over_and_the_late_worker_is_fenced(factory, engine):
    assert store.claim_build(factory, KEY, token="dead", now=NOW, lease=LEASE)
    assert not store.claim_build(factory, KEY, token="other", now=NOW + timedelta(minutes=1),
                                 lease=LEASE)
    assert store.claim_build(factory, KEY, token="me", now=NOW + timedelta(minutes=3),
                             lease=LEASE)
    assert not store.store_built(factory, KEY, token="dead", body=b"old", etag='"x"',
                                 last_modified=None, now=NOW)
    assert store.store_built(factory, KEY, token="me", body=b"new", etag='"y"',
                             last_modified=None, now=NOW)
    with factory() as session:
        assert store.find_ready(session, KEY).body == b"new"
    assert not store.claim_build(factory, KEY, token="late", now=NOW + timedelta(hours=5),
                                 lease=LEASE)  # built: nothing to claim


def test_old_versions_go_and_the_size_cap_holds(factory, engine):
    def built(key, size, minutes):
        assert store.claim_build(factory, key, token="t", now=NOW, lease=LEASE)
        store.store_built(factory, key, token="t", body=b"x" * size, etag='"e"',
                          last_modified=None, now=NOW + timedelta(minutes=minutes))

    built(KEY, 100, 0)
    newer = replace(KEY, version="v2")
    built(newer, 100, 1)
    store.prune(factory, newer, now=NOW, max_bytes=10_000)
    with factory() as session:
        assert store.find_ready(session, KEY) is None and store.find_ready(session, newer)
    others = [FeedKey("ics", str(n) * 64, "v1", DAY) for n in range(4)]
    for n, key in enumerate(others):
        built(key, 100, 2 + n)
    store.prune(factory, others[-1], now=NOW, max_bytes=250)
    with factory() as session:
        kept = [key for key in [newer, *others] if store.find_ready(session, key)]
        assert kept == others[-2:] and store.cached_bytes(session) == (2, 200)


def test_a_collection_holding_sqlite_does_not_make_feeds_queue(settings, engine, tmp_path, clock,
                                                              factory, source_id):
    """On SQLite a claim is a write: while a collection holds the database, the previous body
    is served (the data changed moments ago) instead of waiting for the collection."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not lock the table")
    app = worker(settings, tmp_path, "a", clock)
    before = app.test_client().get("/calendar.ics")
    collect(factory, source_id, CHANGED, now=NOW + timedelta(minutes=5))
    writer = engine.raw_connection()
    try:
        writer.execute("BEGIN IMMEDIATE")  # the next collection's transaction
        during = app.test_client().get("/calendar.ics")
    finally:
        writer.rollback()
        writer.close()
    assert during.status_code == 200 and during.data == before.data
    assert during.headers["Cache-Control"] == "public, max-age=5" and builds(app) == 1
    assert "nouvel horaire" in app.test_client().get("/calendar.ics").get_data(as_text=True)
    assert builds(app) == 2
