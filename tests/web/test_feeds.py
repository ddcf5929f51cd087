"""/calendar.ics, /feed.atom and /events/<id>.ics: identity, changes, cancellations, filters
shared with the API, validators and 304s, and bad query strings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta

import feedparser
import pytest
import vobject

from agenda.records import EventRecord, Location, Occurrence
from agenda.web.feeds.views import export_state
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

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(settings, engine, clock):
    return frozen_app(settings, clock)


@pytest.fixture
def client(app):
    return app.test_client()


def event(uid, title, month, day, hour=18, **fields) -> EventRecord:
    start = datetime(2027 if month < 6 else 2026, month, day, hour, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=title, start=start, end=start + timedelta(hours=2),
                       timezone="Europe/Paris",
                       occurrences=[Occurrence(start, start + timedelta(hours=2))], **fields)


RECORDS = [
    event("repair", "Repair café vélo", 12, 5, themes=("reemploi",),
          location=Location(name="Ressourcerie", city="Tours", postcode="37000",
                            department="37"),
          description_html="<p>Apportez vos <strong>vélos</strong></p>",
          description_text="Apportez vos vélos"),
    event("forum", "Forum de l'emploi solidaire", 12, 7, themes=("emploi-insertion",),
          location=Location(city="Orléans", department="45")),
    event("webinaire", "Webinaire finance solidaire", 12, 9, themes=("finance-solidaire",),
          online_url="https://visio.exemple.org/ess"),
    event("hostile", "<script>alert(1)</script> & </title>]]>", 12, 11,
          description_html="<p>ok</p><script>alert(2)</script><img src=x onerror=alert(3)>",
          location=Location(city="Tours", department="37")),
]


@pytest.fixture
def source_id(factory):
    source_id = new_source(factory)
    collect(factory, source_id, RECORDS)
    return source_id


def uids(body: bytes) -> dict[str, str]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return {e.summary.value: e.uid.value for e in calendar.vevent_list}


def field_of(body: bytes, title: str, name: str) -> str:
    calendar = vobject.readOne(body.decode("utf-8"))
    event = next(e for e in calendar.vevent_list if e.summary.value == title)
    return getattr(event, name).value


def fresh(app) -> None:
    """Forget every cached VEVENT and response, as a new process would."""
    with app.app_context():
        export_state().responses.clear()
        export_state().exporter.vevents.clear()


# --- Identity and changes --------------------------------------------------------------------

def test_uids_are_stable_across_generations_and_collections(app, client, factory, source_id):
    first = uids(client.get("/calendar.ics").data)
    fresh(app)
    assert uids(client.get("/calendar.ics").data) == first
    collect(factory, source_id, list(RECORDS), now=NOW + timedelta(hours=1))  # collected again
    fresh(app)
    assert uids(client.get("/calendar.ics").data) == first
    assert len(set(first.values())) == len(RECORDS)


def test_a_parsed_series_keeps_its_uid_and_etag_when_collected_again(client, factory):
    source_id = new_source(factory)
    collect(factory, source_id, records_of(sample("weekly_exdate_moved_override.ics")))
    first = client.get("/calendar.ics")
    later = NOW + timedelta(hours=3)
    counts = collect(factory, source_id,
                     records_of(sample("weekly_exdate_moved_override.ics"), now=later), now=later)
    assert counts.unchanged == 3
    again = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # nothing changed: same body, same ETag
    assert set(uids(client.get("/calendar.ics").data).values()) == \
        set(uids(first.data).values())


def test_sequence_and_last_modified_grow_when_an_event_changes(client, factory, source_id, clock):
    before = client.get("/calendar.ics").data
    changed = [replace(RECORDS[0], title="Repair café vélo (nouvel horaire)"), *RECORDS[1:]]
    clock.now = NOW + timedelta(hours=2)
    collect(factory, source_id, changed, now=clock.now)
    after = client.get("/calendar.ics").data
    assert int(field_of(before, "Repair café vélo", "sequence")) == 0
    assert int(field_of(after, "Repair café vélo (nouvel horaire)", "sequence")) == 1
    assert field_of(after, "Repair café vélo (nouvel horaire)", "last_modified") == clock.now
    assert uids(after)["Repair café vélo (nouvel horaire)"] == uids(before)["Repair café vélo"]
    assert field_of(after, "Forum de l'emploi solidaire", "sequence") == "0"


@pytest.mark.parametrize("query", ["", "from=2026-11-04&to=2026-11-04"])
def test_an_override_goes_out_with_its_master_and_its_uid(client, factory, query):
    """The whole series, even when only the moved override has a date in the window."""
    collect(factory, new_source(factory), records_of(sample("weekly_exdate_moved_override.ics")))
    body = client.get(f"/calendar.ics?{query}").data
    events = vobject.readOne(body.decode("utf-8")).vevent_list
    assert len(events) == 3 and len({e.uid.value for e in events}) == 1
    assert sum("recurrence-id" in e.contents for e in events) == 2


# --- Cancelled and removed events ------------------------------------------------------------

LATER = [event("gone", "Retiré par sa source", 3, 10), event("off", "Annulé", 3, 12,
                                                            status="cancelled"),
         event("kept", "Maintenu", 3, 14)]


@pytest.mark.parametrize("days, listed", [(0, {"Retiré par sa source", "Annulé", "Maintenu"}),
                                          (29, {"Retiré par sa source", "Annulé", "Maintenu"}),
                                          (31, {"Maintenu"})])
def test_cancelled_and_removed_go_out_cancelled_for_30_days(client, factory, clock, days,
                                                            listed):
    source_id = new_source(factory)
    collect(factory, source_id, LATER)
    collect(factory, source_id, LATER[1:])  # 'gone' disappears from its source
    clock.now = NOW + timedelta(days=days)
    body = client.get("/calendar.ics").data
    calendar = vobject.readOne(body.decode("utf-8"))
    found = {e.summary.value: e for e in getattr(calendar, "vevent_list", [])}
    assert set(found) == listed
    if "Annulé" in found:
        assert found["Annulé"].status.value == found["Retiré par sa source"].status.value \
            == "CANCELLED"
        assert found["Retiré par sa source"].sequence.value == "1"
    assert found["Maintenu"].status.value == "CONFIRMED"


def test_one_events_calendar_and_its_errors(client, factory, source_id):
    repair = uids(client.get("/calendar.ics").data)["Repair café vélo"].split("@")[0]
    response = client.get(f"/events/{repair}.ics")
    assert response.status_code == 200 and response.content_type.startswith("text/calendar")
    assert "attachment" in response.headers["Content-Disposition"]
    assert list(uids(response.data)) == ["Repair café vélo"]
    assert client.get(f"/events/{repair}.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get("/events/0123456789abcdef0123.ics").status_code == 404
    assert client.get("/events/..%2F..%2Fetc%2Fpasswd.ics").status_code == 404
    assert client.get("/events/%00.ics").status_code == 404
    collect(factory, source_id, RECORDS[1:])  # removed from its source
    gone = client.get(f"/events/{repair}.ics")
    assert gone.status_code == 410 and gone.content_type.startswith("text/plain")


# --- Filters: the three twins agree ----------------------------------------------------------

def ics_titles(client, query) -> set[str]:
    body = client.get(f"/calendar.ics?{query}").data
    return {m.decode() for m in re.findall(rb"^SUMMARY:(.*)\r$", body, re.MULTILINE)}


def atom_titles(client, query) -> set[str]:
    root = ET.fromstring(client.get(f"/feed.atom?{query}").data)
    return {e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")}


def api_titles(client, query) -> set[str]:
    return {i["title"] for i in client.get(f"/api/events?{query}").get_json()["items"]}


@pytest.mark.parametrize("query, titles", [
    ("", {"Repair café vélo", "Forum de l'emploi solidaire", "Webinaire finance solidaire",
          "<script>alert(1)</script> & </title>]]>"}),
    ("dept=37", {"Repair café vélo", "<script>alert(1)</script> & </title>]]>"}),
    ("dept=37&dept=45", {"Repair café vélo", "Forum de l'emploi solidaire",
                         "<script>alert(1)</script> & </title>]]>"}),
    ("theme=reemploi", {"Repair café vélo"}),
    ("city=orléans", {"Forum de l'emploi solidaire"}),
    ("mode=online", {"Webinaire finance solidaire"}),
    ("q=v%C3%A9lo", {"Repair café vélo"}),
    ("from=2026-12-08&to=2026-12-10", {"Webinaire finance solidaire"}),
])
def test_the_three_twins_apply_the_same_filters(client, source_id, query, titles):
    window = "from=2026-12-01&to=2026-12-31&"
    query = query if query.startswith("from") else window + query
    assert ics_titles(client, query) == titles
    assert atom_titles(client, query) == titles
    assert api_titles(client, query) == titles


def test_source_filter(client, factory, source_id):
    other = new_source(factory, name="Autre")
    collect(factory, other, [event("x", "Ailleurs", 12, 6)])
    query = f"from=2026-12-01&to=2026-12-31&source={other}"
    assert ics_titles(client, query) == atom_titles(client, query) == {"Ailleurs"}


# --- Atom -------------------------------------------------------------------------------------

def test_atom_is_valid_and_escaped(client, source_id):
    response = client.get("/feed.atom?from=2026-12-01")
    assert response.content_type == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert b"<script" not in response.data and b"onerror" not in response.data
    root = ET.fromstring(response.data)
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert rels["self"] == "http://localhost/feed.atom?from=2026-12-01"
    assert rels["alternate"] == "http://localhost/?from=2026-12-01"
    entries = {e.findtext(f"{ATOM}title"): e for e in root.iter(f"{ATOM}entry")}
    repair = entries["Repair café vélo"]
    assert repair.findtext(f"{ATOM}summary") == \
        "samedi 5 décembre 2026, 18\u00a0h – 20\u00a0h · Ressourcerie, 37000 Tours (37)"
    assert repair.find(f"{ATOM}link").get("href").startswith("http://localhost/evenements/")
    assert repair.find(f"{ATOM}content").get("type") == "html"
    assert repair.find(f"{ATOM}category").get("term") == "reemploi"
    hostile = entries["<script>alert(1)</script> & </title>]]>"]
    assert "<script>" not in hostile.findtext(f"{ATOM}content")
    for entry in root.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name


# --- Validators, 304 and the cache -----------------------------------------------------------

@pytest.mark.parametrize("path", ["/calendar.ics", "/feed.atom?from=2026-12-01",
                                  "/api/events?from=2026-12-01"])
def test_etag_304_and_a_new_etag_after_a_change(client, factory, source_id, clock, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    clock.now = NOW + timedelta(minutes=5)
    collect(factory, source_id, [replace(RECORDS[0], title="Repair café vélo !"), *RECORDS[1:]],
            now=clock.now)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Repair café vélo !" in changed.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/calendar.ics", "/feed.atom"])
def test_last_modified_and_if_modified_since(client, source_id, path):
    first = client.get(path)
    stamp = first.headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": stamp}).status_code == 304
    assert client.get(path, headers={
        "If-Modified-Since": "Sat, 21 Nov 2026 08:00:00 GMT"}).status_code == 200


def test_a_rebuilt_response_is_byte_for_byte_the_same(app, client, source_id):
    first = client.get("/calendar.ics")
    fresh(app)
    again = client.get("/calendar.ics")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]


def test_the_day_changes_the_window(client, factory, clock):
    collect(factory, new_source(factory), [event("soon", "Bientôt", 11, 25)])
    assert "Bientôt" in client.get("/calendar.ics").get_data(as_text=True)
    clock.now = NOW + timedelta(days=40)  # 30 days after it: out of the default window
    assert "Bientôt" not in client.get("/calendar.ics").get_data(as_text=True)


# --- Bad query strings -----------------------------------------------------------------------

HOSTILE = ["from=2026-13-01", "to=demain", "from=2026-11-30&to=2026-11-01", "dept=75",
           "dept=%27%3B%20DROP%20TABLE%20events%3B--", "theme=%3Cscript%3E", "mode=both",
           "q=%00", "city=Tours%1B%5B31m", "q=%7F", "q=" + "x" * 201, "source=%C2%B2",
           "source=" + "9" * 5000, "source=-1", "sort=price", "from=0001-01-01",
           "q=" + "%C3%A9" * 700, "dept=" + "&dept=".join(str(n) for n in range(30))]


@pytest.mark.parametrize("path", ["/calendar.ics", "/feed.atom"])
@pytest.mark.parametrize("query", HOSTILE)
def test_bad_query_strings_are_400_with_a_sentence(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.content_type == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True).strip()
    assert text.endswith(".") and len(text) < 300


def test_a_collection_committing_after_a_later_one_is_not_hidden_by_the_cache(
        app, client, factory, clock):
    """Two workers: B started later but committed first; A's changes carry older timestamps.
    The export must still change (the data-change counter is bumped in commit order)."""
    search = app.extensions["agenda"].search

    def collect_and_index(source_id, records, now):
        collect(factory, source_id, records, now=now)
        with factory() as session:  # as the orchestrator's index stage does
            search.sync(session, source_id)

    later, earlier = new_source(factory, name="B"), new_source(factory, name="A")
    collect_and_index(later, [RECORDS[1]], NOW + timedelta(minutes=5))
    first = client.get("/calendar.ics")
    assert "Repair café vélo" not in first.get_data(as_text=True)
    # an earlier event, with an older stamp, committed last: no max() moves
    collect_and_index(earlier, [RECORDS[0]], NOW)
    second = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"],
                                                  "If-Modified-Since": first.headers["Last-Modified"]})
    assert second.status_code == 200
    assert "Repair café vélo" in second.get_data(as_text=True)
