"""axe-core (npm, pinned) finds no violation on any page, public or staff, in French and in
English, on a 390 px phone and a 1280 px desktop.  The demo is collected for real, a proposal
waits in the queue and a campaign exists, so that every page shows real content."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.demo import demo_campaign
from agenda.services.accounts import create_user
from agenda.store.campaigns import create_campaign

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
STAFF_EMAIL = "accessibilite@cress-centre.example"
STAFF_PASSWORD = "un mot de passe assez long"
PUBLIC_PAGES = ["/", "/mois", "/sources", "/submit", "/submit/initiative", "/initiatives/",
                "/campagnes/", "/page-qui-n-existe-pas", "/admin/login"]
STAFF_PAGES = ["/admin/", "/admin/moderation/", "/admin/actors", "/admin/audit",
               "/admin/campaigns/", "/admin/accounts"]
PHONE_WIDE = {"/admin/accounts", "/admin/actors", "/admin/audit", "/admin/"}  # never wider


@pytest.fixture
def staffed_site(site, factory):
    now = datetime.now(ZoneInfo("UTC"))
    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="admin", now=now)
        create_campaign(session, **demo_campaign(date.today()), now=now)
    return site


def violations(page) -> list[str]:
    """axe-core's violations on the loaded page, one line each (rule, impact, where)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in json.loads(result)]


def confirmation_path(factory) -> str:
    """The one-time link a trusted actor's contact address would receive, for the latest
    proposal (issued directly: the tests have no mailbox)."""
    from sqlalchemy import select

    from agenda.models import Actor, Submission
    from agenda.services.address_proofs import issue_confirmation

    with transaction(factory) as session:
        submission = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
        actor = session.scalars(select(Actor).order_by(Actor.id)).first()
        submission.actor_id = actor.id
        token = issue_confirmation(session, submission, actor, sender_key=None,
                                   now=datetime.now(ZoneInfo("UTC")))
    return f"/submit/confirm/{token}"


def first_event_path(page, site: str) -> str:
    page.goto(site + "/")
    return page.locator(".results .event-title a").first.get_attribute("href")


def propose_and_sign_in(page, site: str, lang: str) -> None:
    """A proposal in the queue (its page is checked too), then the staff sign in."""
    day = date.today() + timedelta(days=6)
    page.goto(f"{site}/submit?lang={lang}")
    for field, value in {"#title": "Atelier vélo partagé", "#start_date": day.isoformat(),
                         "#start_time": "14:30", "#end_date": day.isoformat(),
                         "#end_time": "17:00", "#location_name": "La Rustine",
                         "#postcode": "37000", "#city": "Tours",
                         "#description": "Réparer ensemble.",
                         "#new_actor_name": "La Rustine", "#contact_email": "a@example.org"}.items():
        page.fill(field, value)
    page.select_option("#new_actor_kind", "association")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{site}/admin/login?lang={lang}")
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.staff-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_any_page(browser, staffed_site, factory, lang, width):
    context = browser.new_context(locale="fr-FR", bypass_csp=True,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    site = staffed_site
    paths = PUBLIC_PAGES + [first_event_path(page, site)]
    found = {}
    for path in paths:
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        found[path] = violations(page)
    propose_and_sign_in(page, site, lang)
    page.goto(f"{site}/admin/moderation/?lang={lang}")
    proposal = page.locator("table.queue th a").first.get_attribute("href")
    page.goto(f"{site}{confirmation_path(factory)}?lang={lang}")
    assert page.locator("form.proposal-form button[type=submit]").count() == 1  # the real page
    found["/submit/confirm/<token>"] = violations(page)
    for path in STAFF_PAGES + [proposal]:
        page.goto(f"{site}{path}?lang={lang}")
        assert "/admin/login" not in page.url, path
        found[path] = violations(page)
        if path in PHONE_WIDE:
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
