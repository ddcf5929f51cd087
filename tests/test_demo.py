"""The offline demo: templates, demo sources, and the loopback server that serves them."""

from __future__ import annotations

import http.client
import io
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import recurring_ical_events

from agenda.demo import (
    CONTENT_TYPES,
    DEMO_API_ROUTES,
    demo_campaign,
    demo_dir,
    load_demo_sources,
    render_demo_file,
)
from agenda.demo_server import DemoFeedServer, etag_matches, find_demo_file, render_demo_body
from agenda.errors import ConfigError
from agenda.region import load_region

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEMO_DIR = demo_dir(CONFIG_DIR)
TODAY = date(2026, 11, 21)
TEMPLATES = sorted(p for p in DEMO_DIR.iterdir() if p.suffix in CONTENT_TYPES)
API_TEMPLATES = sorted(DEMO_DIR.glob("*.json"))  # served only at their API path
LINKED_PAGES = {"theatre-spectacle-les-voisins.html", "theatre-atelier-impro.html"}
BASE_URL = "http://127.0.0.1:5001"
PARIS = ZoneInfo("Europe/Paris")
BROKEN_CALENDAR = "collectivite-tronque.ics"
CALENDARS = [p for p in TEMPLATES if p.suffix == ".ics" and p.name != BROKEN_CALENDAR]
FEEDS = [p for p in TEMPLATES if p.suffix in (".rss", ".atom")]
SOME_DAYS = [TODAY, date(2026, 3, 20), date(2026, 12, 31), date(2028, 2, 29)]


def ids(paths):
    return [p.name for p in paths]


# --- Templates -------------------------------------------------------------------------------

@pytest.mark.parametrize("template, expected", [
    ("{{day}}", "20261121"),
    ("{{day+3}}", "20261124"),
    ("{{day-21}}", "20261031"),
    ("{{day+3|iso}}", "2026-11-24"),
    ("{{day+3@14:00}}", "20261124T140000"),
    ("{{day+3@14:00|utc}}", "20261124T130000Z"),
    ("{{day+3@14:00|iso}}", "2026-11-24T14:00:00+01:00"),
    ("{{day+3@14:00|rfc822}}", "Tue, 24 Nov 2026 14:00:00 +0100"),
    ("{{day-150@14:00|utc}}", "20260624T120000Z"),
    ("{{day-150@14:00|iso}}", "2026-06-24T14:00:00+02:00"),
    ("{{ day + 3 @ 9:05 }}", "20261124T090500"),
    ("{{month+9}}", "20261110"),
    ("{{nov+17@18:30}}", "20261118T183000"),
    ("DTSTART:{{day+1}} DTEND:{{day+2}}", "DTSTART:20261122 DTEND:20261123"),
])
def test_render_replaces_placeholders_relative_to_today(template, expected):
    assert render_demo_file(template, today=TODAY) == expected


def test_mois_de_l_ess_is_next_years_november_in_december():
    assert render_demo_file("{{nov}}", today=date(2026, 12, 1)) == "20271101"
    assert render_demo_file("{{nov}}", today=date(2026, 2, 1)) == "20261101"


@pytest.mark.parametrize("template", ["{{tomorrow}}", "{{day+3|unix}}", "{{day+x}}", "{{day@25:00}}"])
def test_unknown_placeholder_raises_config_error(template):
    with pytest.raises(ConfigError):
        render_demo_file(template, today=TODAY)


@pytest.mark.parametrize("today", SOME_DAYS)
@pytest.mark.parametrize("template", TEMPLATES + API_TEMPLATES,
                         ids=ids(TEMPLATES + API_TEMPLATES))
def test_no_placeholder_left_in_any_demo_file(template, today):
    rendered = render_demo_body(template, today=today, base_url=BASE_URL).decode()
    assert "{{" not in rendered and "}}" not in rendered


