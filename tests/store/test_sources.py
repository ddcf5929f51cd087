"""Claims: a due source is taken by one worker only; claims expire; health is recorded."""

from __future__ import annotations

import threading
from datetime import timedelta

from agenda.db import transaction
from agenda.models import Source
from agenda.store.claims import (
    claim_due_sources,
    claim_source,
    clear_expired_claim,
    expired_claims,
    release_claim,
    renew_claim,
    start_claim,
)
from agenda.store.sources import add_source, list_sources

LEASE = timedelta(minutes=15)


def make_sources(factory, now, n=3, **kw):
    with transaction(factory) as session:
        return [add_source(session, name=f"S{i}", url=f"http://127.0.0.1/{i}.ics", now=now,
                           **kw).id for i in range(n)]


def claim(factory, now, worker, limit=10):
    with transaction(factory) as session:
        return [c.source_id for c in
                claim_due_sources(session, now=now, worker=worker, lease=LEASE, limit=limit)]


def test_due_sources_are_claimed_once(factory, now):
    ids = make_sources(factory, now)
    assert sorted(claim(factory, now, "w1")) == sorted(ids)
    assert claim(factory, now, "w2") == []


def test_an_expired_claim_is_freed_once_before_anyone_claims_again(factory, now):
    ids = make_sources(factory, now, n=1)
    with transaction(factory) as session:
        [held] = claim_due_sources(session, now=now, worker="w1", lease=LEASE, limit=1)
        assert start_claim(session, held, now=now) is True
    later = now + LEASE + timedelta(seconds=1)
    assert claim(factory, later, "w2") == []  # expired, but not yet counted as interrupted
    with transaction(factory) as session:
        [stale] = expired_claims(session, now=later)
        assert (stale.claimed_by, stale.last_attempt_at, stale.claim_started) == (
            "w1", now, True)
        assert clear_expired_claim(session, stale, now=later) is True
        assert clear_expired_claim(session, stale, now=later) is False  # counted once
    assert claim(factory, later, "w2") == ids


def test_a_renewed_claim_does_not_expire(factory, now):
    [sid] = make_sources(factory, now, n=1)
    with transaction(factory) as session:
        [held] = claim_due_sources(session, now=now, worker="w1", lease=LEASE, limit=1)
    with transaction(factory) as session:
        assert renew_claim(session, held, now=now + timedelta(minutes=10)) is True
    with transaction(factory) as session:
        assert expired_claims(session, now=now + LEASE + timedelta(minutes=1)) == []
        assert session.get(Source, sid).claimed_until == now + timedelta(minutes=10) + LEASE


def test_only_the_current_holder_can_renew_or_release(factory, now):
    [sid] = make_sources(factory, now, n=1)
    with transaction(factory) as session:
        first = claim_source(session, sid, now=now, worker="w1", lease=LEASE)
    later = now + LEASE + timedelta(seconds=1)
    with transaction(factory) as session:
        clear_expired_claim(session, expired_claims(session, now=later)[0], now=later)
        second = claim_source(session, sid, now=later, worker="w2", lease=LEASE)
    with transaction(factory) as session:
        assert renew_claim(session, first, now=later) is False
        assert release_claim(session, first) is False
    with transaction(factory) as session:
        row = session.get(Source, sid)
        assert (row.claimed_by, row.claim_token, row.claimed_until) == (
            "w2", second.token, later + LEASE)


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
    with transaction(factory) as session:
        [running] = claim_due_sources(session, now=now, worker="w1", lease=LEASE, limit=1)
    with transaction(factory) as session:
        assert claim_source(session, sid, now=now, worker="cli", lease=LEASE) is None
        assert release_claim(session, running) is True
    with transaction(factory) as session:
        manual = claim_source(session, sid, now=now, worker="cli", lease=LEASE)
    assert (manual.source_id, manual.worker) == (sid, "cli") and manual.token != running.token


def test_list_sources_counts_published_events(factory, now):
    make_sources(factory, now, n=2, actor_name="Ressourcerie du Loiret")
    with transaction(factory) as session:
        rows = list_sources(session)
    assert [(s.name, n, s.actor.name) for s, n in rows] == [
        ("S0", 0, "Ressourcerie du Loiret"), ("S1", 0, "Ressourcerie du Loiret")]
