"""Feeds of a merged event: one confirmed VEVENT under the listed event's UID, the copy's UID
CANCELLED (SEQUENCE bumped) for 30 days after the merge, then gone; never two UIDs confirmed
for one event.  The copy's own calendar answers with the listed event's."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from types import SimpleNamespace

import pytest
import vobject

from agenda.db import transaction
from agenda.export.series import export_items
from agenda.models import Event
from agenda.search.stage import open_search
from tests.export.collecting import NOW, PARIS, Clock, frozen_app
from tests.store.merged import add_events, forum, merge_into, split

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/calendar.ics", "/calendar.ics?dept=45", "/calendar.ics?theme=emploi-insertion",
         "/calendar.ics?q=forum"]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(settings, engine, clock):
    return frozen_app(settings, clock).test_client()


@pytest.fixture
def forum_ids(factory):
    """The forum announced by its organiser first (listed) and by the CRESS (the copy)."""
    listed, = add_events(factory, "Organisateur", [forum("forum-2026")])
    copy, = add_events(factory, "CRESS", [forum("cress-17", "Forum ESS 2026")],
                       now=NOW + timedelta(minutes=1))
    return listed, copy


def vevents(client, path: str) -> dict[str, list]:
    """UID -> its VEVENTs in the feed at ``path``."""
    response = client.get(path)
    assert response.status_code == 200
    calendar = vobject.readOne(response.data.decode("utf-8"))
    found: dict[str, list] = {}
    for item in getattr(calendar, "vevent_list", []):
        found.setdefault(item.uid.value, []).append(item)
    return found


def status(item) -> str:
    return item.status.value if hasattr(item, "status") else "CONFIRMED"


def uid(event_id: str) -> str:
    return f"{event_id}@agenda-commun"


@pytest.mark.parametrize("path", FEEDS)
def test_a_merge_cancels_the_copys_uid_and_keeps_the_listed_one(client, factory, clock,
                                                                forum_ids, path):
    listed, copy = forum_ids
    before = vevents(client, path)
    assert {status(before[uid(listed)][0]), status(before[uid(copy)][0])} == {"CONFIRMED"}
    clock.now = NOW + timedelta(hours=1)
    merge_into(factory, copy, listed, now=clock.now)
    after = vevents(client, path)
    assert [status(v) for v in after[uid(listed)]] == ["CONFIRMED"]
    assert [status(v) for v in after[uid(copy)]] == ["CANCELLED"]
    assert int(after[uid(copy)][0].sequence.value) > int(before[uid(copy)][0].sequence.value)
    confirmed = [u for u, items in after.items() if any(status(v) != "CANCELLED" for v in items)]
    assert confirmed == [uid(listed)]


@pytest.mark.parametrize("days, present", [(29, True), (31, False)])
def test_the_copys_uid_is_dropped_after_the_grace_period(client, factory, clock, forum_ids,
                                                         days, present):
    listed, copy = forum_ids
    merge_into(factory, copy, listed, now=NOW)
    clock.now = NOW + timedelta(days=days)
    found = vevents(client, "/calendar.ics?from=2026-11-01")
    assert (uid(copy) in found) is present
    assert [status(v) for v in found.get(uid(copy), [])] == (["CANCELLED"] if present else [])


def test_a_split_brings_the_copys_uid_back_with_a_higher_sequence(client, factory, clock,
                                                                  settings, forum_ids):
    listed, copy = forum_ids
    merge_into(factory, copy, listed, now=NOW)
    cancelled = vevents(client, "/calendar.ics")[uid(copy)][0]
    clock.now = NOW + timedelta(hours=2)
    split(factory, copy, now=clock.now)
    with transaction(factory) as session:  # as the split service does after its commit
        open_search(settings).index(session, [copy, listed])
    back = vevents(client, "/calendar.ics")[uid(copy)][0]
    assert status(back) == "CONFIRMED"
    assert int(back.sequence.value) > int(cancelled.sequence.value)


def test_the_copys_own_calendar_is_the_listed_events(client, factory, forum_ids):
    listed, copy = forum_ids
    merge_into(factory, copy, listed, now=NOW)
    response = client.get(f"/events/{copy}.ics")
    assert response.status_code == 200
    found = vevents(client, f"/events/{copy}.ics")
    assert list(found) == [uid(listed)] and status(found[uid(listed)][0]) == "CONFIRMED"
    assert list(vevents(client, f"/events/{listed}.ics")) == [uid(listed)]


def test_a_copy_of_a_removed_event_is_gone_too(client, factory, forum_ids):
    listed, copy = forum_ids
    merge_into(factory, copy, listed, now=NOW)
    with transaction(factory) as session:  # the organiser's source drops its forum
        session.get(Event, listed).removed_at = NOW
    assert client.get(f"/events/{copy}.ics").status_code == 410


def test_atom_and_the_api_list_a_merged_event_once(client, factory, forum_ids):
    listed, copy = forum_ids
    merge_into(factory, copy, listed, now=NOW)
    root = ET.fromstring(client.get("/feed.atom").data)
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert len(links) == 1 and listed in links[0]
    api = client.get("/api/events").get_json()
    assert api["total"] == 1 and [i["event_id"] for i in api["items"]] == [listed]
    assert not re.search(copy, client.get("/feed.atom").get_data(as_text=True))


# --- Series (agenda.export.series, pure) -----------------------------------------------------

def row(id, rid="", *, merged_days=None, removed_days=None, uid="series"):
    """A stored event as the export reads it; ``merged_days``: merged that long ago."""
    def ago(days):
        return NOW - timedelta(days=days) if days is not None else None

    return SimpleNamespace(
        id=id, source_id=1, source_uid=uid, recurrence_id=rid, status="confirmed",
        removed_at=ago(removed_days), updated_at=NOW - timedelta(days=40),
        created_at=NOW - timedelta(days=90), start_at=NOW + timedelta(days=10), all_day=False,
        timezone="Europe/Paris", sequence=1, duplicate_of="listed" if merged_days is not None
        else None, merged_at=ago(merged_days))


def written(rows):
    return [(i.row.id, i.uid.split("@")[0], i.cancelled)
            for i in export_items(rows, cutoff=NOW - timedelta(days=30), default_tz=PARIS)]


@pytest.mark.parametrize("days, out", [(2, [("m", "m", True), ("o", "m", True)]), (31, [])])
def test_a_merged_series_goes_out_cancelled_whole_then_not_at_all(days, out):
    assert written([row("m", merged_days=days), row("o", rid="20261208T170000Z")]) == out


def test_a_merged_override_cancels_its_date_in_its_live_series_for_good():
    """The listed event carries that date: the series must not hold it as well."""
    rows = [row("m"), row("o", rid="20261208T170000Z", merged_days=200)]
    assert written(rows) == [("m", "m", False), ("o", "m", True)]


def test_a_copy_removed_then_merged_counts_from_the_first():
    assert written([row("m", removed_days=40, merged_days=2)]) == []
