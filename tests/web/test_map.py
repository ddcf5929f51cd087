"""The map (/map) and its data (/map.json): the listing's upcoming events, the shown actors and
the published initiatives matching the same filters, placed by their point or their commune's
centre, bounded; without JavaScript the same records as a list by commune."""

from __future__ import annotations

import re
from html import unescape

import pytest

from agenda import geography
from agenda.db import transaction
from agenda.models import Actor, Initiative, InitiativeActor
from agenda.web.map import selection as map_selection
from agenda.web.map.selection import allot
from tests.web.pages import CALENDAR, NOW, read_page, store

TOURS, ORLEANS, BOURGES = "37261", "45234", "18033"


@pytest.fixture
def records(factory):
    """The small calendar; four actors (one proposed, one removed); three initiatives (one
    withdrawn); Répar'37 organising the Repair café."""
    stored = store(factory, CALENDAR, removed=("gone",))
    with transaction(factory) as session:
        repair = Actor(name="Répar'37", structure="association", commune_code=TOURS,
                       commune_name="Tours", department="37", themes=["reemploi"],
                       status="confirmed")
        garage = Actor(name="Garage solidaire du Loiret", structure="cooperative",
                       kind="garage associatif", lat=47.9, lon=1.9, commune_code=ORLEANS,
                       commune_name="Orléans", department="45", status="to_check")
        nowhere = Actor(name="Collectif sans adresse", status="confirmed")
        proposed = Actor(name="Proposé en attente", commune_code=TOURS, department="37",
                         status="proposed")
        removed = Actor(name="Ancien acteur", commune_code=TOURS, department="37",
                        removed_at=NOW)
        session.add_all([repair, garage, nowhere, proposed, removed])
        session.flush()
        epicerie = Initiative(id="e1", title="Épicerie itinérante", department="18",
                              commune_code=BOURGES, commune_name="Bourges", themes=["alimentation"],
                              actor_id=garage.id)
        ressourcerie = Initiative(id="r1", title="Ressourcerie de Tours", department="37",
                                  commune_code=TOURS, commune_name="Tours", lat=47.39, lon=0.69,
                                  themes=["reemploi"])
        withdrawn = Initiative(id="w1", title="Initiative retirée", department="37",
                               commune_code=TOURS, removed_at=NOW)
        session.add_all([epicerie, ressourcerie, withdrawn])
        session.flush()
        session.add(InitiativeActor(initiative_id="r1", actor_id=repair.id))
        _link(session, stored.ids["Repair café"], repair.id)
        ids = {"repair": repair.id, "garage": garage.id, "nowhere": nowhere.id,
               "proposed": proposed.id, "removed": removed.id}
    return {"events": stored.ids, "actors": ids}


def _link(session, event_id: str, actor_id: int) -> None:
    try:
        from agenda.store.link_edits import link_event_actor
    except ImportError:  # the links' writing side not there yet
        return
    link_event_actor(session, event_id, actor_id)


