"""What an address says about a source, and what the first document says (auto-detection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agenda.collectors.detect import detect_kind
from agenda.collectors.openagenda import API_ROOT
from agenda.collectors.source_urls import (
    kind_of_url,
    openagenda_address,
    tribe_first_page,
)
from agenda.errors import ParseError

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("url, kind", [
    ("https://api.openagenda.com/v2/agendas/12345/events", "openagenda"),
    ("http://127.0.0.1:5001/openagenda/v2/agendas/8803/events?size=20", "openagenda"),
    ("https://openagenda.com/agenda-ess-centre", "openagenda"),
    ("https://openagenda.com/fr/agenda-ess-centre", "openagenda"),
    ("https://www.openagenda.com/agendas/98765", "openagenda"),
    ("https://cress.example/wp-json/tribe/events/v1/events", "tribe"),
    ("https://cress.example/wp-json/tribe/events/v1/events/?per_page=10", "tribe"),
    ("https://cress.example/agenda/", None),
    ("https://openagenda.com/", None),
    ("https://openagenda.com/fr", None),
    ("https://cress.example/agenda.ics", None),
    ("not a url", None),
])
def test_the_address_tells_the_api_kinds(url, kind):
    assert kind_of_url(url) == kind


def test_openagenda_addresses_give_the_api_root_and_the_uid_or_slug():
    local = openagenda_address("http://127.0.0.1:5001/openagenda/v2/agendas/8803/events")
    assert (local.api_root, local.uid, local.slug) == (
        "http://127.0.0.1:5001/openagenda/v2", "8803", None)
    page = openagenda_address("https://openagenda.com/fr/agenda-ess-centre")
    assert (page.api_root, page.uid, page.slug) == (API_ROOT, None, "agenda-ess-centre")


@pytest.mark.parametrize("url, expected", [
    ("https://cress.example/", "https://cress.example/wp-json/tribe/events/v1/events"
                               "?start_date=2026-08-23&per_page=50"),
    ("https://cress.example/agenda/?x=1", "https://cress.example/wp-json/tribe/events/v1/events"
                                          "?start_date=2026-08-23&per_page=50"),
    ("https://cress.example/wp-json/tribe/events/v1/events?start_date=2026-01-01&categories=3",
     "https://cress.example/wp-json/tribe/events/v1/events"
     "?start_date=2026-01-01&categories=3&per_page=50"),
])
def test_the_first_tribe_page_asks_from_the_window_start_unless_told(url, expected):
    assert tribe_first_page(url, start_date="2026-08-23") == expected


@pytest.mark.parametrize("sample, kind", [
    ("reading/listing_with_event_links.html", "jsonld"),
    ("reading/openagenda_page_1.json", "openagenda"),
    ("reading/openagenda_no_changes.json", "openagenda"),
    ("tribe/page_one.json", "tribe"),
    ("reading/tribe_page_2.json", "tribe"),
])
def test_the_first_document_tells_the_other_kinds(sample, kind):
    assert detect_kind((DATA / sample).read_bytes(), "application/json") == kind


@pytest.mark.parametrize("body, code", [
    (b"<!doctype html><html><body>Nothing</body></html>", "parse.html_page"),
    (b'{"items": []}', "parse.unknown_json"),
    (b"[1, 2]", "parse.unknown_json"),
    (b"{not json", "parse.unknown_json"),
])
def test_what_no_reader_takes_is_a_clear_error(body, code):
    with pytest.raises(ParseError) as raised:
        detect_kind(body, None)
    assert raised.value.code == code


def test_a_declared_kind_is_taken_as_is():
    assert detect_kind(b"<html></html>", None, declared="jsonld") == "jsonld"
