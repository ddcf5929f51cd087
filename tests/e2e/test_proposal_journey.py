"""The whole journey of a proposal in a real browser: a new user proposes an event, the staff
sign in and approve it, it is in the listing, the search and /calendar.ics; the submitter then
changes it through the secret link and it goes back to moderation."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.services.accounts import create_user
from tests.e2e.proposal_form import send_event_proposal

pytestmark = pytest.mark.browser

STAFF_EMAIL = "moderation@cress-centre.example"
STAFF_PASSWORD = "un mot de passe assez long"
TITLE = "Disco soupe zérogaspillage au marché"
WORD = "zerogaspillage"  # searched without its accent


@pytest.fixture
def staff(factory):
    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="staff",
                    now=datetime.now(ZoneInfo("UTC")))


def propose(page, site: str, day) -> str:
    """Fill the public form as a newcomer would; returns the secret link it shows."""
    page.goto(f"{site}/submit")
    send_event_proposal(
        page, title=TITLE, day=day, hours=("10:00", "13:00"),
        place={"location_name": "Halles Châtelet", "address": "Place du Châtelet",
               "postcode": "45000", "city": "Orléans"},
        description="On cuisine ensemble les invendus du marché.\n\nOuvert à tous.",
        theme="alimentation", organiser="Collectif Disco Soupe Orléans")
    return page.input_value("#lien-secret")


def sign_in(page, site: str) -> None:
    page.goto(f"{site}/admin/moderation/")  # an anonymous visitor is sent to the login page
    assert "/admin/login" in page.url
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_url(f"{site}/admin/moderation/**")


def open_proposal(page, site: str) -> None:
    page.goto(f"{site}/admin/moderation/")
    page.click(f"table.queue tr:has-text('{TITLE[:20]}') th a")
    page.wait_for_selector(".moderation-actions")


def test_propose_approve_find_subscribe_then_edit_back_to_moderation(browser, site, staff):
    day = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=5)
    visitor = browser.new_context(locale="fr-FR").new_page()
    moderator = browser.new_context(locale="fr-FR").new_page()

    secret_link = propose(visitor, site, day)
    assert "/submit/manage/" in secret_link
    visitor.goto(f"{site}/?q={WORD}")
    assert TITLE not in visitor.content()  # pending: not published

    sign_in(moderator, site)
    open_proposal(moderator, site)
    moderator.click("button.button-approve")
    moderator.wait_for_selector(".flash, .notice, [role=status]")

    visitor.goto(f"{site}/")
    assert TITLE in visitor.content()
    visitor.goto(f"{site}/?q={WORD}")
    assert visitor.locator(f"text={TITLE}").count() >= 1
    calendar = visitor.request.get(f"{site}/calendar.ics").text()
    assert "SUMMARY:Disco soupe zérogaspillage au marché" in calendar.replace("\r\n ", "")

    visitor.goto(secret_link)
    visitor.click("a[href$='/edit']")
    visitor.fill("#title", TITLE + " (nouvelle date)")
    visitor.click("form.proposal-form button[type=submit]")
    visitor.wait_for_load_state()
    assert "/submit/manage/" in visitor.url

    open_proposal(moderator, site)
    changes = moderator.locator(".proposal-changes tr.change-title")
    assert changes.count() == 1 and "(nouvelle date)" in changes.inner_text()
    visitor.goto(f"{site}/?q={WORD}")  # the approved version stays until the new one is
    assert visitor.locator(f"text={TITLE}").count() >= 1
    visitor.context.close()
    moderator.context.close()
