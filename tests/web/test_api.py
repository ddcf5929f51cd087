"""The JSON API: occurrences in a window with the listing's filters, sorted, paginated, with
their links; sources with their health; the OpenAPI description; bad input is a 400."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from agenda.web import create_app

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def client(settings, engine):
    app = create_app(settings)
    app.config["TESTING"] = True
    return app.test_client()


def timed(uid, title, day, hour=18, **fields):
    start = datetime(2026, 11, day, hour, 0, tzinfo=PARIS)
    end = start + timedelta(hours=2)
    return EventRecord(source_uid=uid, title=title, start=start, end=end,
                       occurrences=[Occurrence(start, end)], **fields)


@pytest.fixture
def source_id(factory, now):
    records = [
        timed("a", "Repair café", 25, timezone="Europe/Paris", categories=("Réemploi",),
              themes=("reemploi",),
              location=Location(name="Ressourcerie", city="Tours", postcode="37000",
                                department="37"),
              description_html="<p>Apportez vos objets <strong>cassés</strong></p>"),
        timed("b", "Forum annulé", 24, status="cancelled"),
        timed("c", "Conférence", 26, hour=9),
        EventRecord(source_uid="d", title="Festival", start=date(2026, 11, 27),
                    end=date(2026, 11, 30), all_day=True,
                    occurrences=[Occurrence(date(2026, 11, 27), date(2026, 11, 30), True)]),
        timed("gone", "Retiré", 25),
    ]
    with transaction(factory) as session:
        sid = add_source(session, name="Tiers-lieu", url="http://127.0.0.1/t.ics", now=now).id
        upsert_events(session, sid, records, now=now, tz=PARIS)
    with transaction(factory) as session:  # 'gone' disappears from its source
        upsert_events(session, sid, records[:-1], now=now, tz=PARIS)
    return sid


def test_events_in_a_window_sorted_by_start(client, source_id):
    body = client.get("/api/events?from=2026-11-20&to=2026-11-30").get_json()
    assert body["total"] == 4
    assert [i["title"] for i in body["items"]] == ["Forum annulé", "Repair café", "Conférence",
                                                   "Festival"]


def test_an_item_carries_what_a_client_needs(client, source_id):
    items = client.get("/api/events?from=2026-11-25&to=2026-11-25").get_json()["items"]
    [item] = [i for i in items if i["title"] == "Repair café"]
    assert item["start"] == "2026-11-25T18:00:00+01:00"
    assert item["end"] == "2026-11-25T20:00:00+01:00"
    assert item["timezone"] == "Europe/Paris" and item["all_day"] is False
    assert item["location"]["department"] == "37" and item["location"]["city"] == "Tours"
    assert item["categories"] == ["Réemploi"]
    assert item["description"] == "<p>Apportez vos objets <strong>cassés</strong></p>"
    assert item["sources"] == [{"id": source_id, "name": "Tiers-lieu",
                                "url": "http://127.0.0.1/t.ics"}]
    assert item["id"].startswith(item["event_id"])


def test_all_day_events_have_dates(client, source_id):
    items = client.get("/api/events?from=2026-11-28&to=2026-11-28").get_json()["items"]
    assert [(i["start"], i["end"], i["all_day"]) for i in items] == [
        ("2026-11-27", "2026-11-30", True)]  # still running on the 28th


def test_cancelled_stay_listed_removed_do_not(client, source_id):
    items = client.get("/api/events?from=2026-11-24&to=2026-11-25").get_json()["items"]
    statuses = {i["title"]: i["status"] for i in items}
    assert statuses["Forum annulé"] == "cancelled"
    assert "Retiré" not in statuses


def test_pagination(client, source_id):
    first = client.get("/api/events?from=2026-11-20&to=2026-11-30&per_page=3&page=1").get_json()
    second = client.get("/api/events?from=2026-11-20&to=2026-11-30&per_page=3&page=2").get_json()
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1


def test_filter_by_source(client, source_id):
    assert client.get(f"/api/events?from=2026-11-20&to=2026-11-30&source={source_id + 1}") \
        .get_json()["total"] == 0


@pytest.mark.parametrize("query", [
    "from=2026-13-01", "from=hier", "to=2026-02-30", "from=2026-11-30&to=2026-11-01",
    "from=0001-01-01", "from=1000-01-01&to=9999-01-01", "page=0", "page=abc",
    "per_page=100000", "source=x", "source=-1", "from=" + "9" * 5000,
    "page=%C2%B2", "per_page=" + "9" * 5000, "source=%C2%B2", "dept=75", "theme=inconnu",
    "mode=both", "sort=price", "q=%00", "city=a%08b", "q=" + "x" * 201, "q=" + "x" * 2100,
    "dept=%27%3B%20DROP%20TABLE%20events%3B--",
])
def test_bad_queries_are_400_with_a_sentence(client, source_id, query):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"].endswith(".")


def test_sources_with_health_and_counts(client, source_id):
    [item] = client.get("/api/sources").get_json()["items"]
    assert item["id"] == source_id and item["event_count"] == 4
    assert item["status"] == "never" and item["kind"] == "auto"
    for field in ("last_success_at", "last_error", "consecutive_failures", "next_run_at"):
        assert field in item


def test_home_page_lists_upcoming_events_escaped(client, factory, now):
    soon = datetime.now(PARIS).replace(microsecond=0) + timedelta(days=2)
    record = EventRecord(source_uid="x", title="<script>alert(1)</script>Forum", start=soon,
                         end=soon + timedelta(hours=1),
                         occurrences=[Occurrence(soon, soon + timedelta(hours=1))])
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, [record], now=now, tz=PARIS)
    page = client.get("/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Forum" in page
    assert "<script>alert" not in page


def test_items_carry_their_themes_and_links(client, source_id):
    body = client.get("/api/events?from=2026-11-25&to=2026-11-25&per_page=1").get_json()
    assert (body["page"], body["per_page"], body["from"], body["to"]) == \
        (1, 1, "2026-11-25", "2026-11-25")
    [item] = body["items"]
    assert item["themes"] == ["reemploi"]
    assert item["page_url"] == f"http://localhost/evenements/{item['event_id']}"
    assert item["ics_url"] == f"http://localhost/events/{item['event_id']}.ics"


def test_filters_as_the_pages_take_them(client, source_id):
    def titles(query):
        return [i["title"] for i in client.get(f"/api/events?from=2026-11-20&to=2026-11-30&"
                                               f"{query}").get_json()["items"]]
    assert titles("dept=37") == ["Repair café"]
    assert titles("theme=reemploi") == ["Repair café"]
    assert titles("city=tours") == ["Repair café"]
    assert titles("q=repair") == ["Repair café"]
    assert titles("q=inexistant") == []


def test_answers_have_an_etag_and_304(client, source_id):
    first = client.get("/api/sources")
    etag = first.headers["ETag"]
    again = client.get("/api/sources", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


# --- The OpenAPI description --------------------------------------------------------------

PARAMETERS = {"from", "to", "q", "dept", "commune", "city", "theme", "source", "actor", "mode",
              "sort", "page", "per_page"}


def test_openapi_lists_every_parameter(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.content_type == "application/json"
    document = json.loads(response.data)
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/events"]["get"]
    names = {resolve(document, p)["name"] for p in operation["parameters"]}
    assert names == PARAMETERS
    for path in ("/calendar.ics", "/feed.atom"):
        names = {resolve(document, p)["name"] for p in document["paths"][path]["get"]
                 ["parameters"]}
        assert names == PARAMETERS - {"page", "per_page"}
    dept = document["components"]["parameters"]["dept"]["schema"]["items"]
    assert "37" in dept["enum"] and "75" not in dept["enum"]


def test_openapi_describes_the_real_answers(client, source_id):
    document = client.get("/api/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    body = client.get("/api/events?from=2026-11-20&to=2026-11-30").get_json()
    assert set(body) == set(schemas["EventList"]["properties"])
    for item in body["items"]:
        assert set(item) == set(schemas["Occurrence"]["properties"])
        assert set(item["location"]) == set(schemas["Location"]["properties"])
    [source] = client.get("/api/sources").get_json()["items"]
    assert set(source) == set(schemas["Source"]["properties"])
    error = client.get("/api/events?dept=75").get_json()
    assert set(error) == set(schemas["Error"]["properties"])


def resolve(document: dict, node: dict) -> dict:
    if "$ref" not in node:
        return node
    target = document
    for part in node["$ref"].lstrip("#/").split("/"):
        target = target[part]
    return target
