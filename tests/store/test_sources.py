"""Claims: a due source is taken by one worker only; claims expire; health is recorded."""

from __future__ import annotations

import threading
from datetime import timedelta

from agenda.db import transaction
from agenda.models import Source
from agenda.store.sources import (
    add_source,
    claim_due_sources,
    claim_source,
    list_sources,
    release_source,
)

LEASE = timedelta(minutes=15)


def make_sources(factory, now, n=3, **kw):
    with transaction(factory) as session:
        return [add_source(session, name=f"S{i}", url=f"http://127.0.0.1/{i}.ics", now=now,
                           **kw).id for i in range(n)]


def claim(factory, now, worker, limit=10):
    with transaction(factory) as session:
        return claim_due_sources(session, now=now, worker=worker, lease=LEASE, limit=limit)


def test_due_sources_are_claimed_once(factory, now):
    ids = make_sources(factory, now)
    assert sorted(claim(factory, now, "w1")) == sorted(ids)
    assert claim(factory, now, "w2") == []


def test_a_claim_expires_when_its_worker_died(factory, now):
    ids = make_sources(factory, now, n=1)
    claim(factory, now, "w1")
    assert claim(factory, now + LEASE + timedelta(seconds=1), "w2") == ids


def test_sources_not_yet_due_or_disabled_are_not_claimed(factory, now):
    later, disabled = make_sources(factory, now, n=2)
    with transaction(factory) as session:
        session.get(Source, later).next_run_at = now + timedelta(minutes=5)
        session.get(Source, disabled).enabled = False
    assert claim(factory, now, "w1") == []


def test_concurrent_workers_never_claim_the_same_source(factory, now):
    ids = make_sources(factory, now, n=40)
    results: dict[str, list[int]] = {}

    def work(name):
        results[name] = claim(factory, now, name, limit=40)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [sid for got in results.values() for sid in got]
    assert sorted(claimed) == sorted(ids)  # all taken, none twice


def test_a_manual_claim_respects_a_running_worker(factory, now):
    [sid] = make_sources(factory, now, n=1)
    claim(factory, now, "w1")
    with transaction(factory) as session:
        assert claim_source(session, sid, now=now, worker="cli", lease=LEASE) is False
        release_source(session, sid)
    with transaction(factory) as session:
        assert claim_source(session, sid, now=now, worker="cli", lease=LEASE) is True


def test_list_sources_counts_published_events(factory, now):
    make_sources(factory, now, n=2, actor_name="Ressourcerie du Loiret")
    with transaction(factory) as session:
        rows = list_sources(session)
    assert [(s.name, n, s.actor.name) for s, n in rows] == [
        ("S0", 0, "Ressourcerie du Loiret"), ("S1", 0, "Ressourcerie du Loiret")]