def test_rendered_dates_follow_today():
    template = (DEMO_DIR / "ressourcerie-nextcloud.ics").read_text(encoding="utf-8")
    assert "DTSTART;VALUE=DATE:20261201" in render_demo_file(template, today=TODAY)
    assert "DTSTART;VALUE=DATE:20270111" in render_demo_file(template, today=date(2027, 1, 1))


# --- Files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("today", SOME_DAYS)
@pytest.mark.parametrize("path", CALENDARS, ids=ids(CALENDARS))
def test_every_demo_calendar_parses_and_has_events(path, today):
    calendar = icalendar.Calendar.from_ical(render_demo_body(path, today=today))
    assert calendar.walk("VEVENT")
    assert recurring_ical_events.of(calendar).between(datetime(2000, 1, 1), datetime(2100, 1, 1))


@pytest.mark.parametrize("path", FEEDS, ids=ids(FEEDS))
def test_every_demo_feed_parses_without_bozo(path):
    parsed = feedparser.parse(io.BytesIO(render_demo_body(path, today=TODAY)))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries


def test_rss_feed_carries_the_event_module():
    parsed = feedparser.parse(io.BytesIO(render_demo_body(
        DEMO_DIR / "cooperative-evenements.rss", today=TODAY)))
    first = parsed.entries[0]
    assert first.ev_startdate == "2026-11-26T09:30:00+01:00"
    assert first.ev_enddate and first.ev_location and first.ev_organizer and first.ev_type


def test_atom_news_feed_has_no_event_dates():
    parsed = feedparser.parse(io.BytesIO(render_demo_body(
        DEMO_DIR / "reseau-actualites.atom", today=TODAY)))
    assert not any("ev_startdate" in entry for entry in parsed.entries)


def test_truncated_calendar_is_indeed_broken():
    body = render_demo_body(DEMO_DIR / BROKEN_CALENDAR, today=TODAY)
    assert b"END:VCALENDAR" not in body
    assert icalendar.Calendar.from_ical(body, multiple=True) == []
    with pytest.raises(ValueError):
        icalendar.Calendar.from_ical(body)


def test_google_permanence_has_exdate_and_moved_occurrence():
    calendar = icalendar.Calendar.from_ical(render_demo_body(
        DEMO_DIR / "tiers-lieu-google.ics", today=TODAY))
    occurrences = [o for o in recurring_ical_events.of(calendar).between(
        datetime(2026, 11, 1), datetime(2027, 3, 1)) if "Permanence" in o["SUMMARY"]]
    starts = [o.start.strftime("%Y-%m-%d %H:%M") for o in occurrences]
    assert "2026-12-06 14:00" not in starts            # EXDATE
    assert "2026-12-14 10:00" in starts                # RECURRENCE-ID moved to the next morning
    assert len(starts) == 9                            # COUNT=10, minus the EXDATE


def test_demo_has_a_realistic_number_of_events_in_the_region():
    region = load_region(CONFIG_DIR / "region.toml")
    bodies = [render_demo_body(p, today=TODAY).decode() for p in TEMPLATES]
    events = sum(b.count("BEGIN:VEVENT") + b.count("<item ") for b in bodies)
    assert 20 <= events <= 40
    postcodes = re.findall(r"\b(\d{5}) [A-ZÉ]", " ".join(bodies).replace("\r\n ", ""))
    assert postcodes
    assert all(region.department(code[:2]) for code in postcodes)


# --- Sources ---------------------------------------------------------------------------------

def test_demo_sources_are_listed_and_marked_as_demo():
    sources = load_demo_sources(CONFIG_DIR)
    assert 8 <= len(sources) <= 11
    for source in sources:
        assert source.name.endswith(" (démo)") and source.actor_name.endswith(" (démo)")
        assert source.kind in ("ics", "feed", "auto", "initiatives")
        assert source.interval_minutes > 0
    served = {s.path for s in sources if (DEMO_DIR / s.path).is_file()}
    assert served | LINKED_PAGES == {p.name for p in TEMPLATES}  # event pages: linked only
    assert {s.path for s in sources} - served == {*DEMO_API_ROUTES, "mutuelle-ateliers-sante.ics"}


