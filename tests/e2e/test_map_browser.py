"""The map (/map) in a browser: with JavaScript, clustered markers drawn from /map.json, a
marker's popup leading to the record's page, and no Content Security Policy violation in the
console (tiles routed to an empty image, zooming in removes tiles); without JavaScript, the
form and the list by commune, whose links work."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from agenda.db import transaction
from agenda.models import Actor, Initiative
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.e2e.test_event_page_browser import PARIS, offline

pytestmark = pytest.mark.browser

TITLE = "Atelier vélo cartographié"


@pytest.fixture
def placed(demo_app, factory) -> dict:
    """Beside the demo: an event with its own point at Blois, an actor at Chartres' centre (no
    point of its own) and an initiative at Orléans."""
    start = datetime.combine(datetime.now(PARIS).date() + timedelta(days=4), time(14), PARIS)
    record = EventRecord(source_uid="atelier-velo", title=TITLE, start=start,
                         end=start + timedelta(hours=2),
                         occurrences=[Occurrence(start, start + timedelta(hours=2))],
                         location=Location(name="Maison des vélos", city="Blois", postcode="41000",
                                           department="41", lat=47.5861, lon=1.3359))
    now = datetime.now(PARIS)
    with transaction(factory) as session:
        source_id = add_source(session, name="Vélos", url="http://127.0.0.1/velo.ics", now=now).id
        upsert_events(session, source_id, [record], now=now, tz=PARIS)
        actor = Actor(name="Coopérative cartographiée", structure="cooperative",
                      commune_code="28085", commune_name="Chartres", department="28",
                      status="confirmed")
        session.add(actor)
        session.add(Initiative(id="c0ffee", title="Jardin partagé cartographié",
                               department="45", commune_code="45234", commune_name="Orléans",
                               lat=47.9029, lon=1.9093))
    with transaction(factory) as session:  # the listing's words are answered by the index
        demo_app.extensions["agenda"].search.sync(session, source_id)
    return {"event": TITLE}


def csp_errors(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def test_markers_and_clusters_are_drawn_and_a_popup_leads_to_the_page(browser, site, placed):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    asked = offline(context)
    page = context.new_page()
    errors = csp_errors(page)
    page.goto(f"{site}/map")
    page.wait_for_selector("#carte[data-markers] .leaflet-marker-icon")
    assert page.locator("#carte").is_visible()
    assert page.locator("#carte").get_attribute("aria-label")
    assert int(page.locator("#carte").get_attribute("data-markers")) >= 3
    assert page.locator("#carte .marker-cluster").count() >= 1  # the demo's towns gather
    assert "OpenStreetMap" in page.locator("#carte .leaflet-control-attribution").inner_text()
    assert asked and all(url.startswith("https://tile.openstreetmap.org/") for url in asked)
    # a cluster opens when clicked (the map zooms in: tiles are removed and loaded again)
    page.locator("#carte .marker-cluster").first.click()
    page.wait_for_timeout(800)
    # the list stays below the map: the same records, by commune
    assert page.get_by_role("heading", name="Blois (41)").is_visible()
    assert errors == []
    context.close()


def test_a_markers_popup_opens_from_the_keyboard_and_its_link_leads_to_the_page(browser, site, placed):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    offline(context)
    page = context.new_page()
    errors = csp_errors(page)
    page.goto(f"{site}/map?kind=event&q=cartographié")
    page.wait_for_selector("#carte .map-marker--event")
    marker = page.locator("#carte .map-marker--event")
    assert marker.count() == 1
    assert marker.get_attribute("title") == f"Évènement\u00a0: {TITLE}"
    assert marker.locator(".map-pin").inner_text() == "É"  # a letter, not colour alone
    marker.focus()  # a marker is a button for the keyboard too: Enter opens its popup
    page.keyboard.press("Enter")
    link = page.locator("#carte .leaflet-popup a", has_text=TITLE)
    link.wait_for()
    assert "Blois" in page.locator("#carte .leaflet-popup").inner_text()
    link.click()
    page.wait_for_url("**/evenements/**")
    assert page.locator("h1").inner_text() == TITLE
    assert errors == []
    context.close()


def test_each_kind_has_its_shape_and_letter(browser, site, placed):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    offline(context)
    page = context.new_page()
    page.goto(f"{site}/map?lang=en&q=cartographi&kind=actor&kind=initiative")
    page.wait_for_selector("#carte .map-marker--actor")
    assert page.locator("#carte .map-marker--actor .map-pin").inner_text() == "A"
    assert page.locator("#carte .map-marker--initiative .map-pin").inner_text() == "I"
    shapes = page.evaluate("""() => ['actor', 'initiative'].map(kind => {
        const pin = document.querySelector(`#carte .map-marker--${kind} .map-pin`);
        const style = getComputedStyle(pin);
        return [style.borderRadius, style.transform !== 'none'];
    })""")
    assert shapes[0][1] is False and shapes[1][1] is True  # the initiative's diamond
    context.close()


def test_without_javascript_the_list_is_there_and_its_links_work(browser, site, placed):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    offline(context)
    page = context.new_page()
    page.goto(f"{site}/map")
    assert not page.locator("#carte").is_visible()  # an empty box would only take room
    assert page.get_by_role("heading", name="Chartres (28)").is_visible()
    assert page.get_by_role("link", name="Coopérative cartographiée").count() <= 1
    assert page.get_by_role("link", name="Jardin partagé cartographié").is_visible()
    # the filter form works without JavaScript too
    page.locator(".map-filter-panel > summary").click()
    page.uncheck("#f-kind-actor")
    page.uncheck("#f-kind-initiative")
    page.fill("#f-q", "cartographié")
    page.locator(".map-filters button[type=submit]").click()
    assert "kind=event" in page.url
    page.get_by_role("link", name=TITLE).click()
    assert page.locator("h1").inner_text() == TITLE
    context.close()
