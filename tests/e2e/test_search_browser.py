"""The search across kinds in a real browser, on the offline demo collected for real (and an
actor and an initiative added): words typed in the search box find events, initiatives and
actors; the kind facet narrows to actors; the CSV of the result downloads; nothing scrolls
sideways on a phone."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from agenda.db import transaction
from agenda.models import Actor, Initiative
from agenda.store.changes import bump_data_version

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture
def directory(factory, demo_app):
    now = datetime.now(timezone.utc)
    with transaction(factory) as session:
        actor = Actor(name="Atelier coopératif du Cher", structure="cooperative",
                      status="confirmed", department="18", commune_code="18033",
                      commune_name="Bourges", themes=["reemploi"])
        session.add(actor)
        session.flush()
        session.add(Initiative(id="e2e0search", title="Ateliers vélo partagés", status="active",
                               department="45", themes=["mobilite"], actor_id=actor.id,
                               created_at=now, updated_at=now))
        bump_data_version(session)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_words_find_the_three_kinds_the_facet_narrows_and_the_csv_downloads(
        browser, site, directory, viewport, tmp_path):
    context = browser.new_context(locale="fr-FR", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(site + "/")
    page.click("nav.main-nav a[href='/search']")
    page.fill("#finder-q", "ateliers")
    page.press("#finder-q", "Enter")
    page.wait_for_url("**/search?q=ateliers*")
    for kind in ("event", "initiative", "actor"):
        assert page.locator(f".finder-card.finder-{kind}").first.is_visible(), kind
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.click(".finder-kinds a:has-text('Acteurs')")
    page.wait_for_url("**kind=actor*")
    assert page.locator(".finder-card").count() == 1
    assert page.locator(".finder-card .finder-title").inner_text().startswith(
        "Atelier coopératif du Cher")

    with page.expect_download() as download:
        page.click(".finder-downloads a:has-text('CSV')")
    path = tmp_path / "recherche.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeffType,")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [(row[0], row[2]) for row in rows[1:]] == [("acteur", "Atelier coopératif du Cher")]
    assert rows[1][3].startswith(site + "/actors/")
    context.close()