def test_demo_source_url_on_the_server():
    source = load_demo_sources(CONFIG_DIR)[0]
    assert source.url("http://127.0.0.1:5001/") == "http://127.0.0.1:5001/cress-mois-ess.ics"


@pytest.mark.parametrize("content, message", [
    ("", "no \\[\\[sources\\]\\]"),
    ("[[sources]\n", "cannot be read"),
    ('[[sources]]\nname = "A"\npath = "a.ics"\n', "actor"),
    ('[[sources]]\nname = "A"\npath = "../region.toml"\nactor = {name = "B", kind = "réseau"}\n',
     "path"),
    ('[[sources]]\nname = "A"\npath = "a.ics"\nkind = "pdf"\nactor = {name = "B", kind = "x"}\n',
     "kind"),
])
def test_invalid_demo_sources_raise_config_error(tmp_path, content, message):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "sources.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_demo_sources(tmp_path)


def test_missing_demo_sources_raise_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_demo_sources(tmp_path)


# --- Server ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    with DemoFeedServer(CONFIG_DIR, today_func=lambda: TODAY) as running:
        yield running


def get(server, path, headers=None, method="GET"):
    url = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_start_returns_the_base_url():
    demo = DemoFeedServer(CONFIG_DIR)
    base_url = demo.start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", base_url)
    finally:
        demo.stop()
    demo.stop()  # stopping twice is harmless


@pytest.mark.parametrize("path", TEMPLATES, ids=ids(TEMPLATES))
def test_server_serves_each_demo_file_with_its_content_type(server, path):
    status, headers, body = get(server, "/" + path.name)
    assert status == 200
    assert headers["Content-Type"] == CONTENT_TYPES[path.suffix]
    assert body == render_demo_body(path, today=TODAY)
    assert headers["ETag"].startswith('"')


def test_server_content_types(server):
    assert get(server, "/cress-mois-ess.ics")[1]["Content-Type"].startswith("text/calendar")
    assert get(server, "/cooperative-evenements.rss")[1]["Content-Type"].startswith(
        "application/rss+xml")
    assert get(server, "/reseau-actualites.atom")[1]["Content-Type"].startswith(
        "application/atom+xml")


def test_server_answers_304_to_its_etag(server):
    _, headers, _ = get(server, "/tiers-lieu-google.ics")
    status, again, body = get(server, "/tiers-lieu-google.ics",
                              {"If-None-Match": headers["ETag"]})
    assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])
    status, _, body = get(server, "/tiers-lieu-google.ics", {"If-None-Match": '"other"'})
    assert status == 200 and body


