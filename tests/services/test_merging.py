"""Merging is soft and keeps provenance: one listed event (the earliest copy), each field from
the best copy, every copy's row kept and pointing to it, staff decisions remembered."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import AuditEntry, Event, MatchPair, Source
from agenda.records import EventRecord, Location, Occurrence
from agenda.services import merging
from agenda.store import match_pairs
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 18, 14, 0, tzinfo=PARIS)


def forum(uid: str, title: str = "Forum L'ESS recrute", **fields) -> EventRecord:
    start = fields.pop("start", START)
    end = fields.pop("end", start + timedelta(hours=4))
    location = fields.pop("location", Location(name="Salle des fêtes", city="Tours",
                                               postcode="37000"))
    return EventRecord(source_uid=uid, title=title, start=start, end=end, location=location,
                       occurrences=[Occurrence(start, end)], **fields)


@pytest.fixture
def sources(factory, now):
    with transaction(factory) as session:
        return [add_source(session, name=name, url=f"http://127.0.0.1/{n}.ics", now=now).id
                for n, name in enumerate(("CRESS", "Coop'Actions", "Réseau du Perche"))]


def collect(factory, source_id, records, now):
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, records, now=now, tz=PARIS)
        return counts.changed_ids


def row(factory, event_id) -> Event:
    with transaction(factory) as session:
        return session.get(Event, event_id)


def merge(factory, a, b, now):
    with transaction(factory) as session:
        return merging.merge(session, a, b, now=now)


def test_the_earliest_copy_is_listed_and_the_other_points_to_it(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a")], now)
    [second] = collect(factory, sources[1], [forum("b", title="Forum ESS recrute (Tours)")],
                       now + timedelta(hours=1))
    touched = merge(factory, first, second, now + timedelta(hours=2))
    assert touched == {first, second}
    head, copy = row(factory, first), row(factory, second)
    assert head.duplicate_of is None and copy.duplicate_of == first
    assert copy.merged_at == now + timedelta(hours=2)
    assert copy.title == "Forum ESS recrute (Tours)"  # a copy keeps its own values
    assert head.own_values["title"] == "Forum L'ESS recrute"


def test_each_group_of_fields_comes_from_the_best_copy_that_has_it(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a", description_text="")], now)
    [second] = collect(factory, sources[1], [forum(
        "b", description_html="<p>Venez avec votre CV.</p>",
        description_text="Venez avec votre CV.", image_url="https://coop.example/forum.jpg",
        location=Location(name="Salle des fêtes", address="1 place Jean-Jaurès",
                          city="Tours", postcode="37000"))], now + timedelta(hours=1))
    with transaction(factory) as session:  # staff trust the second source more
        session.get(Source, sources[1]).priority = 5
    merge(factory, first, second, now)
    head = row(factory, first)
    assert head.description_text == "Venez avec votre CV."
    assert head.image_url == "https://coop.example/forum.jpg"
    assert head.address == "1 place Jean-Jaurès"  # the place comes whole from one copy


def test_a_change_at_the_listed_copys_source_keeps_the_merge(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a")], now)
    [second] = collect(factory, sources[1], [forum("b", organizer="CRESS")],
                       now + timedelta(hours=1))
    merge(factory, first, second, now)
    later = now + timedelta(days=1)
    changed = collect(factory, sources[0], [forum("a", title="Forum L'ESS recrute 2026",
                                                  organizer="CRESS")], later)
    with transaction(factory) as session:
        merging.match_events(session, changed, now=later, tz=PARIS)
    head = row(factory, first)
    assert head.own_values["title"] == "Forum L'ESS recrute 2026"
    assert head.title == "Forum L'ESS recrute 2026"  # the organiser's own source gives it
    assert row(factory, second).duplicate_of == first
    assert row(factory, second).duplicate_of == first


def test_when_the_listed_copy_is_removed_the_next_one_is_listed(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a")], now)
    [second] = collect(factory, sources[1], [forum("b", title="Forum ESS")],
                       now + timedelta(hours=1))
    merge(factory, first, second, now)
    with transaction(factory) as session:
        counts = upsert_events(session, sources[0], [], now=now, tz=PARIS)
        merging.match_events(session, [], removed_ids=counts.removed_ids, now=now, tz=PARIS)
    old, new = row(factory, first), row(factory, second)
    assert new.duplicate_of is None and new.title == "Forum ESS"
    assert old.duplicate_of == second  # its old page still leads to the event
    assert old.title == "Forum L'ESS recrute"  # its own values back


def test_staff_split_a_copy_out_and_it_is_never_merged_again(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a")], now)
    [second] = collect(factory, sources[1], [forum("b")], now + timedelta(hours=1))
    merge(factory, first, second, now)
    with transaction(factory) as session:
        touched = merging.split_copy(session, second, who="staff@example.org", now=now)
    assert touched == {first, second}
    assert row(factory, second).duplicate_of is None
    head = row(factory, first)
    assert head.duplicate_of is None and not head.own_values
    with transaction(factory) as session:
        pair = match_pairs.pair_between(session, first, second)
        assert pair.state == "refused" and pair.decided_by == "staff@example.org"
        assert merging._may_join(session, first, second) is False
        audit = session.scalars(select(AuditEntry)).one()
        assert audit.action == "match_split"


def test_splitting_the_listed_copy_leaves_the_others_merged(factory, sources, now):
    ids = [collect(factory, s, [forum(f"e{n}")], now + timedelta(minutes=n))[0]
           for n, s in enumerate(sources)]
    merge(factory, ids[0], ids[1], now)
    merge(factory, ids[0], ids[2], now)
    with transaction(factory) as session:
        merging.split_copy(session, ids[0], who="staff@example.org", now=now)
    assert row(factory, ids[0]).duplicate_of is None
    assert row(factory, ids[1]).duplicate_of is None
    assert row(factory, ids[2]).duplicate_of == ids[1]


def test_confirm_and_refuse_decide_a_pending_pair_once(factory, sources, now):
    [first] = collect(factory, sources[0], [forum("a")], now)
    [second] = collect(factory, sources[1], [forum("b")], now + timedelta(hours=1))
    [third] = collect(factory, sources[2], [forum("c")], now + timedelta(hours=2))
    with transaction(factory) as session:
        one = match_pairs.save_pair(session, first, second, score=0.8, reasons={},
                                    state="pending", now=now)
        two = match_pairs.save_pair(session, first, third, score=0.7, reasons={},
                                    state="pending", now=now)
        session.flush()
        one_id, two_id = one.id, two.id
        assert match_pairs.count_pending(session) == 2
    with transaction(factory) as session:
        assert merging.confirm_pair(session, one_id, who="staff@example.org", now=now)
        assert merging.refuse_pair(session, two_id, who="staff@example.org", now=now)
    with transaction(factory) as session:
        assert merging.confirm_pair(session, one_id, who="staff@example.org", now=now) is None
        assert merging.refuse_pair(session, two_id, who="staff@example.org", now=now) is False
        assert match_pairs.count_pending(session) == 0
        states = {p.id: p.state for p in session.scalars(select(MatchPair))}
        actions = sorted(a.action for a in session.scalars(select(AuditEntry)))
    assert states == {one_id: "merged", two_id: "refused"}
    assert actions == ["match_confirm", "match_refuse"]
    assert row(factory, second).duplicate_of == first
    assert row(factory, third).duplicate_of is None


def test_two_events_of_one_source_never_join_without_staff(factory, sources, now):
    first, second = collect(factory, sources[0], [forum("a"), forum("b")], now)
    [third] = collect(factory, sources[1], [forum("c")], now)
    merge(factory, first, third, now)
    with transaction(factory) as session:
        assert merging._may_join(session, second, third) is False
