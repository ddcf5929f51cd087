"""The commune filter on the pages, the feeds and the API: the form offers the communes that have
events and keeps the choice, the listing and its twins narrow to it, a bad code is a 400 with a
sentence, and the cards and the event page name the commune as the gazetteer spells it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from agenda.db import transaction
from agenda.records import Location
from agenda.store.initiatives import put_initiative, withdraw_initiative
from agenda.web.shared import dates
from tests.export.collecting import Clock, frozen_app
from tests.web.pages import NOW, day_sections, json_ld, read_page, store, timed

TOURS, JOUE, SAINT_AVERTIN, ORLEANS = "37261", "37122", "37208", "45234"
WINDOW = "from=2026-11-21&to=2026-12-31"
ATOM = "{http://www.w3.org/2005/Atom}"
RECORDS = [
    timed("velo", "Atelier vélo", 24, location=Location(city="Tours", postcode="37000")),
    timed("repair", "Repair café", 25, location=Location(city="ST AVERTIN", postcode="37550")),
    timed("couture", "Atelier couture", 25, hour=14, location=Location(city="Joué-lès-Tours")),
    timed("forum", "Forum de l'ESS", 26, location=Location(city="Orléans", postcode="45000")),
    timed("webinaire", "Webinaire", 27, online_url="https://visio.example.org/ess"),
]


@pytest.fixture
def app(settings, engine, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    return frozen_app(settings, Clock(NOW))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def stored(factory):
    return store(factory, RECORDS)


def page_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def listed(client, query: str) -> list[str]:
    days = day_sections(page_of(client, f"/?{query}"))
    return [unescape(title) for titles in days.values() for title in titles]


def ics_titles(client, query: str) -> set[str]:
    body = client.get(f"/calendar.ics?{WINDOW}&{query}").data
    return {m.decode() for m in re.findall(rb"^SUMMARY:(.*)\r$", body, re.MULTILINE)}


def atom_titles(client, query: str) -> set[str]:
    root = ET.fromstring(client.get(f"/feed.atom?{WINDOW}&{query}").data)
    return {e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")}


def api_titles(client, query: str) -> set[str]:
    return {i["title"] for i in client.get(f"/api/events?{WINDOW}&{query}").get_json()["items"]}


@pytest.mark.parametrize("query, titles", [
    (f"commune={TOURS}", ["Atelier vélo"]),
    (f"commune={SAINT_AVERTIN}", ["Repair café"]),
    (f"commune={TOURS}&commune={JOUE}", ["Atelier vélo", "Atelier couture"]),
    (f"commune={ORLEANS}&dept=37", []),
    (f"commune={JOUE}&dept=37&q=atelier", ["Atelier couture"]),
    ("dept=37", ["Atelier vélo", "Atelier couture", "Repair café"]),
])
def test_the_commune_narrows_the_listing_the_calendar_the_feed_and_the_api(
        client, stored, query, titles):
    assert listed(client, query) == titles
    assert ics_titles(client, query) == set(titles)
    assert atom_titles(client, query) == set(titles)
    assert api_titles(client, query) == set(titles)


def options_by_group(html: str) -> dict[str, list[tuple[str, str, bool]]]:
    """The commune select's optgroups: label -> [(value, text, selected)]."""
    [select] = re.findall(r'<select id="f-commune" name="commune"[^>]*>(.*?)</select>', html, re.S)
    return {unescape(label): [(value, unescape(text), bool(selected)) for value, selected, text
                              in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>',
                                            body)]
            for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select,
                                          re.S)}