def test_head_sends_headers_only(server):
    status, headers, body = get(server, "/cress-mois-ess.ics", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_etag_changes_with_the_day():
    path = DEMO_DIR / "cress-mois-ess.ics"
    assert render_demo_body(path, today=TODAY) != render_demo_body(path, today=date(2026, 11, 22))


@pytest.mark.parametrize("header, matches", [
    ('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True),
    ('"x"', False), ("", False), (None, False),
])
def test_etag_matches(header, matches):
    assert etag_matches(header, '"abc"') is matches


@pytest.mark.parametrize("path", [
    "/", "/nothing.ics", "/mutuelle-ateliers-sante.ics", "/sources.toml",
    "/../region.toml", "/..%2Fregion.toml", "/%2e%2e/region.toml", "/demo/../../region.toml",
    "/..%5cregion.toml", "//etc/passwd", "/%2Fetc%2Fpasswd", "/.hidden.ics",
])
def test_server_answers_404_to_unknown_and_outside_paths(server, path):
    status, _, body = get(server, path)
    assert status == 404
    assert b"[region]" not in body and b"root:" not in body


def test_find_demo_file_refuses_symlinks_leaving_the_folder(tmp_path):
    (tmp_path / "secret.ics").write_text("BEGIN:VCALENDAR", encoding="utf-8")
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "link.ics").symlink_to(tmp_path / "secret.ics")
    assert find_demo_file(tmp_path / "demo", "/link.ics") is None


def test_start_without_demo_folder_raises_config_error(tmp_path):
    with pytest.raises(ConfigError, match="Demo folder not found"):
        DemoFeedServer(tmp_path).start()


def test_template_with_a_bad_placeholder_answers_500(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "bad.ics").write_text("DTSTART:{{yesterday}}\n", encoding="utf-8")
    with DemoFeedServer(tmp_path) as demo:
        assert get(demo, "/bad.ics")[0] == 500


@pytest.mark.parametrize("today, year", [(date(2026, 3, 2), 2026), (date(2026, 11, 21), 2026),
                                         (date(2026, 12, 1), 2027)])
def test_the_demo_campaign_is_the_next_or_current_mois_de_l_ess(today, year):
    campaign = demo_campaign(today)
    assert (campaign["slug"], campaign["name"]) == ("mois-ess", f"Mois de l'ESS {year}")
    assert campaign["rule_themes"] == ["mois-ess"]  # the demo sources' Mois de l'ESS events
    assert (campaign["starts_on"], campaign["ends_on"]) == (date(year, 11, 1), date(year, 11, 30))


# --- The demo's web pages and APIs ------------------------------------------------------------

def test_the_demo_programme_and_its_event_pages_hold_schema_org_events():
    from agenda.collectors.event_links import links_to_event_pages
    from agenda.collectors.jsonld import parse_jsonld

    listing = render_demo_body(DEMO_DIR / "theatre-programme.html", today=TODAY)
    assert b"@graph" in listing
    assert len(parse_jsonld(listing, page_url=BASE_URL + "/", default_tz=PARIS).events) == 2
    links = links_to_event_pages(listing, BASE_URL + "/theatre-programme.html", cap=30)
    assert {link.rsplit("/", 1)[1] for link in links} == LINKED_PAGES
    for name in LINKED_PAGES:
        page = render_demo_body(DEMO_DIR / name, today=TODAY)
        assert len(parse_jsonld(page, page_url=BASE_URL + "/", default_tz=PARIS).events) == 1


def test_the_demo_openagenda_pages_are_joined_by_their_cursor():
    from agenda.collectors.openagenda import parse_openagenda_page

    first, cursor, _ = parse_openagenda_page(
        render_demo_body(DEMO_DIR / "openagenda-events.json", today=TODAY), default_tz=PARIS)
    last, end, _ = parse_openagenda_page(
        render_demo_body(DEMO_DIR / "openagenda-events-2.json", today=TODAY), default_tz=PARIS)
    assert cursor and end is None and len(first.events) + len(last.events) == 3
    forum = first.events[0]
    assert (forum.location.department, forum.location.lat) == ("18", 47.081)
    assert first.events[1].title.startswith("Repair café")  # only in English
    assert forum.start.date() == date(2026, 11, 26)  # today + 5


def test_the_demo_tribe_pages_link_to_each_other_on_the_server(server):
    from agenda.collectors.tribe_events import parse_tribe_page

    status, headers, body = get(server, "/wp-json/tribe/events/v1/events?start_date=2026-08-23")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    page, next_url, total_pages = parse_tribe_page(body, default_tz=PARIS)
    assert (len(page.events), total_pages) == (2, 2)
    assert next_url == server.base_url + "wp-json/tribe/events/v1/events?page=2"
    status, _, body = get(server, "/wp-json/tribe/events/v1/events?page=2")
    last, end, _ = parse_tribe_page(body, default_tz=PARIS)
    assert status == 200 and end is None and last.events[0].all_day


def test_the_demo_openagenda_api_answers_its_second_page_to_the_cursor(server):
    path = "/openagenda/v2/agendas/8803/events?size=300"
    assert b"8803101" in get(server, path)[2]
    assert b"8803103" in get(server, path + "&after%5B%5D=1700000000000&after%5B%5D=8803102")[2]
    assert get(server, "/openagenda-events.json")[0] == 404  # only at its API path
