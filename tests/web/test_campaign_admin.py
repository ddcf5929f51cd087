"""The staff pages of campaigns: closed to anonymous visitors; staff create and change a
campaign, and a refused one comes back with an error next to each field and the input kept."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import Campaign
from agenda.store.audit import list_audit
from tests.web.pages import read_page
from tests.web.staff import STAFF, accounts, csrf_token, sign_in  # noqa: F401 (fixture)

MOIS = {"name": "Mois de l'ESS 2026", "slug": "mois-ess-2026", "starts_on": "2026-11-01",
        "ends_on": "2026-11-30", "description": "Chaque novembre, partout en France."}


def campaigns(factory) -> list[Campaign]:
    with transaction(factory) as session:
        return list(session.scalars(select(Campaign).order_by(Campaign.id)))


def post_form(client, path: str, data: dict):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **data})


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="([a-z_]+)-error">(.*?)</p>', html))


def input_value(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else None


@pytest.fixture
def staff(client, accounts):  # noqa: F811
    assert sign_in(client).status_code == 302
    return client


@pytest.mark.parametrize("path", ["/admin/campaigns/", "/admin/campaigns/new",
                                  "/admin/campaigns/1/edit"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_an_anonymous_post_is_refused_and_creates_nothing(client, factory):
    token = csrf_token(client, "/admin/login")  # a valid token: only the sign-in is missing
    response = client.post("/admin/campaigns/new", data={"csrf_token": token, **MOIS})
    assert response.status_code == 401
    assert client.post("/admin/campaigns/new", data=MOIS).status_code in (400, 401)
    assert campaigns(factory) == []


def test_staff_create_a_campaign(staff, factory):
    assert staff.get("/admin/campaigns/new?lang=en").status_code == 200
    response = post_form(staff, "/admin/campaigns/new", MOIS)
    assert response.status_code == 302
    [campaign] = campaigns(factory)
    assert response.headers["Location"] == f"/admin/campaigns/{campaign.id}/edit"  # picks next
    assert (campaign.name, campaign.slug, campaign.starts_on, campaign.ends_on) == (
        "Mois de l'ESS 2026", "mois-ess-2026", date(2026, 11, 1), date(2026, 11, 30))
    assert campaign.description == "Chaque novembre, partout en France."
    with transaction(factory) as session:
        [entry] = [e for e in list_audit(session) if e.action.startswith("campaign_")]
    assert (entry.action, entry.who) == ("campaign_create", STAFF)
    listing = staff.get("/admin/campaigns/")
    assert "Mois de l&#39;ESS 2026 was created" in listing.get_data(as_text=True)
    page = read_page(listing.get_data(as_text=True))
    assert page.hrefs("/campagnes/mois-ess-2026") and page.hrefs(
        f"/admin/campaigns/{campaign.id}/edit")
    assert staff.get("/campagnes/mois-ess-2026").status_code == 200


@pytest.mark.parametrize("changes, field, message", [
    ({"slug": "Mois ESS!"}, "slug", "Use 2 to 80 lower-case letters, digits and hyphens"),
    ({"ends_on": "2026-10-31"}, "ends_on", "The end date must not be before the start date."),
    ({"name": ""}, "name", "Give the campaign a name."),
    ({"starts_on": "2026-13-45"}, "starts_on", "Not a valid date value."),
    ({"starts_on": ""}, "starts_on", "Give a date."),
])
def test_a_refused_campaign_shows_the_error_by_its_field_and_keeps_the_input(
        staff, factory, changes, field, message):
    staff.get("/admin/campaigns/?lang=en")
    sent = {**MOIS, **changes}
    response = post_form(staff, "/admin/campaigns/new", sent)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = field_errors(html)
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    assert 'aria-invalid="true"' in html
    for name in ("name", "slug", "starts_on", "ends_on"):  # as typed, even when refused
        assert unescape(input_value(html, name) or "") == sent[name]
    assert "Chaque novembre, partout en France." in html  # the description, kept
    assert campaigns(factory) == []


def test_every_refused_field_is_named_at_once(staff, factory):
    staff.get("/admin/campaigns/?lang=en")
    response = post_form(staff, "/admin/campaigns/new",
                         {**MOIS, "name": "", "slug": "x", "starts_on": "hier"})
    assert set(field_errors(response.get_data(as_text=True))) == {"name", "slug", "starts_on"}


def test_a_slug_already_taken_is_refused(staff, factory):
    staff.get("/admin/campaigns/?lang=en")
    assert post_form(staff, "/admin/campaigns/new", MOIS).status_code == 302
    response = post_form(staff, "/admin/campaigns/new", {**MOIS, "name": "Doublon"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_errors(html) == {"slug": "Another campaign already has this address."}
    assert input_value(html, "name") == "Doublon"
    assert input_value(html, "slug") == "mois-ess-2026"
    assert len(campaigns(factory)) == 1


def test_staff_change_a_campaign(staff, factory):
    staff.get("/admin/campaigns/?lang=en")
    post_form(staff, "/admin/campaigns/new", MOIS)
    [campaign] = campaigns(factory)
    path = f"/admin/campaigns/{campaign.id}/edit"
    form = staff.get(path).get_data(as_text=True)
    assert input_value(form, "slug") == "mois-ess-2026"
    assert input_value(form, "starts_on") == "2026-11-01"
    refused = post_form(staff, path, {**MOIS, "ends_on": "2026-10-01"})
    assert refused.status_code == 400
    assert list(field_errors(refused.get_data(as_text=True))) == ["ends_on"]
    response = post_form(staff, path, {**MOIS, "name": "Mois de l'ESS", "ends_on": "2026-12-01"})
    assert response.status_code == 302
    [changed] = campaigns(factory)
    assert (changed.name, changed.ends_on) == ("Mois de l'ESS", date(2026, 12, 1))
    with transaction(factory) as session:
        actions = [e.action for e in list_audit(session) if e.action.startswith("campaign_")]
    assert actions == ["campaign_update", "campaign_create"]


def test_changing_an_unknown_campaign_is_a_404(staff):
    assert staff.get("/admin/campaigns/999/edit").status_code == 404


def test_the_staff_pages_are_never_cached(staff):
    assert staff.get("/admin/campaigns/").headers["Cache-Control"] == "no-store"


def test_nothing_is_saved_without_a_csrf_token(staff, factory):
    response = staff.post("/admin/campaigns/new", data=MOIS)
    assert response.status_code == 400
    with transaction(factory) as session:
        assert session.scalar(select(func.count(Campaign.id))) == 0
