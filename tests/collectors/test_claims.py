"""Claims: a collection that dies is a failed run, a long one keeps its claim, a late one
writes nothing (fencing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import agenda.collectors.refresh as refresh_module
from agenda.collectors.claims import INTERRUPTED, claim_due, claim_one, start
from agenda.collectors.fetcher import fetch
from agenda.collectors.refresh import refresh_source
from agenda.collectors.worker import collect_due_sources
from agenda.db import transaction
from agenda.models import CollectionRun, Event, Source
from agenda.store.sources import add_source

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:atelier-1\r\n"
       "DTSTART:20261127T130000Z\r\nSUMMARY:Atelier\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
LEASE = timedelta(minutes=15)  # config/settings.toml: claim_lease_minutes


@pytest.fixture
def source_id(httpserver, factory, now):
    httpserver.expect_request("/agenda.ics").respond_with_data(ICS, content_type="text/calendar")
    with transaction(factory) as session:
        return add_source(session, name="Tiers-lieu", url=httpserver.url_for("/agenda.ics"),
                          kind="ics", now=now).id


def health(factory, sid) -> Source:
    with transaction(factory) as session:
        return session.get(Source, sid)


def runs(factory, sid) -> list[tuple]:
    with transaction(factory) as session:
        return [tuple(row) for row in session.execute(
            select(CollectionRun.outcome, CollectionRun.error_code, CollectionRun.worker)
            .where(CollectionRun.source_id == sid).order_by(CollectionRun.id))]


def events(factory, sid) -> list[str]:
    with transaction(factory) as session:
        return list(session.scalars(select(Event.source_uid).where(Event.source_id == sid)))


def die_while_collecting(factory, settings, sid, at):
    """A worker claims the source, starts collecting it and is killed before finishing."""
    [claim] = claim_due(factory, settings, now=at, worker="dying")
    assert claim.source_id == sid
    start(factory, claim, now=at)


def test_sources_waiting_behind_a_collection_that_died_are_freed_not_blamed(
        factory, settings, now, source_id):
    with transaction(factory) as session:
        waiting = [add_source(session, name=f"Voisin {n}", url=f"http://127.0.0.1:9/{n}.ics",
                              kind="ics", now=now).id for n in range(3)]
    claims = claim_due(factory, settings, now=now, worker="dying")
    assert {c.source_id for c in claims} == {source_id, *waiting}
    start(factory, next(c for c in claims if c.source_id == source_id), now=now)
    later = now + LEASE + timedelta(minutes=1)
    with transaction(factory) as session:
        from agenda.collectors.claims import settle_interrupted
        assert settle_interrupted(session, settings, now=later) == [source_id]
    for sid in waiting:
        source = health(factory, sid)
        assert (source.status, source.consecutive_failures, source.claimed_by) == (
            "never", 0, None)
        assert source.next_run_at <= later  # still due: collected by the next tick
        assert runs(factory, sid) == []
    assert health(factory, source_id).last_error_code == "collect.interrupted"


def test_a_collection_that_died_is_counted_as_a_failure_and_backs_off(factory, settings, now,
                                                                      source_id):
    die_while_collecting(factory, settings, source_id, now)
    assert collect_due_sources(factory, settings, clock=lambda: now + LEASE) == []  # still held
    later = now + LEASE + timedelta(minutes=1)
    assert collect_due_sources(factory, settings, worker="w2", clock=lambda: later) == []
    source = health(factory, source_id)
    assert (source.status, source.consecutive_failures) == ("error", 1)
    assert (source.last_error_code, source.last_error) == ("collect.interrupted", INTERRUPTED)
    assert source.next_run_at == later + timedelta(minutes=15)  # the usual backoff
    assert (source.claimed_by, source.claim_token, source.claimed_until) == (None, None, None)
    assert runs(factory, source_id) == [("error", "collect.interrupted", "dying")]
    after_backoff = collect_due_sources(factory, settings, clock=lambda: source.next_run_at)
    assert [o.outcome for o in after_backoff] == ["ok"]


def test_a_source_that_keeps_killing_its_collector_ends_broken(factory, settings, now,
                                                               source_id):
    settings = settings.with_overrides(broken_after_failures=3)
    when, delays = now, []
    for _ in range(3):
        die_while_collecting(factory, settings, source_id, when)
        settled_at = when + LEASE + timedelta(seconds=1)
        collect_due_sources(factory, settings, clock=lambda t=settled_at: t)
        when = health(factory, source_id).next_run_at
        delays.append(when - settled_at)
    assert delays == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]
    source = health(factory, source_id)
    assert (source.status, source.consecutive_failures) == ("broken", 3)
    assert [r[1] for r in runs(factory, source_id)] == ["collect.interrupted"] * 3


def test_a_collection_by_hand_counts_the_dead_one_then_collects(factory, settings, now,
                                                                source_id):
    die_while_collecting(factory, settings, source_id, now)
    busy = refresh_source(factory, source_id, now=now + timedelta(minutes=1), settings=settings)
    assert (busy.outcome, busy.error_code) == ("error", "collect.busy")
    outcome = refresh_source(factory, source_id, now=now + LEASE + timedelta(minutes=1),
                             settings=settings)
    assert outcome.outcome == "ok"
    assert [r[:2] for r in runs(factory, source_id)] == [("error", "collect.interrupted"),
                                                         ("ok", None)]
    assert health(factory, source_id).status == "ok"


def overtaken_fetch(factory, settings, sid, clock, at):
    """A fetch so slow that the claim expires and another worker takes the source meanwhile."""
    taken = {}

    def slow_fetch(url, **kwargs):
        clock[0] = at
        taken["claim"] = claim_one(factory, settings, sid, now=at, worker="w2")
        return fetch(url, **kwargs)
    return slow_fetch, taken


@pytest.mark.parametrize("renewal", ["renewed", "not renewed"])
def test_a_collection_that_lost_its_claim_writes_nothing(factory, settings, now, source_id,
                                                         monkeypatch, renewal):
    if renewal == "not renewed":  # so that the final transaction's check is the one that stops it
        monkeypatch.setattr(refresh_module, "renew", lambda *args, **kwargs: None)
    [mine] = claim_due(factory, settings, now=now, worker="w1")
    at, clock = now + LEASE + timedelta(minutes=1), [now]
    slow_fetch, taken = overtaken_fetch(factory, settings, source_id, clock, at)
    outcome = refresh_source(factory, source_id, now=now, settings=settings, worker="w1",
                             claim=mine, fetch_func=slow_fetch, clock=lambda: clock[0])
    assert (outcome.outcome, outcome.error_code) == ("error", "collect.claim_lost")
    assert events(factory, source_id) == []  # no write
    source = health(factory, source_id)  # the other worker's claim is untouched
    assert (source.claimed_by, source.claim_token) == ("w2", taken["claim"].token)
    assert source.claimed_until == at + LEASE
    assert runs(factory, source_id) == [("error", "collect.interrupted", "w1")]


def test_a_long_collection_keeps_its_claim_by_renewing_it(factory, settings, now, source_id,
                                                          monkeypatch):
    clock = [now]
    [mine] = claim_due(factory, settings, now=now, worker="w1")

    def slow_fetch(url, **kwargs):
        clock[0] = now + timedelta(minutes=14)
        return fetch(url, **kwargs)

    real_parse = refresh_module.parse_document

    def slow_parse(*args, **kwargs):
        clock[0] = now + timedelta(minutes=28)  # past the first lease, within the renewed one
        others = collect_due_sources(factory, settings, worker="w2", clock=lambda: clock[0])
        assert others == [] and health(factory, source_id).claimed_by == "w1"
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(refresh_module, "parse_document", slow_parse)
    outcome = refresh_source(factory, source_id, now=now, settings=settings, worker="w1",
                             claim=mine, fetch_func=slow_fetch, clock=lambda: clock[0])
    assert (outcome.outcome, outcome.new) == ("ok", 1)
    assert runs(factory, source_id) == [("ok", None, "w1")]
    assert health(factory, source_id).claimed_by is None


def test_a_batch_waiting_behind_a_long_collection_keeps_its_claims(httpserver, factory,
                                                                   settings, now, source_id,
                                                                   monkeypatch):
    with transaction(factory) as session:
        second = add_source(session, name="Second", url=httpserver.url_for("/agenda.ics"),
                            kind="ics", now=now).id
    clock = [now]
    real_parse, real_index = refresh_module.parse_document, refresh_module.index_source

    def slow_parse(*args, **kwargs):
        clock[0] += timedelta(minutes=14)
        return real_parse(*args, **kwargs)

    def index_then_another_worker_ticks(factory_, settings_, sid, **kwargs):
        real_index(factory_, settings_, sid, **kwargs)
        if sid == source_id:  # 28 minutes after the batch was claimed
            clock[0] += timedelta(minutes=14)
            assert collect_due_sources(factory, settings, worker="w2",
                                       clock=lambda: clock[0]) == []

    monkeypatch.setattr(refresh_module, "parse_document", slow_parse)
    monkeypatch.setattr(refresh_module, "index_source", index_then_another_worker_ticks)
    outcomes = collect_due_sources(factory, settings, worker="w1", clock=lambda: clock[0])
    assert [(o.source_id, o.outcome) for o in outcomes] == [(source_id, "ok"), (second, "ok")]
    assert [r[0] for r in runs(factory, second)] == ["ok"]
