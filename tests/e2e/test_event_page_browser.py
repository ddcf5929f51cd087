"""The event page in a browser: the map drawn by JavaScript (Leaflet, vendored) with the
OpenStreetMap tiles routed to an empty image (tests never reach the internet), the page complete
without JavaScript, axe-core at 0 violations with a map, nothing wider than a 320 px phone."""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.e2e.test_accessibility import violations
from tests.e2e.test_narrow_pages import overflow

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
EMPTY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
TILES = "https://tile.openstreetmap.org/**"


@pytest.fixture
def mapped(demo_app, factory) -> tuple[str, list[str]]:
    """A weekly repair café with coordinates stored beside the demo, its third session moved
    two days later and its fourth cancelled: the master's id and the days of the pages to see
    (a date of the master, the moved session's, the cancelled one's)."""
    first = date.today() + timedelta(days=3)
    starts = [datetime.combine(first + timedelta(weeks=n), time(18), PARIS) for n in range(5)]
    moved = starts[2] + timedelta(days=2)
    records = [
        repair(starts[0], rrule="FREQ=WEEKLY;COUNT=5",
               occurrences=[Occurrence(s, s + timedelta(hours=2)) for s in starts[:2] + starts[4:]]),
        repair(moved, recurrence_id=_utc_iso(starts[2]),
               occurrences=[Occurrence(moved, moved + timedelta(hours=2))]),
        repair(starts[3], recurrence_id=_utc_iso(starts[3]), status="cancelled",
               occurrences=[Occurrence(starts[3], starts[3] + timedelta(hours=2))]),
    ]
    now = datetime.now(PARIS)
    with transaction(factory) as session:
        source_id = add_source(session, name="Carte", url="http://127.0.0.1/carte.ics",
                               now=now).id
        upsert_events(session, source_id, records, now=now, tz=PARIS)
    with transaction(factory) as session:
        ids = {e.recurrence_id: e.id for e in session.scalars(
            select(Event).where(Event.source_uid == "repair-carte"))}
    pages = [f"/evenements/{ids['']}/{starts[1].date()}",
             f"/evenements/{ids[_utc_iso(starts[2])]}/{moved.date()}",
             f"/evenements/{ids[_utc_iso(starts[3])]}/{starts[3].date()}"]
    return ids[""], [s.date().isoformat() for s in starts], pages


def repair(start: datetime, **fields) -> EventRecord:
    return EventRecord(
        source_uid="repair-carte", title="Repair café de la Ressourcerie", start=start,
        end=start + timedelta(hours=2), organizer="Association Répar'37",
        description_text="Apportez vos objets cassés.",
        location=Location(name="Ressourcerie du Cher", address="3 rue du Commerce",
                          postcode="37000", city="Tours", department="37", lat=47.39412,
                          lon=0.68484), **fields)


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def offline(context) -> list[str]:
    """Route tiles to an empty PNG and refuse anything else off this machine; the tile URLs."""
    asked: list[str] = []

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=EMPTY_PNG)

    context.route(lambda url: not url.startswith("http://127.0.0.1"),
                  lambda route: route.abort())
    context.route(TILES, tile)  # registered last, so tried first
    return asked


def test_the_map_is_drawn_with_javascript(browser, site, mapped):
    event_id, days, _pages = mapped
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 900})
    asked = offline(context)
    page = context.new_page()
    page.goto(f"{site}/evenements/{event_id}/{days[1]}")
    page.wait_for_selector("#carte.leaflet-container .leaflet-tile-loaded")
    assert page.locator("#carte").is_visible()
    assert page.locator("#carte .leaflet-marker-icon").get_attribute("alt") == \
        "Ressourcerie du Cher"
    assert "OpenStreetMap" in page.locator("#carte .leaflet-control-attribution").inner_text()
    assert asked and all(url.startswith("https://tile.openstreetmap.org/16/") for url in asked)
    weekday = format_date(date.fromisoformat(days[1]), "EEEE", locale="fr")
    assert page.locator(".event-when-line").inner_text().startswith(weekday)
    assert page.locator('.series-dates a[aria-current="true"]').get_attribute("href") \
        .endswith(f"/{days[1]}")
    context.close()


def test_the_page_works_without_javascript(browser, site, mapped):
    event_id, days, _pages = mapped
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    offline(context)
    page = context.new_page()
    page.goto(f"{site}/evenements/{event_id}")
    assert not page.locator("#carte").is_visible()  # an empty box would only take room
    osm = page.get_by_role("link", name="Voir sur la carte (OpenStreetMap)")
    assert osm.is_visible() and "mlat=47.39412" in osm.get_attribute("href")
    assert page.get_by_role("link", name="Ajouter à Google Agenda").is_visible()
    assert page.get_by_role("link", name="Ajouter à Outlook").is_visible()
    assert page.locator("#adresse-page").input_value().endswith(f"/evenements/{event_id}")
    assert not page.get_by_role("button", name="Copier").is_visible()
    page.locator(f'.series-dates a[href$="/{days[4]}"]').click()
    assert page.url.endswith(f"/evenements/{event_id}/{days[4]}")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_an_event_page_with_a_map(browser, site, mapped, lang, width):
    event_id, _days, pages = mapped
    context = browser.new_context(locale="fr-FR", bypass_csp=True,
                                  viewport={"width": width, "height": 900})
    offline(context)
    page = context.new_page()
    for path in [f"/evenements/{event_id}", *pages]:
        page.goto(f"{site}{path}?lang={lang}")
        page.wait_for_selector("#carte .leaflet-tile-loaded")
        assert violations(page) == [], path
    context.close()


def test_an_event_page_with_a_map_fits_a_320_px_phone(browser, site, mapped):
    _event_id, _days, pages = mapped
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 700})
    offline(context)
    page = context.new_page()
    for path in pages:
        page.goto(f"{site}{path}")
        page.wait_for_selector("#carte .leaflet-tile-loaded")
        assert overflow(page) == [], path
    context.close()
