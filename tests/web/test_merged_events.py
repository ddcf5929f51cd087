"""A merged event on the site: the old address of a copy (its page, its date's page) sends to
the listed event's (302: a merge can be split), a copy of a removed event is gone, and the
listed event's page says who else announced it ("Aussi annoncé par"), with a "Split" button
for staff once the matches' pages provide it; counts and listings show it once."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from flask import url_for

from agenda.db import transaction
from agenda.models import Event
from agenda.store.campaigns import create_campaign
from tests.store.merged import NOW, add_events, forum, merge_into
from tests.web.pages import json_ld, read_page
from tests.web.staff import accounts, sign_in  # noqa: F401 (a fixture)

CRESS_PAGE = "https://cress.example.org/agenda/forum-ess"
RESEAU_SITE = "https://reseau.example.org/"


@pytest.fixture
def forum_ids(factory):
    """The forum from its organiser (listed), the CRESS (its own page) and a network whose
    copy has no link (its actor's website stands for it); merged into the organiser's."""
    listed, = add_events(factory, "Organisateur", [forum("forum-2026")],
                         actor_name="Maison de l'ESS")
    cress, = add_events(factory, "CRESS Centre", [forum("c-17", "Forum ESS", url=CRESS_PAGE)])
    reseau, = add_events(factory, "Réseau des tiers-lieux", [forum("r-3", "Forum")],
                         actor_name="Réseau", actor_website=RESEAU_SITE)
    merge_into(factory, cress, listed)
    merge_into(factory, reseau, listed)
    return {"listed": listed, "cress": cress, "reseau": reseau}


@pytest.mark.parametrize("suffix, to", [("", ""), ("/2026-11-24", "/2026-11-24"),
                                        ("/2026-11-30", ""), ("/2026-02-30", "")])
def test_the_page_of_a_copy_sends_to_the_listed_event(client, forum_ids, suffix, to):
    """To the same date's page when the listed event is held that day, else to its page."""
    response = client.get(f"/evenements/{forum_ids['cress']}{suffix}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/evenements/{forum_ids['listed']}{to}"


def test_the_redirect_lands_on_the_listed_events_date(client, forum_ids):
    response = client.get(f"/evenements/{forum_ids['cress']}/2026-11-24", follow_redirects=True)
    assert response.status_code == 200
    assert "<h1><span>Forum de l&#39;ESS</span></h1>" in response.get_data(as_text=True)


def test_a_copy_of_a_removed_event_is_gone_as_that_event_is(client, factory, forum_ids):
    with transaction(factory) as session:
        session.get(Event, forum_ids["listed"]).removed_at = NOW
    assert client.get(f"/evenements/{forum_ids['listed']}").status_code == 410
    assert client.get(f"/evenements/{forum_ids['cress']}").status_code == 410
    assert client.get(f"/evenements/{forum_ids['cress']}/2026-11-24").status_code == 410


def test_a_bad_day_in_a_copys_address_is_not_found(client, forum_ids):
    assert client.get(f"/evenements/{forum_ids['cress']}/24-11-2026").status_code == 404


def test_the_listed_page_names_the_other_origins_with_their_links(client, forum_ids):
    html = client.get(f"/evenements/{forum_ids['listed']}?lang=en").get_data(as_text=True)
    page = read_page(html)
    assert "Also announced by:" in unescape(html)
    assert page.link_text(CRESS_PAGE) == ["CRESS Centre"]
    assert page.link_text(RESEAU_SITE) == ["Réseau des tiers-lieux"]
    assert page.link_text("http://127.0.0.1/Organisateur.ics") == ["Organisateur"]  # as today
    assert "Split" not in html  # not signed in


def test_the_french_page_says_aussi_annonce_par(client, forum_ids):
    text = unescape(client.get(f"/evenements/{forum_ids['listed']}").get_data(as_text=True))
    assert "Aussi annoncé par\u00a0:" in text


def test_a_page_without_copies_says_nothing_of_them(client, factory, forum_ids):
    other, = add_events(factory, "Seul", [forum("seul", "Atelier seul", day=26)])
    listed = client.get(f"/evenements/{forum_ids['listed']}").get_data(as_text=True)
    assert listed.count('class="event-copies"') == 1
    alone = client.get(f"/evenements/{other}").get_data(as_text=True)
    assert "Atelier seul" in alone and 'class="event-copies"' not in alone


def test_the_json_ld_and_the_date_page_of_a_merged_event_keep_working(client, forum_ids):
    listed = forum_ids["listed"]
    data = json_ld(client.get(f"/evenements/{listed}").get_data(as_text=True))
    assert data["name"] == "Forum de l'ESS" and data["url"].endswith(f"/evenements/{listed}")
    day = client.get(f"/evenements/{listed}/2026-11-24")
    assert day.status_code == 200
    assert json_ld(day.get_data(as_text=True))["startDate"] == "2026-11-24T18:00:00+01:00"


def test_listings_and_the_api_show_a_merged_event_once(client, forum_ids):
    html = client.get("/?from=2026-11-24&to=2026-11-24").get_data(as_text=True)
    assert html.count(f"/evenements/{forum_ids['listed']}") >= 1
    assert f"/evenements/{forum_ids['cress']}" not in html
    assert f"/evenements/{forum_ids['reseau']}" not in html
    api = client.get("/api/events?from=2026-11-24&to=2026-11-24").get_json()
    assert api["total"] == 1
    [item] = api["items"]
    assert [s["name"] for s in item["sources"]] == [
        "Organisateur", "CRESS Centre", "Réseau des tiers-lieux"]  # the listed one's first
    assert item["sources"][1]["url"] == "http://127.0.0.1/CRESS%20Centre.ics"


# --- Staff: the split button -----------------------------------------------------------------

def split_forms(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]*)" class="inline-form split-form">', html)


def split_url(app, event_id: str) -> str:
    with app.test_request_context():
        return url_for("admin_matches.split", event_id=event_id)


@pytest.fixture
def with_split(app):
    """The matches' pages' split (a stand-in where that part of the app is not there)."""
    if "admin_matches.split" not in app.view_functions:
        app.add_url_rule("/admin/matches/split/<event_id>", "admin_matches.split",
                         lambda event_id: "", methods=["POST"])
    return app


def test_staff_see_a_split_button_per_copy(with_split, client, accounts,  # noqa: F811
                                           forum_ids):
    app = with_split
    sign_in(client)
    html = client.get(f"/evenements/{forum_ids['listed']}?lang=en").get_data(as_text=True)
    assert sorted(split_forms(html)) == sorted(
        split_url(app, forum_ids[k]) for k in ("cress", "reseau"))
    assert len(re.findall(r'name="csrf_token" value="[^"]+"', html)) >= 2
    assert "Split" in html


def test_visitors_see_no_split_button(client, forum_ids):
    html = client.get(f"/evenements/{forum_ids['listed']}").get_data(as_text=True)
    assert split_forms(html) == []


def test_without_the_matches_pages_staff_see_no_button(app, client, accounts,  # noqa: F811
                                                       forum_ids):
    app.view_functions.pop("admin_matches.split", None)
    sign_in(client)
    response = client.get(f"/evenements/{forum_ids['listed']}")
    assert response.status_code == 200 and split_forms(response.get_data(as_text=True)) == []


# --- Campaign exports -------------------------------------------------------------------------

def test_campaign_exports_carry_a_merged_event_once(client, factory, forum_ids):
    with transaction(factory) as session:
        create_campaign(session, slug="mois-ess", name="Mois de l'ESS",
                        starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), now=NOW,
                        rule_themes=["emploi-insertion"])
    csv_rows = client.get("/campagnes/mois-ess.csv").get_data(as_text=True).splitlines()
    assert len(csv_rows) == 2  # the header and the forum
    assert forum_ids["listed"] in csv_rows[1]
    document = client.get("/campagnes/mois-ess.openagenda.json").get_json()
    assert len(document["events"]) == 1
