"""Web pages with schema.org events (JSON-LD) collected end to end, on loopback: found by
auto-detection, a listing's event pages followed one level, a broken one a mere warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from agenda.collectors import read_jsonld
from tests.test_refresh import collect, published, register, source

__all__ = ["register"]  # a fixture

DATA = Path(__file__).parent / "data" / "reading"


def serve(httpserver, path: str, sample: str, status: int = 200):
    httpserver.expect_request(path).respond_with_data(
        (DATA / sample).read_bytes(), status=status, content_type="text/html; charset=utf-8")


@pytest.fixture
def site(httpserver):
    serve(httpserver, "/agenda/", "listing_with_event_links.html")
    serve(httpserver, "/agenda/atelier-velo.html", "event_page_atelier_velo.html")
    serve(httpserver, "/agenda/concert.html", "event_page_concert.html")
    serve(httpserver, "/contact.html", "page_without_events.html")
    httpserver.expect_request("/agenda/page-cassee.html").respond_with_data("", status=404)
    return httpserver




def test_a_listing_and_its_event_pages_are_read_and_a_broken_page_is_a_warning(
        site, factory, settings, now, register):
    sid = register(site.url_for("/agenda/"))  # auto
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 4)
    titles = {event.title for event in published(factory, sid).values()}
    assert titles == {"Braderie solidaire", "Disco soupe", "Atelier réparation vélo",
                      "Concert de soutien"}
    assert source(factory, sid).detected_format == "jsonld"
    [failed] = outcome.warnings  # the contact page, without events, says nothing
    assert failed.code == "jsonld.page_failed" and "page-cassee.html" in failed
    assert failed.params["reason"].code == "fetch.http_status"


def test_the_events_of_a_page_that_fails_later_are_kept(site, factory, settings, now,
                                                        register):
    sid = register(site.url_for("/agenda/"))
    collect(factory, settings, sid, now)
    site.clear()
    serve(site, "/agenda/", "listing_with_event_links.html")
    serve(site, "/agenda/atelier-velo.html", "event_page_atelier_velo.html")
    site.expect_request("/agenda/concert.html").respond_with_data("", status=500)
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.removed) == ("ok", 0)
    assert "Concert de soutien" in {e.title for e in published(factory, sid).values()}


def test_the_event_pages_followed_are_capped(site, factory, settings, now, register,
                                             monkeypatch):
    monkeypatch.setattr(read_jsonld, "MAX_FOLLOWED_PAGES", 1)
    sid = register(site.url_for("/agenda/"), kind="jsonld")
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 3)
    fetched = [request.path for request, _response in site.log]
    assert fetched == ["/agenda/", "/agenda/atelier-velo.html"]


def test_a_listing_without_events_of_its_own_gives_those_of_its_pages(
        httpserver, factory, settings, now, register):
    serve(httpserver, "/agenda/", "listing_links_only.html")
    serve(httpserver, "/agenda/atelier-velo.html", "event_page_atelier_velo.html")
    sid = register(httpserver.url_for("/agenda/"), kind="jsonld")
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 1)


@pytest.mark.parametrize("kind", ["auto", "jsonld"])
def test_a_page_without_events_is_still_a_clear_error(httpserver, factory, settings, now,
                                                      register, kind):
    serve(httpserver, "/contact.html", "page_without_events.html")
    sid = register(httpserver.url_for("/contact.html"), kind=kind)
    outcome = collect(factory, settings, sid, now)
    expected = "parse.html_page" if kind == "auto" else "parse.no_jsonld_events"
    assert (outcome.outcome, outcome.error_code) == ("error", expected)
