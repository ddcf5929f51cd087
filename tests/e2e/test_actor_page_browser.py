"""An actor's page in a browser: its upcoming event and its initiative are there and lead to
their pages, its calendar subscription works (the .ics address it gives holds the event, its
webcal:// twin names the same feed), axe-core finds nothing and it fits the narrowest phone."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from agenda.db import transaction
from agenda.models import Event, EventActor, InitiativeActor
from agenda.records import EventRecord, Location, Occurrence
from agenda.services.actors import save_actor
from agenda.store.events import upsert_events
from agenda.store.initiatives import put_initiative
from agenda.store.sources import add_source
from agenda.web import create_app
from tests.e2e.test_accessibility import violations
from tests.e2e.test_narrow_pages import WIDTH, overflow

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Repair café du jeudi"


@pytest.fixture
def actor_site(settings, engine, factory):
    """The app (no demo: one actor is enough) served on a loopback port, with Répar'37, its
    event in three days and its initiative; the base URL and the actor's id."""
    start = datetime.combine(date.today() + timedelta(days=3), time(18), PARIS)
    now = datetime.now(PARIS)
    record = EventRecord(source_uid="repair-jeudi", title=TITLE, start=start,
                         end=start + timedelta(hours=2),
                         occurrences=[Occurrence(start, start + timedelta(hours=2))],
                         location=Location(city="Tours", postcode="37000", department="37"))
    with transaction(factory) as session:
        source_id = add_source(session, name="Agenda de Répar'37",
                               url="http://127.0.0.1/repar.ics", now=now).id
        upsert_events(session, source_id, [record], now=now, tz=PARIS)
        actor, _ = save_actor(session, {"name": "Répar'37", "structure": "association",
                                        "siren": "732829320", "postcode": "37000",
                                        "city": "Tours", "themes": ["reemploi"]},
                              origin="staff", status="confirmed", now=now)
        event_id = session.scalar(select(Event.id).where(Event.title == TITLE))
        session.add(EventActor(event_id=event_id, actor_id=actor.id, how="staff"))
        initiative = put_initiative(session, None, {
            "title": "Ressourcerie mobile", "description_html": "", "description_text": "",
            "themes": ["reemploi"], "department": "37", "territory": None, "url": None,
            "status": "active", "actor_id": actor.id}, now=now)
        session.add(InitiativeActor(initiative_id=initiative.id, actor_id=actor.id))
        actor_id = actor.id
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-actor", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", actor_id
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    app.extensions["agenda"].engine.dispose()


@pytest.fixture
def page(browser):
    """A French page whose CSP lets axe-core's script in (as the accessibility walk does)."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def test_an_actors_page_shows_its_event_and_initiative_and_its_calendar_works(page,
                                                                               actor_site):
    base, actor_id = actor_site
    page.set_viewport_size({"width": WIDTH, "height": 800})  # the narrowest phone
    page.goto(f"{base}/actors/{actor_id}")
    assert page.locator("h1").inner_text() == "Répar'37"
    upcoming = page.locator("section.actor-events").first
    assert TITLE in upcoming.inner_text()
    assert page.get_by_role("link", name="Ressourcerie mobile").is_visible()
    assert violations(page) == [] and overflow(page) == []

    ics = page.locator("#abonnement-acteur-adresse").input_value()
    assert ics == f"{base}/calendar.ics?actor={actor_id}"
    webcal = page.locator("a.subscribe-webcal").get_attribute("href")
    assert webcal == ics.replace("http://", "webcal://", 1)
    response = page.request.get(ics)
    assert response.ok and "text/calendar" in response.headers["content-type"]
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{TITLE}" in body

    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert "/evenements/" in page.url and TITLE in page.locator("h1").inner_text()


def test_the_directory_in_a_browser_leads_to_the_actors_page(page, actor_site):
    base, actor_id = actor_site
    page.goto(f"{base}/actors/?theme=reemploi")
    page.get_by_role("link", name="Répar'37").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/actors/{actor_id}")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert violations(page) == []
