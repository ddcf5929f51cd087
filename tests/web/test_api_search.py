"""/api/search, /api/actors/<id> and /api/initiatives/<id>: the JSON twin of /search and one
record with its links; errors as JSON; all three in the OpenAPI description."""

from __future__ import annotations

import dataclasses
import json

import pytest

from agenda.web import create_app
from agenda.web.finder.results import current_finder
from agenda.web.shared import dates
from tests.finder.directory import store_directory
from tests.web.pages import NOW
from tests.web.test_api import resolve


@pytest.fixture
def directory(calendar, factory):
    return store_directory(factory, event_ids=calendar.ids)


def test_the_search_answers_the_shape_of_the_issue(client, directory):
    response = client.get("/api/search?q=solidaire")
    assert response.status_code == 200 and response.content_type == "application/json"
    assert response.headers["ETag"]
    body = response.get_json()
    assert set(body) == {"total", "items", "facets"} and body["total"] == 4
    assert body["facets"]["kind"] == {"event": 2, "initiative": 1, "actor": 1}
    assert set(body["facets"]) == {"kind", "theme", "dept"}
    assert body["facets"]["dept"]["45"] >= 1
    kinds = {item["kind"] for item in body["items"]}
    assert kinds == {"event", "initiative", "actor"}
    for item in body["items"]:
        assert {"kind", "id", "title", "url"} <= set(item)
        assert item["url"].startswith("http://localhost/")
    [actor] = [i for i in body["items"] if i["kind"] == "actor"]
    assert actor["title"] == "Mutuelle solidaire du Berry" and actor["structure"] == "mutual"
    event = next(i for i in body["items"] if i["kind"] == "event")
    assert event["start"].startswith("2026-11-2")


def test_the_search_takes_the_page_filters_and_pages(client, directory):
    body = client.get("/api/search?theme=reemploi&dept=37").get_json()
    assert [(i["kind"], i["title"]) for i in body["items"]] == [
        ("event", "Repair café"), ("initiative", "Atelier vélo solidaire"),
        ("actor", "Recyclerie des Coopératives")]
    page = client.get("/api/search?theme=reemploi&dept=37&offset=1&limit=1").get_json()
    assert page["total"] == 3 and [i["title"] for i in page["items"]] == [
        "Atelier vélo solidaire"]
    only = client.get("/api/search?kind=initiative&status=project").get_json()
    assert [i["id"] for i in only["items"]] == ["b2"] and only["items"][0]["department"] is None
    actors = client.get("/api/search?structure=association").get_json()
    assert actors["facets"]["kind"] == {"event": 0, "initiative": 0, "actor": 1}


@pytest.mark.parametrize("query", ["kind=place", "dept=75", "theme=x", "status=open",
                                   "offset=-1", "limit=0", "limit=101", "offset=abc",
                                   "commune=99999", "q=%00"])
def test_a_bad_parameter_is_a_json_400(client, directory, query):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400 and response.content_type == "application/json"
    assert set(response.get_json()) == {"error"} and response.get_json()["error"]


def test_an_actor_with_its_events_initiatives_and_networks(client, directory):
    actor_id = directory.actors["Recyclerie des Coopératives"]
    response = client.get(f"/api/actors/{actor_id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == actor_id and body["name"] == "Recyclerie des Coopératives"
    assert body["url"] == f"http://localhost/actors/{actor_id}"
    [event] = body["events"]["upcoming"]
    assert event["title"] == "Repair café" and event["start"].startswith("2026-11-25T17:00")
    assert event["url"] == f"http://localhost/evenements/{event['id']}"
    assert body["events"]["past"] == []
    assert [i["id"] for i in body["initiatives"]] == ["a1"]
    assert body["actors"] == []


def test_an_initiative_with_its_events_and_actors(client, directory):
    body = client.get("/api/initiatives/a1").get_json()
    assert body["title"] == "Atelier vélo solidaire" and body["starts_on"] == "2026-01-05"
    assert [e["title"] for e in body["events"]["upcoming"]] == ["Repair café"]
    assert [a["name"] for a in body["actors"]] == ["Recyclerie des Coopératives"]


@pytest.mark.parametrize("path", ["/api/actors/999999", "/api/actors/abc", "/api/actors/0",
                                  "/api/initiatives/zz", "/api/initiatives/ffff"])
def test_an_unknown_record_is_a_json_404(client, directory, path):
    response = client.get(path)
    assert response.status_code == 404 and response.content_type == "application/json"
    assert response.get_json()["error"]


def test_hidden_actors_and_withdrawn_initiatives_are_not_served(client, directory):
    hidden = directory.actors["Association en attente"]  # still proposed
    assert client.get(f"/api/actors/{hidden}").status_code == 404
    assert client.get("/api/initiatives/d4").status_code == 410


def test_the_openapi_document_describes_the_three(client, directory):
    document = json.loads(client.get("/api/openapi.json").data)
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/api/search"]["get"]
    names = {resolve(document, p)["name"] for p in operation["parameters"]}
    assert names == {"q", "kind", "theme", "dept", "commune", "structure", "status", "when",
                     "offset", "limit"}
    body = client.get("/api/search?q=solidaire").get_json()
    assert set(body) == set(schemas["SearchResults"]["properties"])
    for item in body["items"]:
        assert set(item) <= set(schemas["SearchItem"]["properties"])
    actor_id = directory.actors["Recyclerie des Coopératives"]
    actor = client.get(f"/api/actors/{actor_id}").get_json()
    assert set(actor) == set(schemas["ActorDetail"]["properties"])
    initiative = client.get("/api/initiatives/a1").get_json()
    assert set(initiative) == set(schemas["InitiativeDetail"]["properties"])
    assert "404" in document["paths"]["/api/actors/{actor_id}"]["get"]["responses"]
    assert "/api/initiatives/{initiative_id}" in document["paths"]


def postgresql_app(settings, db_backend, monkeypatch):
    """The same app with PostgreSQL's search (actors and initiatives by SQL)."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(dataclasses.replace(settings, search_backend="postgresql"))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def pg_app(settings, engine, db_backend, monkeypatch):
    return postgresql_app(settings, db_backend, monkeypatch)


DIRECTORY_QUERIES = ["q=solidaire", "q=coop%C3%A9ratives", "q=v%C3%A9los",
                     "theme=reemploi&dept=37", "dept=41", "commune=37261", "structure=association", "status=project",
                     "q=jardin&status=active&status=to_check", "", "offset=2&limit=2",
                     "q=le+la+des", "q=tournevis"]


@pytest.mark.parametrize("query", DIRECTORY_QUERIES)
def test_actors_and_initiatives_answer_the_same_on_postgresql(client, pg_app, directory, query):
    with pg_app.test_request_context():
        assert current_finder().backend == "postgresql"
    url = f"/api/search?kind=initiative&kind=actor&{query}"
    expected = client.get(url).get_json()
    assert pg_app.test_client().get(url).get_json() == expected
