"""A campaign in public: its page lists exactly its events with the right counters, and its
iCalendar, Atom, JSON and CSV exports hold only its events (never another campaign's, even with
the same dates: they must not share a cached answer)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from icalendar import Calendar

from agenda.db import transaction
from agenda.models import Campaign
from agenda.services.campaigns import CampaignValues, update_campaign
from agenda.services.moderation import approve
from agenda.store.campaigns import create_campaign, get_campaign_by_slug
from agenda.web.shared import dates
from tests.export.collecting import Clock, frozen_app
from tests.services.proposals import add_staff
from tests.web.campaign_data import (
    MOIS,
    MOIS_REMOVED,
    MOIS_TITLES,
    NOT_IN_A_CAMPAIGN,
    SEMAINE_TITLES,
    store_campaigns,
)
from tests.web.pages import NOW, read_page
from tests.web.staff import CONTACT, propose

ATOM = "{http://www.w3.org/2005/Atom}"
EVERY_TITLE = MOIS_TITLES | SEMAINE_TITLES | NOT_IN_A_CAMPAIGN | {MOIS_REMOVED}


@pytest.fixture
def app(settings, engine, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    return frozen_app(settings, Clock())


@pytest.fixture
def calendar(factory):
    return store_campaigns(factory)


def listed_titles(html: str) -> list[str]:
    return read_page(html).link_text("/evenements/")


def counters(html: str, list_id: str) -> list[tuple[str, int]]:
    """(label, count) of a list of counters (each label a link to the filtered listing)."""
    body = re.search(rf'<ul class="facets" id="{list_id}">(.*?)</ul>', html, re.S).group(1)
    return [(" ".join(re.sub(r"<[^>]+>", "", label).split()), int(count)) for label, count in
            re.findall(r'<li>(.*?) <span class="count">\((\d+)\)</span></li>', body, re.S)]


def total(html: str) -> str:
    """The events counter, in words ("6 events")."""
    item = re.search(r'<li id="total-evenements">(.*?)</li>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", item).split())


def ics_events(body: bytes) -> dict[str, str]:
    """SUMMARY -> STATUS of every VEVENT (parsed by icalendar)."""
    calendar = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): str(e.get("STATUS", "CONFIRMED")) for e in calendar.walk("VEVENT")}


def new_empty_campaign(factory, slug: str = "mois-bis", **dates_) -> None:
    with transaction(factory) as session:
        create_campaign(session, slug=slug, name="Même mois, autre campagne",
                        starts_on=dates_.get("starts_on", MOIS["starts_on"]),
                        ends_on=dates_.get("ends_on", MOIS["ends_on"]), now=NOW)


# --- The page ------------------------------------------------------------------------------

def test_the_page_lists_exactly_the_campaign_s_events(client, calendar):
    response = client.get("/campagnes/mois-ess-2026?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = read_page(html)
    assert page.text_headings[0] == "Mois de l'ESS 2026"
    assert "Partout en région." in html  # the description
    assert set(listed_titles(html)) == MOIS_TITLES
    assert len(listed_titles(html)) == len(MOIS_TITLES)  # each once (one occurrence each)
    for title in SEMAINE_TITLES | NOT_IN_A_CAMPAIGN | {MOIS_REMOVED}:
        assert title not in html
    assert "=HYPERLINK(&#34;" in html or "=HYPERLINK(&quot;" in html  # escaped, as text


def test_the_counters_count_its_published_events_by_department_and_theme(client, calendar):
    html = client.get("/campagnes/mois-ess-2026?lang=en").get_data(as_text=True)
    assert total(html) == "6 events"
    assert counters(html, "par-departement") == [
        ("Indre-et-Loire (37)", 2), ("Cher (18)", 1),
        ("Loir-et-Cher (41)", 1), ("Loiret (45)", 1), ("Online or outside the region", 1)]
    assert counters(html, "par-theme") == [
        ("Reuse and circular economy", 2), ("Solidarity finance", 1), ("Mobility", 1),
        ("ESS Month", 1)]


def test_the_page_links_to_its_own_feeds(client, calendar):
    page = read_page(client.get("/campagnes/mois-ess-2026").get_data(as_text=True))
    hrefs = page.hrefs("/campagnes/mois-ess-2026.")
    for suffix in (".ics", ".atom", ".json", ".csv"):
        assert any(href.endswith("/campagnes/mois-ess-2026" + suffix) for href in hrefs)
    assert any(href.startswith("webcal://") for href in page.hrefs("webcal"))
    alternates = {a["type"]: a["href"] for a in page.all("link") if a.get("rel") == "alternate"}
    assert alternates["application/atom+xml"].endswith("/campagnes/mois-ess-2026.atom")


def test_a_campaign_without_events_says_so(client, factory):
    new_empty_campaign(factory, "vide")
    response = client.get("/campagnes/vide?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="aucun-evenement"' in html
    assert "No event has been published for this campaign yet" in html
    assert total(html) == "0 events"
    assert listed_titles(html) == []


@pytest.mark.parametrize("path", [
    "/campagnes/mois-ess-2025", "/campagnes/Mois-ESS", "/campagnes/mois%20ess",
    "/campagnes/mois-ess-2025.ics", "/campagnes/mois-ess-2025.atom",
    "/campagnes/mois-ess-2025.json", "/campagnes/mois-ess-2025.csv",
])
def test_an_unknown_campaign_is_a_404(client, calendar, path):
    assert client.get(path).status_code == 404


def test_a_bad_page_number_is_a_400(client, calendar):
    assert client.get("/campagnes/mois-ess-2026?page=zero").status_code == 400
    response = client.get("/campagnes/mois-ess-2026.json?per_page=100000")
    assert response.status_code == 400
    assert "per_page" in response.get_json()["error"]


def test_the_list_shows_every_campaign_with_its_count(client, calendar):
    html = client.get("/campagnes/?lang=en").get_data(as_text=True)
    page = read_page(html)
    assert page.link_text("/campagnes/mois-ess-2026") == ["Mois de l'ESS 2026"]
    assert page.link_text("/campagnes/semaine-velo") == ["Semaine du vélo"]
    assert "6 events" in html and "1 event" in html


def test_the_main_navigation_links_to_campaigns_and_initiatives(client):
    page = read_page(client.get("/?lang=en").get_data(as_text=True))
    assert page.link_text("/campagnes/") == ["Campaigns"]
    assert page.link_text("/initiatives/") == ["Initiatives"]


# --- The exports ---------------------------------------------------------------------------

def test_the_calendar_holds_only_its_events_and_bears_its_name(client, calendar):
    response = client.get("/campagnes/mois-ess-2026.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    parsed = Calendar.from_ical(response.data)
    assert str(parsed["X-WR-CALNAME"]) == "Mois de l'ESS 2026"
    events = ics_events(response.data)
    # the removed event goes out as CANCELLED, so that subscribers drop it
    assert set(events) == MOIS_TITLES | {MOIS_REMOVED}
    assert events[MOIS_REMOVED] == "CANCELLED"
    assert events["Forum annulé"] == "CANCELLED"
    assert events["Repair café"] == "CONFIRMED"


def test_the_calendar_answers_304_to_a_current_copy(client, calendar):
    first = client.get("/campagnes/mois-ess-2026.ics")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/campagnes/mois-ess-2026.ics",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_two_campaigns_with_the_same_dates_never_share_an_answer(client, calendar, factory):
    """The response cache is keyed by the filters: the campaign is one of them."""
    new_empty_campaign(factory)
    for suffix in (".ics", ".atom", ".csv"):
        full = client.get("/campagnes/mois-ess-2026" + suffix)
        empty = client.get("/campagnes/mois-bis" + suffix)
        assert full.status_code == empty.status_code == 200
        assert full.headers["ETag"] != empty.headers["ETag"], suffix
    assert ics_events(client.get("/campagnes/mois-bis.ics").data) == {}
    assert set(ics_events(client.get("/campagnes/semaine-velo.ics").data)) == SEMAINE_TITLES
    everything = ics_events(client.get("/calendar.ics").data)
    assert NOT_IN_A_CAMPAIGN <= set(everything)  # the main calendar is not filtered


def test_a_renamed_campaign_s_calendar_takes_the_new_name(client, calendar, factory):
    assert b"Mois de l'ESS 2026" in client.get("/campagnes/mois-ess-2026.ics").data
    with transaction(factory) as session:
        staff = add_staff(session)
        campaign = session.get(Campaign, calendar.mois_id)
        update_campaign(session, campaign, CampaignValues(
            name="Mois de l'ESS en Centre-Val de Loire", slug=campaign.slug,
            starts_on=campaign.starts_on, ends_on=campaign.ends_on), user=staff, now=NOW)
    parsed = Calendar.from_ical(client.get("/campagnes/mois-ess-2026.ics").data)
    assert str(parsed["X-WR-CALNAME"]) == "Mois de l'ESS en Centre-Val de Loire"


def test_the_atom_feed_holds_only_its_events(client, calendar):
    response = client.get("/campagnes/mois-ess-2026.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.findtext(f"{ATOM}title") == "Mois de l'ESS 2026"
    assert root.findtext(f"{ATOM}id").endswith(":campaign:" + str(calendar.mois_id))
    self_link = [link.get("href") for link in root.findall(f"{ATOM}link")
                 if link.get("rel") == "self"]
    assert self_link == ["http://localhost/campagnes/mois-ess-2026.atom"]
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert "Annulé : Forum annulé" in titles  # the feed says which ones are cancelled
    assert {t.removeprefix("Annulé : ") for t in titles} == MOIS_TITLES
    assert len(titles) == len(MOIS_TITLES)


def test_the_json_answer_is_the_api_s_with_only_its_events(client, calendar):
    response = client.get("/campagnes/mois-ess-2026.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["campaign"] == {"slug": "mois-ess-2026", "name": "Mois de l'ESS 2026"}
    assert (data["total"], data["from"], data["to"]) == (7, "2026-11-01", "2026-11-30")
    assert {item["title"] for item in data["items"]} == MOIS_TITLES
    api_item = client.get("/api/events?q=repair").get_json()["items"][0]
    [campaign_item] = [i for i in data["items"] if i["title"] == "Repair café"]
    assert campaign_item == api_item  # the same shape, field for field
    second = client.get("/campagnes/mois-ess-2026.json?per_page=5&page=2").get_json()
    assert [i["title"] for i in second["items"]] == [i["title"] for i in data["items"][5:]]
    etag = response.headers["ETag"]
    assert client.get("/campagnes/mois-ess-2026.json",
                      headers={"If-None-Match": etag}).status_code == 304


def test_the_csv_has_one_row_per_event_and_defuses_formulas(client, calendar):
    response = client.get("/campagnes/mois-ess-2026.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mois-ess-2026.csv"')
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    titles = [row["Titre"] for row in rows]
    assert len(titles) == len(MOIS_TITLES)
    assert "'=HYPERLINK(\"http://evil.example/\",\"clic\")" in titles
    assert {t.lstrip("'") for t in titles} == MOIS_TITLES
    by_title = {row["Titre"]: row for row in rows}
    hostile = by_title["'=HYPERLINK(\"http://evil.example/\",\"clic\")"]
    assert hostile["Organisateur"] == "'@SUM(1+1)"
    repair = by_title["Repair café"]
    assert (repair["Début"], repair["Ville"], repair["Département"]) == (
        "2026-11-25 18:00", "Tours", "Indre-et-Loire")
    assert repair["Page sur l'Agenda commun"] == (
        f"http://localhost/evenements/{calendar.ids['Repair café']}")
    assert by_title["Festival des solidarités"]["Fin"] == "2026-11-29"
    assert by_title["Forum annulé"]["Statut"] == "annulé"
    again = client.get("/campagnes/mois-ess-2026.csv",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_an_event_of_the_campaign_outside_its_dates_is_still_listed(client, calendar,
                                                                     factory):
    """The listing widens to the campaign's events (a weekly event may go on after it)."""
    with transaction(factory) as session:
        campaign = session.get(Campaign, calendar.semaine_id)
        campaign.starts_on, campaign.ends_on = date(2026, 11, 19), date(2026, 11, 20)
    html = client.get("/campagnes/semaine-velo").get_data(as_text=True)
    assert set(listed_titles(html)) == SEMAINE_TITLES  # on the 18th, before the campaign
    data = json.loads(client.get("/campagnes/semaine-velo.json").data)
    assert data["from"] == "2026-11-18"


