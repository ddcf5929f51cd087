"""The worker: due sources are collected once, even by several workers at the same time."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Response

from agenda.collectors.worker import build_scheduler, collect_due_sources, utcnow
from agenda.db import transaction
from agenda.models import CollectionRun, Source
from agenda.store.sources import add_source

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:{n}\r\n"
       "DTSTART:20261127T130000Z\r\nSUMMARY:Atelier {n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def serve_sources(httpserver, factory, now, count, delay=0.0):
    def slow(n):
        def handler(_request):
            time.sleep(delay)
            from werkzeug import Response
            return Response(ICS.format(n=n), content_type="text/calendar")
        return handler

    with transaction(factory) as session:
        for n in range(count):
            httpserver.expect_request(f"/{n}.ics").respond_with_handler(slow(n))
            add_source(session, name=f"S{n}", url=httpserver.url_for(f"/{n}.ics"), kind="ics",
                       now=now)


def runs_per_source(factory) -> Counter:
    with transaction(factory) as session:
        return Counter(session.scalars(select(CollectionRun.source_id)))


def test_two_workers_at_once_collect_each_source_exactly_once(httpserver, factory, settings,
                                                              now):
    serve_sources(httpserver, factory, now, count=12, delay=0.05)
    settings = settings.with_overrides(claim_batch_size=2)
    results = {}

    def work(name):
        results[name] = collect_due_sources(factory, settings, worker=name, clock=lambda: now)

    workers = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    counts = runs_per_source(factory)
    assert len(counts) == 12 and set(counts.values()) == {1}
    assert sum(len(r) for r in results.values()) == 12
    assert sum(1 for r in results.values() if r) >= 2  # the work really was shared


def test_a_collected_source_waits_for_its_interval(httpserver, factory, settings, now):
    serve_sources(httpserver, factory, now, count=1)
    assert len(collect_due_sources(factory, settings, clock=lambda: now)) == 1
    assert collect_due_sources(factory, settings, clock=lambda: now + timedelta(minutes=59)) == []
    later = collect_due_sources(factory, settings, clock=lambda: now + timedelta(minutes=61))
    assert [o.outcome for o in later] == ["unchanged"]


def test_the_scheduler_collects_due_sources_in_the_background(httpserver, factory, settings):
    serve_sources(httpserver, factory, utcnow() - timedelta(minutes=1), count=2)
    scheduler = build_scheduler(factory, settings, background=True)
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(runs_per_source(factory)) < 2:
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert set(runs_per_source(factory).values()) == {1}
    with transaction(factory) as session:
        assert {s.status for s in session.scalars(select(Source))} == {"ok"}


class Stopped(BaseException):
    """Raised by the test clock once the test is over: a worker stops wherever it is."""


def fast_clock(start, stop, speed=600):
    """Test time: one real second is ten minutes, so leases expire within the test."""
    origin = time.monotonic()

    def clock():
        if stop.is_set():
            raise Stopped
        return start + timedelta(seconds=(time.monotonic() - origin) * speed)
    return clock


@pytest.fixture
def threaded_httpserver():
    """Answers requests at the same time (pytest-httpserver's default server does not)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_two_worker_loops_never_collect_one_source_at_once(threaded_httpserver, factory,
                                                           settings, now):
    """Workers ticking in a loop, sources due every minute, one source whose download outlives
    the lease: no two recorded collections of one source ever overlap."""
    server = threaded_httpserver
    serve_sources(server, factory, now, count=6, delay=0.02)
    server.expect_request("/slow.ics").respond_with_handler(
        lambda _r: time.sleep(3) or Response(ICS.format(n="s")))  # 30 test minutes
    with transaction(factory) as session:
        slow = add_source(session, name="Slow", url=server.url_for("/slow.ics"), kind="ics",
                          now=now).id
        for source in session.scalars(select(Source)):
            source.interval_minutes = 1
    stop = threading.Event()
    clock = fast_clock(now, stop)

    def loop(name):
        with contextlib.suppress(Stopped):
            while True:  # a tick collects while sources are due: here, always
                collect_due_sources(factory, settings, worker=name, clock=clock)

    workers = [threading.Thread(target=loop, args=(f"w{i}",)) for i in range(2)]
    for thread in workers:
        thread.start()
    deadline = time.monotonic() + 60  # a bound for a loaded machine, not a measure
    while time.monotonic() < deadline and not (
            all_collected(factory, times=3, sources=6) and interruptions(factory, slow) >= 2):
        time.sleep(0.1)
    stop.set()
    for thread in workers:
        thread.join()
    assert all_collected(factory, times=3, sources=6)
    with transaction(factory) as session:
        workers_seen = set(session.scalars(select(CollectionRun.worker)))
        runs = session.execute(select(CollectionRun.source_id, CollectionRun.started_at,
                                      CollectionRun.finished_at)
                               .order_by(CollectionRun.source_id, CollectionRun.started_at)).all()
    assert {"w0", "w1"} <= workers_seen  # both workers really worked
    for before, after in zip(runs, runs[1:]):
        if before.source_id == after.source_id:
            assert before.finished_at <= after.started_at, (before, after)


def interruptions(factory, source_id) -> int:
    with transaction(factory) as session:
        return len(session.scalars(select(CollectionRun.id).where(
            CollectionRun.source_id == source_id,
            CollectionRun.error_code == "collect.interrupted")).all())


def all_collected(factory, *, times, sources) -> bool:
    with transaction(factory) as session:
        counts = Counter(session.scalars(select(CollectionRun.source_id)
                                         .where(CollectionRun.outcome.in_(["ok", "unchanged"]))))
    return sum(1 for n in counts.values() if n >= times) >= sources
