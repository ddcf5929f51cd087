"""The Mois de l'ESS in a real browser, on the offline demo collected for real: its page lists
the collected November events its rule matches; a person proposes an event for it from the
page's button, staff approve it, and it appears on the page beside the collected events."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.demo import ensure_demo_campaign
from agenda.services.accounts import create_user
from tests.e2e.proposal_form import send_event_proposal

pytestmark = pytest.mark.browser

STAFF_EMAIL = "moderation@cress-centre.example"
STAFF_PASSWORD = "un mot de passe assez long"
COLLECTED = ["Lancement régional du Mois de l'ESS", "Soirée de clôture du Mois de l'ESS"]
TITLE = "Portes ouvertes de la recyclerie des Bords de Loire"


@pytest.fixture
def mois(factory, demo_app):
    """The demo's Mois de l'ESS (as `agenda demo` makes it) and a staff account."""
    now = datetime.now(ZoneInfo("UTC"))
    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="staff", now=now)
        campaign = ensure_demo_campaign(session, now.astimezone(ZoneInfo("Europe/Paris")).date(),
                                        now=now)
        return campaign.slug, campaign.starts_on


def propose_from_the_campaign_page(page, site: str, slug: str, day: date) -> None:
    page.goto(f"{site}/campagnes/{slug}")
    page.click("a.campaign-propose")
    page.wait_for_load_state()
    assert f"campagne={slug}" in page.url
    chosen = page.locator("#campaign option:checked").inner_text()
    assert "Mois de l'ESS" in chosen  # the campaign is chosen already
    send_event_proposal(
        page, title=TITLE, day=day, hours=("10:00", "17:00"),
        place={"location_name": "Recyclerie des Bords de Loire", "address": "12 quai du Roi",
               "postcode": "45000", "city": "Orléans"},
        description="Visite des ateliers et vente solidaire.", theme="reemploi",
        organiser="Recyclerie des Bords de Loire")


def approve(page, site: str) -> None:
    page.goto(f"{site}/admin/login")
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_url(f"{site}/admin/**")
    page.goto(f"{site}/admin/moderation/")
    page.click(f"table.queue tr:has-text('{TITLE[:20]}') a")
    page.wait_for_selector(".moderation-actions")
    page.click("button.button-approve")
    page.wait_for_load_state()


def test_the_campaign_page_lists_collected_events_its_rules_match(page, site, mois):
    slug, _ = mois
    page.goto(f"{site}/campagnes/{slug}")
    text = page.locator(".results").inner_text()
    for title in COLLECTED:
        assert title in text
    total = int(page.locator("#total-evenements .counter-number").inner_text())
    assert total >= 8  # the demo's Mois de l'ESS events, not "0 évènement"


def test_a_proposal_for_the_mois_de_l_ess_appears_beside_the_collected_events(browser, site,
                                                                              mois):
    slug, first = mois
    visitor = browser.new_context(locale="fr-FR").new_page()
    moderator = browser.new_context(locale="fr-FR").new_page()
    propose_from_the_campaign_page(visitor, site, slug, first.replace(day=15))
    visitor.goto(f"{site}/campagnes/{slug}")
    assert TITLE not in visitor.locator(".results").inner_text()  # waiting for moderation

    approve(moderator, site)

    visitor.goto(f"{site}/campagnes/{slug}")
    listed = visitor.locator(".results").inner_text()
    assert TITLE in listed
    for title in COLLECTED:
        assert title in listed
    visitor.context.close()
    moderator.context.close()
