"""The worker: due sources are collected once, even by several workers at the same time."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

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
