"""Feeds of a merged event: one confirmed VEVENT under the listed event's UID, the copy's UID
CANCELLED (SEQUENCE bumped) for 30 days after the merge, then gone; never two UIDs confirmed
for one event.  The copy's own calendar answers with the listed event's."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import vobject

from agenda.db import transaction
from agenda.models import Event
from agenda.search.stage import open_search
from tests.export.collecting import NOW, Clock, frozen_app
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