def geojson(client, query: str = "") -> dict:
    response = client.get(f"/map.json?lang=en&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    return response.get_json()


def titles(data: dict, kind: str | None = None) -> set[str]:
    return {f["properties"]["title"] for f in data["features"]
            if kind is None or f["properties"]["kind"] == kind}


def test_the_geojson_is_a_feature_collection_of_points(client, records):
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 46 < lat < 49 and -1 < lon < 4  # Centre-Val de Loire
        props = feature["properties"]
        assert set(props) >= {"kind", "id", "title", "url", "line"}
        assert feature["id"] == f"{props['kind']}:{props['id']}"
    repair = next(f for f in data["features"] if f["properties"]["title"] == "Repair café")
    assert repair["geometry"]["coordinates"] == [0.68484, 47.39412]  # its own point
    assert repair["properties"]["placed"] == "exact"
    assert repair["properties"]["url"].endswith(f"/evenements/{records['events']['Repair café']}"
                                                "/2026-11-25")
    assert "Wednesday, November 25, 2026" in repair["properties"]["line"]
    assert "Tours" in repair["properties"]["line"]


def test_each_kind_is_there_and_only_the_shown_ones(client, records):
    data = geojson(client)
    assert titles(data, "actor") == {"Répar'37", "Garage solidaire du Loiret"}
    assert titles(data, "initiative") == {"Épicerie itinérante", "Ressourcerie de Tours"}
    assert "Conférence finance solidaire" in titles(data, "event")
    assert "Retiré par sa source" not in titles(data)
    # the source's owner (La Fabrique commune) is an actor too
    assert data["counts"] == {"event": 6, "actor": 4, "initiative": 2}
    # the online webinar and the two actors without a place: counted, not on the map
    assert data["not_placed"] == 3
    assert "Webinaire ESS" not in titles(data)
    garage = next(f for f in data["features"] if f["properties"]["kind"] == "actor"
                  and f["properties"]["id"] == str(records["actors"]["garage"]))
    assert garage["properties"]["line"] == "garage associatif · Orléans"


def test_a_record_without_a_point_stands_at_its_communes_centre(client, records):
    data = geojson(client)
    tours = geography.commune(TOURS)
    [repair] = [f for f in data["features"] if f["properties"]["title"] == "Répar'37"]
    assert repair["geometry"]["coordinates"] == [round(tours.lon, 6), round(tours.lat, 6)]
    assert repair["properties"]["placed"] == "commune"
    [epicerie] = [f for f in data["features"] if f["properties"]["title"] == "Épicerie itinérante"]
    bourges = geography.commune(BOURGES)
    assert epicerie["geometry"]["coordinates"] == [round(bourges.lon, 6), round(bourges.lat, 6)]


@pytest.mark.parametrize("kinds, expected", [
    ("kind=event", {"event"}),
    ("kind=actor", {"actor"}),
    ("kind=initiative&kind=actor", {"actor", "initiative"}),
    ("kind=EVENT", {"event"}),
])
def test_kind_chooses_what_is_shown(client, records, kinds, expected):
    data = geojson(client, kinds)
    assert {f["properties"]["kind"] for f in data["features"]} == expected
    assert set(data["counts"]) == expected


def listing_titles(client, query: str) -> set[str]:
    html = client.get(f"/?lang=en&{query}").get_data(as_text=True)
    return {text for href, text in read_page(html).links
            if re.fullmatch(r"/evenements/[0-9a-f]+/\d{4}-\d\d-\d\d", href)}


def map_event_titles(client, query: str) -> set[str]:
    html = client.get(f"/map?lang=en&kind=event&{query}").get_data(as_text=True)
    page = {text for href, text in read_page(html).links
            if re.search(r"/evenements/[0-9a-f]+/\d{4}-\d\d-\d\d$", href)}
    data = geojson(client, f"kind=event&{query}")
    return page, titles(data) | ({"Webinaire ESS"} & page)  # the webinar has no place


@pytest.mark.parametrize("query", [
    "", "dept=45", "dept=37&dept=18", "theme=reemploi", "q=solidaire", f"commune={ORLEANS}",
    "mode=online", "mode=in_person", "from=2026-11-26&to=2026-11-27", "city=Orléans",
    "q=permanence&dept=41",
])
def test_the_filters_choose_the_same_events_as_the_listing(client, records, query):
    expected = listing_titles(client, query)
    page, mapped = map_event_titles(client, query)
    assert page == expected
    assert mapped == expected


def test_the_actor_filter_is_the_listings(client, records):
    actor = records["actors"]["repair"]
    expected = listing_titles(client, f"actor={actor}")
    page, mapped = map_event_titles(client, f"actor={actor}")
    assert page == mapped == expected
    data = geojson(client, f"actor={actor}")
    assert titles(data, "actor") == {"Répar'37"}
    assert titles(data, "initiative") == {"Ressourcerie de Tours"}  # listed among its actors


def test_actors_and_initiatives_take_the_filters_that_describe_them(client, records):
    assert titles(geojson(client, "dept=37&kind=actor&kind=initiative")) == {
        "Répar'37", "Ressourcerie de Tours"}
    assert titles(geojson(client, "theme=alimentation&kind=initiative")) == {
        "Épicerie itinérante"}
    assert titles(geojson(client, "q=garage&kind=actor")) == {"Garage solidaire du Loiret"}
    assert titles(geojson(client, f"commune={BOURGES}&kind=initiative")) == {
        "Épicerie itinérante"}


def test_filters_of_events_only_leave_the_other_kinds_out_and_say_so(client, records):
    data = geojson(client, "mode=online")
    assert set(data["counts"]) == {"event"}
    assert data["left_out"] == ["actor", "initiative"]
    html = client.get("/map?lang=en&mode=online").get_data(as_text=True)
    assert "Actors and initiatives are not shown" in html


def test_the_answer_is_bounded_and_says_it_was_cut(client, records, monkeypatch):
    monkeypatch.setattr(map_selection, "MAX_FEATURES", 4)
    from agenda.web.map import views
    monkeypatch.setattr(views, "MAX_FEATURES", 4)
    data = geojson(client, "kind=event&kind=actor")
    assert data["cut"] is True and data["limit"] == 4
    assert sum(data["counts"].values()) == 4
    assert data["counts"] == {"event": 2, "actor": 2}  # a fair share each
    assert geojson(client, "kind=initiative")["cut"] is False


@pytest.mark.parametrize("counts, limit, expected", [
    ({"event": 3, "actor": 2}, 10, {"event": 3, "actor": 2}),
    ({"event": 100, "actor": 2, "initiative": 5}, 10, {"event": 4, "actor": 2, "initiative": 4}),
    ({"event": 100, "actor": 100, "initiative": 100}, 10, {"event": 3, "actor": 3,
                                                           "initiative": 4}),
    ({"event": 0}, 10, {"event": 0}),
])
def test_allot_shares_the_bound_fairly(counts, limit, expected):
    shares = allot(counts, limit)
    assert shares == expected
    assert sum(shares.values()) <= limit


@pytest.mark.parametrize("query", ["kind=venue", "dept=75", "from=2026-13-01", "commune=99999",
                                   "actor=abc", "theme=nope"])
def test_a_bad_filter_is_a_400_with_a_sentence(client, records, query):
    page = client.get(f"/map?lang=fr&{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html and "<form" in html
    data = client.get(f"/map.json?lang=en&{query}")
    assert data.status_code == 400
    assert data.get_json()["error"].endswith(".")


def test_without_javascript_the_page_lists_the_same_records_by_commune(client, records):
    response = client.get("/map?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = read_page(html)
    headings = page.text_headings
    assert "Tours (37)" in headings and "Orléans (45)" in headings
    assert "Without a known place" == [h for lvl, h in page.headings if lvl == 3][-1]
    linked = {text for _href, text in page.links}
    assert {"Repair café", "Ressourcerie de Tours", "Épicerie itinérante",
            "Webinaire ESS"} <= linked
    assert "Collectif sans adresse" in html.split(">Without a known place<")[1]
    tours = unescape(html.split(">Tours (37)<")[1].split("<h3")[0])
    assert "Repair café" in tours and "Ressourcerie de Tours" in tours and "Répar'37" in tours
    assert "Proposé en attente" not in html and "Ancien acteur" not in html
    # the map's box: named, hidden until the script draws it, fed by the same filters
    [box] = [attrs for attrs in page.all("div") if attrs.get("id") == "carte"]
    assert box["role"] == "region" and box["aria-label"]
    assert "hidden" in box
    assert box["data-json"].startswith("/map.json?") and "lang=en" in box["data-json"]
    assert "6 events, 2 initiatives, 4 actors" in html


def test_the_map_is_in_the_navigation_and_its_policy_keeps_scripts_the_sites(client, records):
    response = client.get("/map?lang=fr")
    page = read_page(response.get_data(as_text=True))
    assert "Carte" in page.link_text("/map") or "Map" in page.link_text("/map")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and response.headers["X-Frame-Options"] == "DENY"
    home = read_page(client.get("/?lang=en").get_data(as_text=True))
    assert "Map" in home.link_text("/map")


def test_the_geojson_is_cached_with_an_etag(client, records):
    first = client.get("/map.json?lang=en")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/map.json?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_without_a_tile_server_the_page_is_the_list_alone(settings, engine, monkeypatch,
                                                          records):
    from agenda.web import create_app
    from agenda.web.shared import dates
    from tests.web.pages import NOW

    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(settings.with_overrides(map_tiles_url=""))
    html = app.test_client().get("/map?lang=en").get_data(as_text=True)
    page = read_page(html)
    assert not [a for a in page.all("div") if a.get("id") == "carte"]
    assert not [a for a, _ in page.scripts if "leaflet" in a.get("src", "")]
    assert "Repair café" in {text for _href, text in page.links}


def test_the_page_names_its_geojson_twin(client, records):
    page = read_page(client.get("/map?lang=en&dept=37").get_data(as_text=True))
    [twin] = [a for a in page.all("link") if a.get("type") == "application/geo+json"]
    assert twin["href"].startswith("/map.json?dept=37") and twin["title"]
