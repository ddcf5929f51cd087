"""What visitors and sources type reaches the pages clean: no control, bidi or invisible
character in the search box, in a stored proposal, or in the pages of a dirty source."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import Event
from agenda.store.sources import add_source
from tests.web.pages import NOW
from tests.web.submitting import EVENT_FORM, propose, stored

DATA = Path(__file__).parent.parent / "data" / "ics"
# Every character the cleaning removes, as it could appear in a page (raw or as a reference).
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069\ufeff\u061c]")


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def search_box(html: str) -> str:
    return re.search(r'<input[^>]*name="q"[^>]*value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("query", ["\u202eabc", "a\u200bbc", "\ufeffabc\u2066", "abc\u200f"])
def test_bidi_and_invisible_characters_in_the_search_are_cleaned(client, calendar, query):
    html = html_of(client, "/?" + "q=" + query)
    assert search_box(html) == "abc"
    assert not UNWANTED.search(html)


def test_the_search_is_normalised_to_nfc(client, calendar):
    decomposed = html_of(client, "/?q=Repair+cafe\u0301")
    assert search_box(decomposed) == "Repair café"
    assert "Repair café" in decomposed.split('name="q"', 1)[1]  # found, in the results too


@pytest.mark.parametrize("query", ["a\x1bb", "a\x00b", "a\x85b", "a\x9bb", "a\x7fb"])
def test_control_characters_in_a_filter_are_refused(client, query):
    assert client.get("/?q=" + query).status_code == 400
    assert client.get("/?city=" + query).status_code == 400


def test_a_proposal_is_stored_without_invisible_characters(client, factory):
    propose(client, EVENT_FORM, title="\u202eRepair\u200b café\u2066", city="Tou\u200brs",
            new_actor_name="R\u00e9par'37\ufeff", url="https://repar37.example.org/\u202ea",
            description="Apportez\u202e vos objets.\r\n\r\nMerci\u2069.")
    data = stored(factory)[0].data
    assert data["title"] == "Repair café" and data["city"] == "Tours"
    assert data["new_actor"]["name"] == "Répar'37"
    assert data["url"] == "https://repar37.example.org/a"
    assert data["description_html"] == "<p>Apportez vos objets.</p><p>Merci.</p>"


def test_pages_of_a_source_with_control_characters_show_none_of_them(
        client, factory, settings, httpserver):
    body = (DATA / "control_characters_in_every_field.ics").read_bytes()
    httpserver.expect_request("/dirty.ics").respond_with_data(body, content_type="text/calendar")
    with transaction(factory) as session:
        source_id = add_source(session, name="Dirty", url=httpserver.url_for("/dirty.ics"),
                               now=NOW).id
    assert refresh_source(factory, source_id, now=NOW, settings=settings).ok
    with transaction(factory) as session:
        ids = [e.id for e in session.query(Event).filter(Event.source_id == source_id)]
    pages = ["/", "/mois/2026-11", "/?q=forum", *(f"/evenements/{i}" for i in ids)]
    for url in pages:
        html = html_of(client, url)
        assert "Forum de l'ESS]0;pwned CIGAM café" in html or url.startswith("/evenements")
        assert not UNWANTED.search(html), (url, UNWANTED.search(html))
