"""The VEVENT text kept with each event (events.ics_text): written in the transaction that
changes the event, the very text a request would write, and never served once it no longer
matches the event (a change by a path that did not refill it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

import agenda.export.ics as ics
from agenda.db import transaction
from agenda.export.selection import ALL_COLUMNS
from agenda.export.series import export_items
from agenda.export.stored_vevents import (
    context_digest,
    engine_context,
    fill_stale,
    stored_key,
    written_event_ids,
)
from agenda.models import Event
from agenda.store.events import upsert_events, withdraw_event
from tests.export.collecting import (
    NOW,
    PARIS,
    Clock,
    collect,
    frozen_app,
    new_source,
    records_of,
    sample,
)
from tests.store.merged import add_events, forum, merge_into

SAMPLES = ["weekly_exdate_moved_override.ics", "all_day_and_multi_day.ics",
           "zones_utc_and_new_york.ics", "hostile_text.ics"]
FEED = "/calendar.ics?from=2026-09-01&to=2027-03-01"


@pytest.fixture
def samples(factory):
    source_id = new_source(factory)
    records = [r for name in SAMPLES for r in records_of(sample(name))]
    collect(factory, source_id, records)
    return source_id, records


def first_calendar(settings, clock=None) -> bytes:
    """The feed as a new process's first request builds it (no cache of any kind)."""
    response = frozen_app(settings, clock or Clock()).test_client().get(FEED)
    assert response.status_code == 200
    return response.data


def stored(factory) -> dict[str, tuple]:
    with transaction(factory) as session:
        return {row.id: (row.ics_key, row.ics_text) for row in session.execute(
            select(Event.id, Event.ics_key, Event.ics_text))}


def written_now(engine, factory) -> dict[str, tuple]:
    """What each event's key and text would be if written now (every item of every series)."""
    ctx = engine_context(engine)
    with transaction(factory) as session:
        rows = list(session.execute(select(*ALL_COLUMNS)))
    items = export_items(rows, cutoff=NOW - timedelta(days=3650), default_tz=PARIS)
    return {item.row.id: (stored_key(item, context_digest(ctx)),
                          ics.vevent(item, ctx).data.decode("utf-8")) for item in items}


def clear_stored(factory) -> None:
    with transaction(factory) as session:
        session.execute(update(Event).values(ics_text=None, ics_key=None))


def test_the_stored_texts_are_the_texts_a_request_writes(engine, factory, samples):
    expected = written_now(engine, factory)
    kept = stored(factory)
    assert expected and {i: kept[i] for i in expected} == expected


def test_the_calendar_is_byte_identical_with_and_without_stored_texts(settings, engine,
                                                                       factory, samples):
    with_texts = first_calendar(settings)
    clear_stored(factory)
    without = first_calendar(settings)
    assert with_texts == without
    assert with_texts.count(b"BEGIN:VEVENT") == len(written_now(engine, factory))


def test_a_first_request_writes_no_vevent_when_the_texts_are_stored(settings, factory,
                                                                    samples, monkeypatch):
    expected = first_calendar(settings)

    def no_writing(item, ctx):
        raise AssertionError(f"{item.row.id} was written in the request")

    monkeypatch.setattr(ics, "vevent", no_writing)
    assert first_calendar(settings) == expected


def test_a_changed_event_carries_its_new_text_when_its_change_commits(engine, factory, samples):
    source_id, records = samples
    retitled = replace(records[0], title=records[0].title + " (nouveau)")
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, [retitled, *records[1:]],
                               now=NOW + timedelta(hours=1), tz=PARIS)
    assert counts.updated == 1
    expected, kept = written_now(engine, factory), stored(factory)
    assert {i: kept[i] for i in expected} == expected
    assert any(" (nouveau)" in text for _, text in expected.values())


