"""The subscribe box of the listings: the same filters as the page, never an end date the
visitor did not type, a chosen window named next to the links, one-click Google Agenda and
Outlook links that carry the same address."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from agenda.web.public.subscribe_links import subscribe_links
from agenda.web.public.window_words import window_label
from tests.web.pages import read_page


def subscribe_box(client, url: str) -> dict:
    """The box of the page at ``url``: its address, its links and its sentence."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    box = html[html.index('<section class="subscribe-box"'):]
    box = box[:box.index("</section>")]
    page = read_page(box)
    [address] = [a["value"] for a in page.all("input") if a.get("id") == "abonnement-adresse"]
    hrefs = page.hrefs()
    sentence = re.search(r'<p class="subscribe-window">(.*?)</p>', box, re.S).group(1)
    return {"address": address, "sentence": " ".join(unescape(sentence).split()),
            "google": next(h for h in hrefs if h.startswith("https://calendar.google.com/")),
            "outlook": next(h for h in hrefs if h.startswith("https://outlook.live.com/")),
            "webcal": next(h for h in hrefs if h.startswith("webcal://"))}


def query_of(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


FROM_TODAY = "Dès aujourd’hui et sans date de fin : les nouveautés s’ajoutent seules."


@pytest.mark.parametrize("url, query, sentence", [
    ("/", [], FROM_TODAY),
    ("/?dept=41&theme=reemploi&mode=in_person",
     [("dept", "41"), ("mode", "in_person"), ("theme", "reemploi")], FROM_TODAY),
    ("/?q=repair&page=2", [("q", "repair")], FROM_TODAY),
    ("/?sort=relevance&q=atelier", [("q", "atelier"), ("sort", "relevance")], FROM_TODAY),
    ("/mois/2026-11?dept=41", [("dept", "41")], FROM_TODAY),  # the month frees its dates
    ("/mois/2026-12?from=2026-12-01&to=2026-12-31", [], FROM_TODAY),
    ("/?from=2026-11-01&to=2026-11-30&dept=37",
     [("dept", "37"), ("from", "2026-11-01"), ("to", "2026-11-30")],
     "Seulement les évènements du 1er au 30 novembre 2026."),
    ("/?from=2026-11-28&to=2026-12-03",
     [("from", "2026-11-28"), ("to", "2026-12-03")],
     "Seulement les évènements du 28 novembre au 3 décembre 2026."),
    ("/?from=2026-12-30&to=2027-01-01",
     [("from", "2026-12-30"), ("to", "2027-01-01")],
     "Seulement les évènements du 30 décembre 2026 au 1er janvier 2027."),
    ("/?from=2026-12-10", [("from", "2026-12-10")],
     "Seulement les évènements à partir du 10 décembre 2026."),
    ("/?to=2026-12-31", [("to", "2026-12-31")],
     "Seulement les évènements jusqu’au 31 décembre 2026."),
    ("/?from=2026-11-21&to=2026-11-21", [("from", "2026-11-21"), ("to", "2026-11-21")],
     "Seulement les évènements du 21 novembre 2026."),
    ("/?from=2026-11-01&to=2026-11-30&lang=en",
     [("from", "2026-11-01"), ("to", "2026-11-30")],
     "Only the events from November 1 to 30, 2026."),
    ("/?lang=en", [], "From today on, with no end date: new events are added by themselves."),
])
def test_the_subscription_carries_the_page_filters_and_only_the_dates_typed(
        client, calendar, url, query, sentence):
    box = subscribe_box(client, url)
    assert box["address"].startswith("http://localhost/calendar.ics")
    assert query_of(box["address"]) == query
    assert box["sentence"] == sentence
    assert box["webcal"] == "webcal://" + box["address"].split("://", 1)[1]
    [cid] = parse_qs(urlsplit(box["google"]).query)["cid"]
    assert cid == box["webcal"]
    outlook = parse_qs(urlsplit(box["outlook"]).query)
    assert outlook["url"] == [box["address"]]
    assert outlook["name"][0].startswith("Agenda commun – ")  # named after the filters


def test_outlook_names_the_calendar_after_the_filters(client, calendar):
    box = subscribe_box(client, "/?dept=41&theme=reemploi")
    [name] = parse_qs(urlsplit(box["outlook"]).query)["name"]
    assert name == "Agenda commun – Centre-Val de Loire · Loir-et-Cher (41) · " \
                   "Réemploi et économie circulaire"


def test_a_quick_range_is_a_window_the_visitor_chose_and_is_named(client, calendar):
    """Clicking "ce week-end" (21-22 November: the tests' today is a Saturday) is choosing
    those dates: the subscription keeps them and says so."""
    page = read_page(client.get("/?dept=41").get_data(as_text=True))
    [weekend] = [href for href, text in page.links if text == "Ce week-end"]
    box = subscribe_box(client, weekend)
    assert query_of(box["address"]) == [("dept", "41"), ("from", "2026-11-21"),
                                        ("to", "2026-11-22")]
    assert box["sentence"] == "Seulement les évènements du 21 au 22 novembre 2026."


def test_the_address_field_can_be_copied_and_read_without_javascript(client, calendar):
    html = client.get("/").get_data(as_text=True)
    page = read_page(html)
    [field] = [a for a in page.all("input") if a.get("id") == "abonnement-adresse"]
    assert "readonly" in field and field["type"] == "url"
    [copy] = [a for a in page.all("button") if a.get("data-copy") == "abonnement-adresse"]
    assert "js-only" in copy["class"]
    [status] = [a for a in page.all("span") if a.get("id") == copy["data-copy-status"]]
    assert status["aria-live"] == "polite"
    assert "ICSx⁵" in html and "webcal:// ne font rien sur Android" in unescape(html)


def test_the_links_encode_the_whole_address():
    links = subscribe_links("https://agenda.example.org/calendar.ics?q=caf%C3%A9&dept=41&dept=37",
                            "Agenda commun – Loiret")
    assert links.webcal == "webcal://agenda.example.org/calendar.ics?q=caf%C3%A9&dept=41&dept=37"
    assert links.google == ("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F"
                            "agenda.example.org%2Fcalendar.ics%3Fq%3Dcaf%25C3%25A9%26dept%3D41"
                            "%26dept%3D37")
    outlook = parse_qs(urlsplit(links.outlook).query)
    assert outlook == {"url": [links.https], "name": ["Agenda commun – Loiret"]}


@pytest.mark.parametrize("language, start, end, expected", [
    ("fr", None, None, None),
    ("fr", date(2026, 11, 1), date(2026, 11, 30), "du 1er au 30 novembre 2026"),
    ("fr", date(2026, 10, 31), date(2026, 11, 1), "du 31 octobre au 1er novembre 2026"),
    ("fr", date(2026, 11, 1), None, "à partir du 1er novembre 2026"),
    ("fr", None, date(2027, 1, 1), "jusqu’au 1er janvier 2027"),
    ("fr", date(2026, 11, 1), date(2026, 11, 1), "du 1er novembre 2026"),
    ("en", date(2026, 11, 1), date(2026, 11, 30), "from November 1 to 30, 2026"),
    ("en", date(2026, 12, 30), date(2027, 1, 2), "from December 30, 2026 to January 2, 2027"),
    ("en", date(2026, 11, 1), None, "from November 1, 2026 on"),
    ("en", None, date(2026, 11, 30), "until November 30, 2026"),
])
def test_a_window_in_words(app, language, start, end, expected):
    with app.test_request_context(f"/?lang={language}"):
        assert window_label(start, end) == expected
