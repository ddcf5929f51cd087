"""Discovery: what an address is, what a page offers and in which order it is tried (pure
table tests), then end to end against a loopback server: a page linking its calendar, a
WordPress site with The Events Calendar, a page of JSON-LD events, a page with nothing (refused
with a sentence), never a crash."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from agenda.collectors.discovery import (
    DiscoveryError,
    anchor_candidate,
    is_openagenda,
    link_candidate,
    read_page,
    sniff,
    web_address,
)
from agenda.services.source_discovery import check_source, discover
from agenda.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data/discovery"
TRIBE = Path(__file__).resolve().parents[1] / "data/tribe"
PAGE = "https://tiers-lieu.example/agenda/"
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=timezone.utc)


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


# --- Pure decisions -------------------------------------------------------------------------

@pytest.mark.parametrize("typed, address", [
    ("webcal://tiers-lieu.example/agenda.ics", "https://tiers-lieu.example/agenda.ics"),
    ("WEBCAL://tiers-lieu.example/a.ics", "https://tiers-lieu.example/a.ics"),
    ("  https://tiers-lieu.example/agenda  ", "https://tiers-lieu.example/agenda"),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/a"),
])
def test_web_addresses_and_webcal_become_https(typed, address):
    assert web_address(typed) == address


@pytest.mark.parametrize("typed", ["ftp://a.example/x.ics", "tiers-lieu.example/agenda", "",
                                   "javascript:alert(1)", "https://", "http://[::1/x"])
def test_anything_else_is_refused_with_a_code(typed):
    with pytest.raises(DiscoveryError) as refused:
        web_address(typed)
    assert refused.value.code == "discovery.not_web_address"


@pytest.mark.parametrize("url, expected", [
    ("https://openagenda.com/cress-cvl", True),
    ("https://openagenda.com/fr/cress-cvl", True),
    ("https://api.openagenda.com/v2/agendas/12345/events", True),
    ("https://tiers-lieu.example/openagenda.com", False),
    ("https://openagenda.com/", False),
])
def test_openagenda_addresses_are_known_from_their_shape(url, expected):
    assert is_openagenda(url) is expected


@pytest.mark.parametrize("body, content_type, expected", [
    (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/plain", "ics"),
    (b"<?xml version='1.0'?><rss version='2.0'></rss>", None, "feed"),
    (b"<!DOCTYPE html><html><body></body></html>", "text/html", "html"),
    (b'{"events": []}', "application/json", "json"),
    (b"\x00\x01\x02", "application/octet-stream", "unknown"),
    (b"", None, "unknown"),
])
def test_sniff_tells_what_an_answer_holds(body, content_type, expected):
    assert sniff(body, content_type) == expected


@pytest.mark.parametrize("href, text, kind, strength", [
    ("webcal://a.example/cal", "Agenda", "ics", 2),
    ("/agenda.ics", "Télécharger", "ics", 2),
    ("/events/?ical=1", "Exporter", "ics", 2),
    ("/export", "Ajouter à iCal", "ics", 1),
    ("/abonnement", "S’abonner à l’agenda", "ics", 0),
    ("/abonnement", "S'abonner", "ics", 0),
    ("/feed/", "Flux", "feed", 0),
    ("/agenda.rss", "RSS de l’agenda", "feed", 1),
])
def test_visible_links_that_may_lead_to_a_calendar_or_a_feed(href, text, kind, strength):
    candidate = anchor_candidate(href, text, PAGE)
    assert (candidate.kind, candidate.via, candidate.strength) == (kind, "visible", strength)


@pytest.mark.parametrize("href, text", [("/contact", "Nous contacter"), ("#top", "iCal"),
                                        ("mailto:a@b.fr", "Exporter"), ("", "ICS"),
                                        ("javascript:void(0)", "S'abonner"),
                                        ("/politics", "Politics")])
def test_other_links_are_not_candidates(href, text):
    assert anchor_candidate(href, text, PAGE) is None


@pytest.mark.parametrize("rel, kind_type, title, expected", [
    ("alternate", "text/calendar", "Agenda", ("ics", "alternate")),
    ("alternate", "application/rss+xml", "Évènements", ("feed", "alternate")),
    ("alternate", "application/atom+xml; charset=utf-8", "Flux", ("feed", "alternate")),
    ("alternate", "application/rss+xml", "Flux des commentaires", None),
    ("stylesheet", "text/css", "", None),
    ("https://api.w.org/", "", "", ("tribe", "wp_api")),
])
def test_head_links(rel, kind_type, title, expected):
    candidate = link_candidate(rel, kind_type, "/x/", title, PAGE)
    assert (candidate and (candidate.kind, candidate.via)) == (expected or None)


def test_the_wordpress_api_is_tried_first_then_calendars_then_feeds():
    offer = read_page(sample("wordpress_events_calendar.html"), PAGE)
    assert [(c.kind, c.url) for c in offer.candidates] == [
        ("tribe", "https://tiers-lieu.example/wp-json/tribe/events/v1/events"),
        ("ics", "https://tiers-lieu.example/events/?ical=1"),
        ("feed", "https://tiers-lieu.example/feed/")]


def test_a_subscribe_link_comes_before_the_page_feed():
    offer = read_page(sample("page_with_subscribe_link.html"), PAGE)
    assert [(c.kind, c.label) for c in offer.candidates] == [
        ("ics", "S’abonner"), ("feed", "Agenda du tiers-lieu » Évènements")]
    assert offer.jsonld_events == 0


def test_a_page_counts_its_jsonld_events():
    assert read_page(sample("page_with_jsonld_events.html"), PAGE).jsonld_events == 2


@pytest.mark.parametrize("body", [sample("invalid_markup.html"), b"\xff\xfe<html", None,
                                  b"<a href='/x.ics'>" * 50_000, b"<" * 3_000_000])
def test_broken_or_huge_markup_never_crashes(body):
    offer = read_page(body, PAGE)
    assert all(c.url.startswith("https://tiers-lieu.example/") for c in offer.candidates)


# --- End to end, against a loopback server ---------------------------------------------------

@pytest.fixture
def settings(tmp_path):
    return load_settings(env={}, instance_path=tmp_path / "instance",
                         database_url=f"sqlite:///{tmp_path / 'unused.db'}",
                         allow_private_urls=True, total_timeout=5.0, connect_timeout=2.0)


def serve(httpserver, path: str, name: str, content_type: str, *, folder: Path = DATA):
    httpserver.expect_request(path).respond_with_data((folder / name).read_bytes(),
                                                      content_type=content_type)


def test_an_ics_linked_from_a_page_in_a_subscribe_link_is_chosen(httpserver, settings):
    serve(httpserver, "/agenda/", "page_with_subscribe_link.html", "text/html")
    serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    serve(httpserver, "/events.rss", "events.rss", "application/rss+xml")
    found = discover(httpserver.url_for("/agenda/"), settings=settings, now=NOW)
    assert (found.kind, found.url) == ("ics", httpserver.url_for("/agenda.ics"))
    assert found.reasons == [
        ("discovery.linked_ics", {"variant": "visible", "label": "S’abonner"}),
        ("discovery.also", {"others": ["feed"]})]
    assert [r.title for r in found.reading.parsed.events] == ["Soirée jeux"]
    assert found.diagnosis.generator == "-//Tiers-lieu//Agenda//FR"


def test_a_calendar_announced_in_the_head_is_chosen(httpserver, settings):
    serve(httpserver, "/agenda/", "page_with_alternate_calendar.html", "text/html")
    serve(httpserver, "/agenda/calendar/export.ics", "agenda.ics", "text/calendar")
    found = discover(httpserver.url_for("/agenda/"), settings=settings, now=NOW)
    assert (found.kind, found.reason_code, found.reason_params) == (
        "ics", "discovery.linked_ics", {"variant": "alternate"})


def test_a_wordpress_site_with_the_events_calendar_is_read_through_its_rest_api(
        httpserver, settings):
    serve(httpserver, "/events/", "wordpress_events_calendar.html", "text/html")
    serve(httpserver, "/wp-json/tribe/events/v1/events", "last_page.json", "application/json",
          folder=TRIBE)
    found = discover(httpserver.url_for("/events/"), settings=settings, now=NOW)
    assert (found.kind, found.url) == (
        "tribe", httpserver.url_for("/wp-json/tribe/events/v1/events"))
    assert found.reason_params == {"variant": "site"}
    assert found.reading.parsed.events and found.diagnosis.generator.startswith("WordPress")


def test_the_page_itself_when_it_embeds_jsonld_events(httpserver, settings):
    serve(httpserver, "/agenda", "page_with_jsonld_events.html", "text/html")
    found = discover(httpserver.url_for("/agenda"), settings=settings, now=NOW)
    assert (found.kind, found.url, found.reason_code) == (
        "jsonld", httpserver.url_for("/agenda"), "discovery.jsonld")
    assert found.diagnosis.events == 2


def test_a_blog_feed_without_events_loses_to_the_page_jsonld(httpserver, settings):
    serve(httpserver, "/", "page_with_blog_feed_and_jsonld.html", "text/html")
    serve(httpserver, "/blog.rss", "blog_feed_without_events.rss", "application/rss+xml")
    found = discover(httpserver.url_for("/"), settings=settings, now=NOW)
    assert found.kind == "jsonld"


def test_a_webcal_address_is_collected_over_https_or_http(httpserver, settings):
    serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    http_url = httpserver.url_for("/agenda.ics")
    found = discover(http_url, settings=settings, now=NOW)
    assert (found.kind, found.url, found.reason_code) == ("ics", http_url, "discovery.ics")


def test_a_page_with_nothing_is_refused_with_its_diagnosis(httpserver, settings):
    serve(httpserver, "/", "page_without_anything.html", "text/html")
    with pytest.raises(DiscoveryError) as refused:
        discover(httpserver.url_for("/"), settings=settings, now=NOW)
    assert refused.value.code == "discovery.nothing_found"
    diagnosis = refused.value.diagnosis
    assert (diagnosis.generator, [f.code for f in diagnosis.findings]) == (
        "Wix.com Website Builder", ["doctor.no_machine_data"])


def test_a_page_whose_linked_calendar_is_broken_is_refused_naming_it(httpserver, settings):
    serve(httpserver, "/agenda/", "page_with_alternate_calendar.html", "text/html")
    httpserver.expect_request("/agenda/calendar/export.ics").respond_with_data("gone", 404)
    with pytest.raises(DiscoveryError) as refused:
        discover(httpserver.url_for("/agenda/"), settings=settings, now=NOW)
    assert (refused.value.code, refused.value.data["variant"]) == (
        "discovery.nothing_found", "linked")


def test_a_fetch_error_is_refused_with_the_collectors_code(httpserver, settings):
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    with pytest.raises(DiscoveryError) as refused:
        discover(httpserver.url_for("/missing"), settings=settings, now=NOW)
    assert (refused.value.code, refused.value.data["status"]) == ("fetch.http_status", 404)


def test_binary_answers_are_refused(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data(b"\x89PNG\r\n\x1a\n\x00",
                                                      content_type="image/png")
    with pytest.raises(DiscoveryError) as refused:
        discover(httpserver.url_for("/x"), settings=settings, now=NOW)
    assert refused.value.code == "discovery.unknown_document"


def test_the_page_is_fetched_once_and_offers_are_bounded(httpserver, settings):
    links = "".join(f'<a href="/c{i}.ics">iCal {i}</a>' for i in range(40))
    httpserver.expect_request("/").respond_with_data(f"<html><body>{links}</body></html>",
                                                     content_type="text/html")
    with pytest.raises(DiscoveryError):
        discover(httpserver.url_for("/"), settings=settings, now=NOW)
    paths = [request.path for request, _response in httpserver.log]
    assert paths.count("/") == 1 and len(paths) <= 5


def test_check_reads_twice_and_finds_identifiers_that_change(httpserver, settings):
    calendars = iter([b"1", b"2"])

    def changing(_request):
        from werkzeug import Response
        uid = next(calendars, b"3")
        body = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:" + uid +
                b"\r\nDTSTART:20270114T090000Z\r\nDTEND:20270114T100000Z\r\nSUMMARY:A\r\n"
                b"END:VEVENT\r\nEND:VCALENDAR\r\n")
        return Response(body, content_type="text/calendar")

    httpserver.expect_request("/cal.ics").respond_with_handler(changing)
    found = check_source(httpserver.url_for("/cal.ics"), settings=settings, now=NOW)
    assert "doctor.unstable_uids" in {f.code for f in found.diagnosis.findings}


def openagenda_api(httpserver) -> str:
    """An OpenAgenda-shaped API on loopback: one page of events, then an empty one."""
    from werkzeug import Response
    page = (Path(__file__).resolve().parents[1] / "data/openagenda/page_multilingual.json")

    def answer(request):
        if request.args.getlist("after[]"):
            return Response('{"events": [], "after": null}', content_type="application/json")
        return Response(page.read_bytes(), content_type="application/json")

    httpserver.expect_request("/v2/agendas/123/events").respond_with_handler(answer)
    return httpserver.url_for("/v2/agendas/123/events")


def test_an_openagenda_api_address_is_read_with_its_key_in_a_header(httpserver, settings):
    url = openagenda_api(httpserver)
    found = discover(url, settings=settings, now=NOW, api_key="k3y")
    assert (found.kind, found.url, found.reason_code) == ("openagenda", url, "discovery.openagenda")
    assert found.diagnosis.generator == "OpenAgenda" and found.diagnosis.events == 3
    assert {request.headers.get("key") for request, _ in httpserver.log} == {"k3y"}
    assert all("k3y" not in request.url for request, _ in httpserver.log)


def test_a_kind_given_by_hand_is_read_as_asked(httpserver, settings):
    serve(httpserver, "/agenda", "page_with_subscribe_link.html", "text/html")
    with pytest.raises(DiscoveryError) as refused:  # no JSON-LD on it: the reader says so
        discover(httpserver.url_for("/agenda"), settings=settings, now=NOW, kind="jsonld")
    assert refused.value.code == "parse.no_jsonld_events"
    serve(httpserver, "/events", "page_with_jsonld_events.html", "text/html")
    found = discover(httpserver.url_for("/events"), settings=settings, now=NOW, kind="jsonld")
    assert (found.kind, found.reason_code, found.reason_params) == (
        "jsonld", "discovery.declared", {"format": "jsonld"})


def test_a_reader_that_breaks_on_odd_input_is_a_refusal_not_a_crash(httpserver, settings,
                                                                   monkeypatch):
    from agenda.services import source_discovery

    def broken(*_args, **_kwargs):
        raise TypeError("a shape nobody foresaw")

    monkeypatch.setattr(source_discovery, "read_source", broken)
    serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    with pytest.raises(DiscoveryError) as refused:
        discover(httpserver.url_for("/agenda.ics"), settings=settings, now=NOW)
    assert refused.value.code == "collect.internal"