def test_a_proposal_approved_for_the_campaign_appears_on_its_page_and_in_its_csv(
        client, factory, settings):
    """The whole path: proposed through the form's service for the campaign, approved."""
    new_empty_campaign(factory, "mois-ess-2026")
    with transaction(factory) as session:
        campaign_id = get_campaign_by_slug(session, "mois-ess-2026").id
    submission = propose(factory, settings, campaign_id=campaign_id)
    page = client.get("/campagnes/mois-ess-2026").get_data(as_text=True)
    assert listed_titles(page) == []  # pending: not published yet
    with transaction(factory) as session:
        approve(session, session.merge(submission), user=add_staff(session), now=NOW,
                settings=settings)
    page = client.get("/campagnes/mois-ess-2026").get_data(as_text=True)
    assert listed_titles(page) == ["Atelier réparation de vélos"]
    rows = list(csv.DictReader(io.StringIO(
        client.get("/campagnes/mois-ess-2026.csv").data.decode("utf-8-sig"), newline="")))
    assert [(r["Titre"], r["Contact public"], r["Organisateur"]) for r in rows] == [
        ("Atelier réparation de vélos", "contact@velo.example.org", "Vélo Solidaire Orléans")]
    assert CONTACT not in client.get("/campagnes/mois-ess-2026.csv").get_data(as_text=True)