def test_the_form_offers_the_communes_with_events_by_department_and_keeps_the_choice(
        client, stored):
    html = page_of(client, f"/?commune={JOUE}")
    assert options_by_group(html) == {
        "Indre-et-Loire (37)": [(JOUE, "Joué-lès-Tours", True),
                                (SAINT_AVERTIN, "Saint-Avertin", False),
                                (TOURS, "Tours", False)],
        "Loiret (45)": [(ORLEANS, "Orléans", False)],
    }
    page = read_page(html)
    assert [label for label in page.all("label") if label.get("for") == "f-commune"]
    assert '<select id="f-commune" name="commune">' in html  # one commune: a plain select
    assert not [field for field in page.all("input") if field.get("name") == "city"]


def test_several_communes_or_one_without_events_stay_chosen(client, stored):
    html = page_of(client, f"/?commune={TOURS}&commune=18033")  # Bourges: no event there
    groups = options_by_group(html)
    assert groups["Cher (18)"] == [("18033", "Bourges", True)]
    assert (TOURS, "Tours", True) in groups["Indre-et-Loire (37)"]
    assert '<select id="f-commune" name="commune" multiple>' in html


def query_of(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


def test_the_subscriptions_carry_the_commune_and_name_it(client, stored):
    page = read_page(page_of(client, f"/?commune={JOUE}&theme=reemploi"))
    expected = [("commune", JOUE), ("theme", "reemploi")]
    [webcal] = [h for h in page.hrefs() if h.startswith("webcal://")]
    [atom] = [a["href"] for a in page.all("link") if a.get("type") == "application/atom+xml"]
    [api] = [h for h in page.hrefs("/api/events") if h.startswith("http://")]
    assert query_of(webcal) == query_of(atom) == query_of(api) == expected
    body = client.get(f"/calendar.ics?commune={JOUE}").get_data(as_text=True)
    assert "X-WR-CALNAME:Agenda commun – Centre-Val de Loire · Joué-lès-Tours (37)" in body


def test_the_chosen_commune_is_named_among_the_active_filters_and_can_be_removed(client, stored):
    html = page_of(client, f"/?commune={TOURS}&dept=37")
    page = read_page(html)
    [link] = [(href, text) for href, text in page.links if "Tours (37)" in text]
    assert link[0] == "/?dept=37"  # following it removes the commune, keeps the department
    assert "✓ Tours (37) (1 date)" in link[1]
    assert "Par commune" in page.text_headings
    assert "(2 filtres actifs)" in html


def test_an_old_city_link_still_works_and_shows_its_field(client, stored):
    html = page_of(client, "/?city=orl%C3%A9ans")
    assert listed(client, "city=orl%C3%A9ans") == ["Forum de l'ESS"]
    [city] = [field for field in read_page(html).all("input") if field.get("name") == "city"]
    assert city["value"] == "orléans"


@pytest.mark.parametrize("url, sentence", [
    ("/?commune=tours", "Une commune doit être indiquée par son code INSEE de cinq caractères, "
                        "comme 37261 pour Tours : « TOURS » n’en est pas un."),
    ("/?commune=37999", "Commune « 37999 » inconnue."),
    ("/?commune=75056", "La commune Paris (75056) est hors de la région."),
])
def test_a_bad_commune_is_a_french_400_page_with_the_form_kept(client, stored, url, sentence):
    html = page_of(client, url, status=400)
    assert sentence.replace(" :", "\u00a0:").replace("« ", "«\u00a0").replace(" »", "\u00a0»") \
        in unescape(html)
    assert 'id="f-commune"' in html


@pytest.mark.parametrize("path", ["/api/events", "/calendar.ics", "/feed.atom"])
def test_a_bad_commune_is_a_400_with_a_sentence_for_the_feeds_and_the_api(client, stored, path):
    response = client.get(f"{path}?commune=37999")
    assert response.status_code == 400
    assert "Unknown commune '37999'." in response.get_data(as_text=True)


def card_place(html: str, title: str) -> str:
    [card] = [c for c in re.findall(r'<li class="event card.*?</li>\s*(?=<li|</ul>)', html, re.S)
              if f">{title}</a>" in unescape(c)]
    [place] = re.findall(r'<span class="card-place">(.*?)</span>\s*(?:<span class="badge"|</p>)',
                         card, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", unescape(place)).split())


def test_cards_and_the_event_page_name_the_commune_as_the_gazetteer_spells_it(client, stored):
    html = page_of(client, "/")
    assert card_place(html, "Repair café") == "Saint-Avertin (Indre-et-Loire)"
    assert card_place(html, "Atelier vélo") == "Tours (Indre-et-Loire)"  # not "Tours, Tours"
    assert card_place(html, "Atelier couture") == "Joué-lès-Tours (Indre-et-Loire)"
    event_page = page_of(client, f"/evenements/{stored.ids['Repair café']}")
    [place] = re.findall(r"<address>(.*?)</address>", event_page, re.S)
    lines = [" ".join(re.sub(r"<[^>]+>", "", unescape(line)).split())
             for line in place.split("<br>")]
    assert [line for line in lines if line] == ["37550 Saint-Avertin", "Indre-et-Loire (37)"]
    [place] = json_ld(event_page)["location"]
    assert place["address"]["addressLocality"] == "Saint-Avertin"


def test_the_month_page_takes_the_commune_too(client, stored):
    html = page_of(client, f"/mois/2026-11?commune={TOURS}")
    assert "Atelier vélo" in html and "Repair café" not in html
    assert options_by_group(html)["Indre-et-Loire (37)"][2] == (TOURS, "Tours", True)


# --- Initiatives: the same parameter, the wider territories kept --------------------------------

def initiative(title: str, department: str | None = None, territory: str | None = None) -> dict:
    return {"title": title, "description_html": "", "description_text": "", "themes": [],
            "department": department, "territory": territory, "url": None, "status": "active"}


@pytest.fixture
def initiatives(factory):
    with transaction(factory) as session:
        for values in [initiative("Ressourcerie de Tours", "37", "Tours"),
                       initiative("Repair café de Joué", "37", "Joué-lès-Tours"),
                       initiative("Réseau tourangeau", "37"),
                       initiative("Réseau régional"),
                       initiative("Garage solidaire", "45", "Orléans")]:
            put_initiative(session, None, values, now=NOW)
        gone = put_initiative(session, None, initiative("Ancienne", "18", "Bourges"), now=NOW)
        withdraw_initiative(session, gone.id, now=NOW)


def initiative_titles(client, query: str) -> set[str]:
    html = page_of(client, f"/initiatives/?{query}")
    return {text for href, text in read_page(html).links
            if re.fullmatch(r"/initiatives/[0-9a-f]+", href)}


def test_initiatives_of_a_commune_with_those_of_its_department_and_the_region(
        client, initiatives):
    assert initiative_titles(client, f"commune={TOURS}") == {
        "Ressourcerie de Tours", "Réseau tourangeau", "Réseau régional"}
    assert initiative_titles(client, f"commune={ORLEANS}") == {"Garage solidaire",
                                                               "Réseau régional"}
    html = page_of(client, f"/initiatives/?commune={JOUE}")
    [select] = re.findall(r'<select id="i-commune" name="commune">(.*?)</select>', html, re.S)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select)
    assert [(code, unescape(name), bool(chosen)) for code, chosen, name in options] == [
        (JOUE, "Joué-lès-Tours", True), (TOURS, "Tours", False), (ORLEANS, "Orléans", False)]
    assert page_of(client, "/initiatives/?commune=37999", status=400)


def test_the_api_gives_each_place_its_commune(client, stored):
    items = client.get(f"/api/events?{WINDOW}").get_json()["items"]
    places = {i["title"]: (i["location"]["city"], i["location"]["commune_code"],
                           i["location"]["commune_name"], i["location"]["department"])
              for i in items}
    assert places["Repair café"] == ("ST AVERTIN", SAINT_AVERTIN, "Saint-Avertin", "37")
    assert places["Webinaire"] == (None, None, None, None)