def test_a_removed_master_sends_its_overrides_cancelled_from_stored_texts(settings, engine,
                                                                          factory, samples,
                                                                          monkeypatch):
    source_id, records = samples
    later = NOW + timedelta(hours=1)
    with transaction(factory) as session:
        upsert_events(session, source_id, [r for r in records
                                           if r.source_uid != records[0].source_uid],
                      now=later, tz=PARIS)
    expected, kept = written_now(engine, factory), stored(factory)
    assert {i: kept[i] for i in expected} == expected
    cancelled = [text for _, text in expected.values() if "STATUS:CANCELLED" in text]
    assert len(cancelled) == sum(1 for r in records if r.source_uid == records[0].source_uid)
    body = first_calendar(settings, Clock(later))
    monkeypatch.setattr(ics, "vevent", lambda item, ctx: pytest.fail("written in the request"))
    assert first_calendar(settings, Clock(later)) == body


def test_a_merged_copy_and_a_withdrawn_event_are_stored_as_they_go_out(engine, factory):
    listed, = add_events(factory, "Organisateur", [forum("forum-2026")])
    copy, = add_events(factory, "CRESS", [forum("cress-17", "Forum ESS 2026")])
    other, = add_events(factory, "Réseau", [forum("reseau-1", "Forum du réseau", day=25)])
    merge_into(factory, copy, listed, now=NOW + timedelta(hours=1))
    with transaction(factory) as session:
        assert withdraw_event(session, other, now=NOW + timedelta(hours=2))
    expected, kept = written_now(engine, factory), stored(factory)
    assert {i: kept[i] for i in expected} == expected
    assert "STATUS:CANCELLED" in kept[copy][1] and "STATUS:CANCELLED" in kept[other][1]
    assert "STATUS:CONFIRMED" in kept[listed][1]


def test_a_stale_stored_text_is_never_served(settings, engine, factory, samples):
    before = first_calendar(settings)
    target = next(i for i, (_, text) in stored(factory).items() if "SUMMARY:" in text)
    with engine.begin() as connection:  # a raw connection: no session, no refill
        connection.execute(update(Event).where(Event.id == target).values(
            title="Titre changé sans tout réécrire", updated_at=NOW + timedelta(minutes=5),
            sequence=Event.sequence + 1))
    after = first_calendar(settings)
    assert b"SUMMARY:Titre chang\xc3\xa9 sans tout r\xc3\xa9\xc3\xa9crire" in after
    assert after != before
    clear_stored(factory)
    assert first_calendar(settings) == after
    with transaction(factory) as session:  # an operator's catch-up stores the right text again
        assert fill_stale(session, engine_context(engine))[1] >= 1
    assert stored(factory)[target] == written_now(engine, factory)[target]


def test_a_stored_text_of_another_context_is_not_served(settings, engine, factory, samples):
    expected = first_calendar(settings)
    with transaction(factory) as session:  # as if written with other theme labels
        session.execute(update(Event).values(
            ics_text="BEGIN:VEVENT\r\nUID:autre@agenda-commun\r\nEND:VEVENT\r\n",
            ics_key=Event.ics_key + "0"))
    assert first_calendar(settings) == expected


def test_statements_say_which_events_they_change():
    by_key = update(Event).where(Event.id == "abc").values(title="x")
    by_ids = update(Event).where(Event.id.in_(["a", "b"])).values(removed_at=NOW)
    assert written_event_ids(by_key, {}) == {"abc"}
    assert written_event_ids(by_ids, {}) == {"a", "b"}
    assert written_event_ids(update(Event), [{"id": "c", "title": "y"}]) == {"c"}
    assert written_event_ids(update(Event).where(Event.id == "d").values(
        last_seen_at=NOW), {}) == set()
    assert written_event_ids(update(Event).where(Event.source_id == 3).values(title="z"),
                             {}) is None


def test_an_event_changed_through_the_orm_carries_its_new_text(engine, factory, samples):
    with transaction(factory) as session:  # pending at commit: not flushed before
        changed = session.scalars(select(Event).where(Event.recurrence_id == "")).first()
        changed.title, changed.updated_at = "Titre changé par l'équipe", NOW + timedelta(hours=2)
        changed.sequence += 1
        target = changed.id
    key, text = stored(factory)[target]
    assert (key, text) == written_now(engine, factory)[target]
    assert "SUMMARY:Titre changé par l'équipe" in text
