"""Every text of a collected event is cleaned before storage: on PostgreSQL a NUL no longer
fails the whole source, and nothing invisible or controlling is stored."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.actors import get_or_create_actor
from agenda.store.events import put_event, upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
DATA = Path(__file__).parent.parent / "data" / "ics"
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\ufeff\u061c]")
TEXT_COLUMNS = ("source_uid", "title", "description_html", "description_text", "location_name",
                "address", "postcode", "city", "organizer", "url", "online_url", "image_url")


def dirty_record(uid="evt\x00-1") -> EventRecord:
    start = datetime(2026, 11, 28, 14, 0, tzinfo=PARIS)
    return EventRecord(
        source_uid=uid, title="Repair\x00 café\x1b]0;x\x07 \u202eA", start=start,
        end=start + timedelta(hours=2), occurrences=[Occurrence(start, start + timedelta(hours=2))],
        description_text="Ligne 1\x00\r\nLigne 2\x1b[2J", description_html="<p>a\x00b</p>",
        location=Location(name="Salle\x00 \u202eA", city="Tours\x07", postcode="37000"),
        organizer="Ressourcerie\x00", url="https://exemple.org/\x00a b",
        categories=("Réemploi\x00", "\u200b"))


def stored(factory, source_id) -> list[Event]:
    with transaction(factory) as session:
        return list(session.scalars(select(Event).where(Event.source_id == source_id)))


def assert_clean(event: Event) -> None:
    for column in TEXT_COLUMNS:
        assert not UNWANTED.search(getattr(event, column) or ""), (column, getattr(event, column))
    assert all(not UNWANTED.search(c) for c in event.categories)


def test_upsert_stores_a_record_full_of_nul_and_escapes_cleaned(factory, now):
    with transaction(factory) as session:
        source_id = add_source(session, name="S", url="http://127.0.0.1/a.ics", now=now).id
        counts = upsert_events(session, source_id, [dirty_record()], now=now, tz=PARIS)
    assert counts.new == 1
    [event] = stored(factory, source_id)
    assert_clean(event)
    assert (event.source_uid, event.title) == ("evt-1", "Repair café]0;x A")
    assert event.description_text == "Ligne 1\nLigne 2[2J"
    assert (event.location_name, event.city, event.url) == (
        "Salle A", "Tours", "https://exemple.org/a%20b")
    assert event.categories == ["Réemploi"]


def test_collecting_it_again_changes_nothing(factory, now):
    with transaction(factory) as session:
        source_id = add_source(session, name="S", url="http://127.0.0.1/a.ics", now=now).id
        upsert_events(session, source_id, [dirty_record()], now=now, tz=PARIS)
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, [dirty_record()], now=now, tz=PARIS)
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)


def test_two_uids_that_differ_only_by_controls_are_one_event(factory, now):
    with transaction(factory) as session:
        source_id = add_source(session, name="S", url="http://127.0.0.1/a.ics", now=now).id
        counts = upsert_events(session, source_id, [dirty_record("a\x00b"), dirty_record("ab")],
                               now=now, tz=PARIS)
    assert counts.new == 1 and [e.source_uid for e in stored(factory, source_id)] == ["ab"]


def test_a_published_proposal_goes_through_the_same_cleaning(factory, now):
    with transaction(factory) as session:
        source_id = add_source(session, name="Form", url="http://127.0.0.1/f", now=now).id
        put_event(session, source_id, dirty_record("P-1"), now=now, tz=PARIS)
    assert_clean(stored(factory, source_id)[0])


def test_a_source_with_control_characters_in_every_field_is_stored_cleaned(
        httpserver, factory, settings, now):
    body = (DATA / "control_characters_in_every_field.ics").read_bytes()
    assert b"\x00" in body and b"\x1b" in body
    httpserver.expect_request("/dirty.ics").respond_with_data(body, content_type="text/calendar")
    with transaction(factory) as session:
        source_id = add_source(session, name="Dirty", url=httpserver.url_for("/dirty.ics"),
                               now=now).id
    outcome = refresh_source(factory, source_id, now=now, settings=settings)
    assert (outcome.outcome, outcome.new) == ("ok", 2), outcome.error
    events = {e.source_uid: e for e in stored(factory, source_id)}
    for event in events.values():
        assert_clean(event)
    dirty = events["dirty-1@exemple.org[31m"]  # ESC goes, the printable rest stays
    assert dirty.title == "Forum de l'ESS]0;pwned CIGAM café"
    assert dirty.city == "Tours" and dirty.url == "https://exemple.org/forum?a=1"
    assert events["clean-2@exemple.org"].title == "Repair café \U0001f468\u200d\U0001f469\u200d\U0001f467"


def test_an_actor_is_created_and_found_by_its_cleaned_name(factory):
    with transaction(factory) as session:
        dirty = get_or_create_actor(session, "Cress\x00\u202e  Centre\x1b", kind="association",
                                    website=" https://cress.example.org/\x00a b")
        assert (dirty.name, dirty.website) == ("Cress Centre", "https://cress.example.org/a%20b")
        assert get_or_create_actor(session, "Cress Centre").id == dirty.id
