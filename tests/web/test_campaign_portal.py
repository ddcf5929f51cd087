"""A campaign with rules, in the browser's terms: its page, its counters' links, its iCalendar,
Atom, JSON, CSV and OpenAgenda exports hold the same events; staff add and exclude events by
hand (audited), see what the rules match before saving; the listing and the feeds take
``campaign=<slug>``; the home page announces a running or coming campaign; the proposal form
opened from the campaign's page has it chosen."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape

import pytest
from icalendar import Calendar

from agenda.db import transaction
from agenda.models import Campaign, CampaignPick
from agenda.store.audit import list_audit
from agenda.store.campaign_members import set_pick
from agenda.store.campaigns import create_campaign
from agenda.web.shared import dates
from tests.export.collecting import Clock, frozen_app
from tests.web.campaign_rules_data import store_rules_calendar
from tests.web.pages import NOW, read_page
from tests.web.staff import accounts, csrf_token, sign_in  # noqa: F401 (fixture)

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE = "/campagnes/mois-ess-2026"
# actor CRESS (rules), "Forum de l'emploi" excluded and "Repair café" added by hand
MEMBERS = {"Conférence du Mois de l'ESS", "Webinaire finance", "Permanence ESS", "Repair café"}


@pytest.fixture
def app(settings, engine, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    return frozen_app(settings, Clock())


@pytest.fixture
def calendar(factory):
    calendar = store_rules_calendar(factory)
    with transaction(factory) as session:
        session.get(Campaign, calendar.campaign_id).rule_actors = [calendar.actors["cress"]]
        for title, included in (("Forum de l'emploi", False), ("Repair café", True)):
            set_pick(session, calendar.campaign_id, calendar.ids[title], included=included,
                     user_id=None, now=NOW)
    return calendar


@pytest.fixture
def staff(client, accounts):  # noqa: F811
    assert sign_in(client).status_code == 302
    return client


def listed_titles(html: str) -> set[str]:
    return set(read_page(html).link_text("/evenements/"))


def stripped(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


# --- The same events everywhere -------------------------------------------------------------

def ics_titles(body: bytes) -> set[str]:
    return {str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def atom_titles(body: bytes) -> set[str]:
    return {entry.findtext(f"{ATOM}title").removeprefix("Annulé : ")
            for entry in ET.fromstring(body).findall(f"{ATOM}entry")}


def json_titles(body: bytes) -> set[str]:
    import json
    return {item["title"] for item in json.loads(body)["items"]}


def csv_titles(body: bytes) -> set[str]:
    return {row["Titre"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}


def openagenda_titles(body: bytes) -> set[str]:
    import json
    return {event["title"]["fr"] for event in json.loads(body)["events"]}


@pytest.mark.parametrize("suffix, titles", [
    (".ics", ics_titles), (".atom", atom_titles), (".json", json_titles), (".csv", csv_titles),
    (".openagenda.json", openagenda_titles)])
def test_every_export_holds_the_events_of_the_page(client, calendar, suffix, titles):
    page = client.get(PAGE).get_data(as_text=True)
    assert listed_titles(page) == MEMBERS
    response = client.get(PAGE + suffix)
    assert response.status_code == 200
    assert titles(response.data) == MEMBERS


def test_the_listing_and_the_feeds_take_the_campaign_filter(client, calendar):
    listing = client.get("/?campaign=mois-ess-2026&from=2026-11-01&to=2026-11-30")
    assert listing.status_code == 200
    assert listed_titles(listing.get_data(as_text=True)) == MEMBERS
    feed = client.get("/calendar.ics?campaign=mois-ess-2026&from=2026-11-01&to=2026-11-30")
    assert ics_titles(feed.data) == MEMBERS
    assert client.get("/?campaign=inconnue").status_code == 400
    assert client.get("/calendar.ics?campaign=Pas%20une%20adresse").status_code == 400


def test_a_listing_filtered_by_a_campaign_says_so_and_can_drop_it(client, calendar):
    html = client.get("/?campaign=mois-ess-2026&dept=41&lang=en").get_data(as_text=True)
    notice = re.search(r'<p class="notice campaign-filter".*?</p>', html, re.S).group(0)
    assert "Only the events of the campaign: Mois de l'ESS 2026" in unescape(stripped(notice))
    links = read_page(notice)
    assert links.link_text("/campagnes/mois-ess-2026") == ["Its page"]
    [without] = [href for href, text in links.links if text == "Remove this filter"]
    assert "campaign=" not in without and "dept=41" in without
    assert "campaign-filter" not in client.get("/?dept=41").get_data(as_text=True)


def test_the_filter_form_keeps_the_campaign_when_sent_again(client, calendar):
    """Narrowing a campaign's listing (a word, a department) stays inside the campaign."""
    html = client.get("/?campaign=mois-ess-2026&dept=41").get_data(as_text=True)
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="campaign" value="mois-ess-2026">' in form
    assert 'name="campaign"' not in re.search(
        r'<form method="get".*?</form>', client.get("/").get_data(as_text=True), re.S).group(0)


def test_the_counters_link_to_the_listing_filtered_by_the_campaign(client, calendar):
    html = client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert stripped(re.search(r'<li id="total-evenements">(.*?)</li>', html, re.S).group(1)) \
        == "3 events"  # the cancelled webinar is not counted
    page = read_page(html)
    [blois] = page.hrefs("dept=41")
    response = client.get(blois.replace("&amp;", "&"))
    assert listed_titles(response.get_data(as_text=True)) == {"Conférence du Mois de l'ESS",
                                                              "Permanence ESS"}
    assert "campaign=mois-ess-2026" in blois


def test_the_page_offers_to_propose_an_event_for_the_campaign(client, calendar):
    page = read_page(client.get(PAGE + "?lang=en").get_data(as_text=True))
    assert page.link_text("/submit?campagne=mois-ess-2026") == ["Propose an event"]
    form = client.get("/submit?campagne=mois-ess-2026").get_data(as_text=True)
    assert re.search(rf'<option[^>]*selected[^>]*value="{calendar.campaign_id}"|'
                     rf'<option[^>]*value="{calendar.campaign_id}"[^>]*selected', form)


def test_the_openagenda_export_has_openagenda_s_shape(client, calendar):
    data = client.get(PAGE + ".openagenda.json").get_json()
    assert data["total"] == len(data["events"]) == len(MEMBERS)
    events = {event["title"]["fr"]: event for event in data["events"]}
    repair = events["Repair café"]
    assert repair["uid"] == calendar.ids["Repair café"]
    assert repair["timings"] == [{"begin": "2026-11-25T18:00:00+01:00",
                                  "end": "2026-11-25T20:00:00+01:00"}]
    assert repair["location"] == {
        "name": "Ressourcerie", "address": "3 rue du Commerce", "postalCode": "37000",
        "city": "Tours", "department": "37", "countryCode": "FR", "latitude": 47.39412,
        "longitude": 0.68484}
    assert repair["keywords"] == {"fr": ["Réemploi et économie circulaire", "Atelier"]}
    assert repair["description"] == {"fr": "Apportez vos objets cassés."}
    assert (repair["status"], repair["attendanceMode"], repair["onlineAccessLink"]) == (1, 1, None)
    assert repair["links"][0] == {"link": "https://repair.example.org/cafe"}
    assert repair["updatedAt"].endswith("+00:00")
    webinar = events["Webinaire finance"]
    assert (webinar["status"], webinar["attendanceMode"], webinar["location"]) == (6, 2, None)
    assert webinar["onlineAccessLink"] == "https://visio.example.org/ess"
    series = events["Permanence ESS"]
    assert [t["begin"][:10] for t in series["timings"]] == ["2026-11-02", "2026-11-09"]


# --- Staff --------------------------------------------------------------------------------

def post(client, path: str, data: dict, *, token_from: str):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data})


def campaign_actions(factory) -> list[tuple[str, str]]:
    with transaction(factory) as session:
        return [(entry.action, entry.detail.get("event_id"))
                for entry in reversed(list_audit(session)) if entry.action.startswith("campaign")]


@pytest.mark.parametrize("included, action, typed", [
    ("1", "campaign_include", "http://localhost/evenements/{id}/2026-11-12"),
    ("1", "campaign_include", " https://agenda.example.org/evenements/{id}?lang=en "),
    ("0", "campaign_exclude", "http://localhost/evenements/{id}"),
    ("0", "campaign_exclude", "{id}"),  # the "Exclude" buttons of the rules' preview
])
def test_staff_add_or_exclude_an_event_by_its_address_and_it_is_audited(
        staff, factory, calendar, included, action, typed):
    edit = f"/admin/campaigns/{calendar.campaign_id}/edit"
    event_id = calendar.ids["Atelier vélo"]
    response = post(staff, f"/admin/campaigns/{calendar.campaign_id}/events",
                    {"event": typed.format(id=event_id), "included": included},
                    token_from=edit)
    assert response.status_code == 302
    assert campaign_actions(factory) == [(action, event_id)]
    html = staff.get(edit + "?lang=en").get_data(as_text=True)
    assert f'id="pick-{event_id}"' in html
    in_page = "Atelier vélo" in listed_titles(staff.get(PAGE).get_data(as_text=True))
    assert in_page is (included == "1")
    post(staff, f"/admin/campaigns/{calendar.campaign_id}/events/{event_id}/withdraw", {},
         token_from=edit)
    assert campaign_actions(factory)[-1] == ("campaign_unpick", event_id)
    assert "Atelier vélo" not in listed_titles(staff.get(PAGE).get_data(as_text=True))


def test_an_address_that_is_no_event_is_refused_with_a_message(staff, factory, calendar):
    edit = f"/admin/campaigns/{calendar.campaign_id}/edit"
    response = post(staff, f"/admin/campaigns/{calendar.campaign_id}/events",
                    {"event": "https://example.org/pas-un-evenement", "included": "1"},
                    token_from=edit)
    assert response.status_code == 302
    html = staff.get(edit + "?lang=en").get_data(as_text=True)
    assert "No published event has this address or number" in html
    assert campaign_actions(factory) == []
    with transaction(factory) as session:
        assert session.query(CampaignPick).count() == 2  # the fixture's two


def form_data(calendar, **rules) -> dict:
    return {"name": "Mois de l'ESS 2026", "slug": "mois-ess-2026", "starts_on": "2026-11-01",
            "ends_on": "2026-11-30", **rules}


@pytest.mark.parametrize("rules, says", [
    ({"rule_themes": "habitat"}, "These rules match no event in the campaign's dates."),
    ({"rule_words": "e"}, "These rules match every event in the campaign's dates (6)"),
    ({"rule_themes": "mois-ess"}, "These rules match 2 events of the 6 in the campaign's dates."),
])
def test_staff_see_what_the_rules_match_before_saving(staff, factory, calendar, rules, says):
    edit = f"/admin/campaigns/{calendar.campaign_id}/edit"
    response = post(staff, edit + "?lang=en", {**form_data(calendar, **rules),
                                               "action": "preview"}, token_from=edit)
    assert response.status_code == 200
    assert says in stripped(response.get_data(as_text=True))
    with transaction(factory) as session:  # nothing saved
        campaign = session.get(Campaign, calendar.campaign_id)
        assert (campaign.rule_themes, campaign.rule_words) == ([], [])


def test_saved_rules_are_audited_and_change_the_page(staff, factory, calendar):
    edit = f"/admin/campaigns/{calendar.campaign_id}/edit"
    response = post(staff, edit, {**form_data(calendar, rule_themes="reemploi"),
                                  "action": "save"}, token_from=edit)
    assert response.status_code == 302
    with transaction(factory) as session:
        [entry] = [e for e in list_audit(session) if e.action == "campaign_update"]
        assert entry.detail["rule_themes"] == [[], ["reemploi"]]
        assert entry.detail["rule_actors"][1] == []
    assert listed_titles(staff.get(PAGE).get_data(as_text=True)) == {"Repair café"}


@pytest.mark.parametrize("field, value", [("rule_themes", "pas-un-theme"),
                                          ("rule_sources", "999"), ("image_url", "http://x.fr/a.png")])
def test_bad_rules_or_image_are_refused_next_to_their_field(staff, factory, calendar, field,
                                                            value):
    edit = f"/admin/campaigns/{calendar.campaign_id}/edit"
    response = post(staff, edit + "?lang=en", {**form_data(calendar, **{field: value}),
                                               "action": "save"}, token_from=edit)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error"', response.get_data(as_text=True))


# --- The home page ------------------------------------------------------------------------

@pytest.mark.parametrize("starts_in, shown", [(-3, "Under way until"), (20, "Soon: from"),
                                               (40, None)])
def test_the_home_page_announces_a_running_or_coming_campaign(client, factory, starts_in,
                                                               shown):
    first = NOW.date() + timedelta(days=starts_in)
    with transaction(factory) as session:
        create_campaign(session, slug="semaine", name="Semaine de la finance solidaire",
                        starts_on=first, ends_on=first + timedelta(days=7),
                        banner_text="Une semaine pour en parler.", now=NOW)
    html = client.get("/?lang=en").get_data(as_text=True)
    if shown is None:
        assert "annonce-campagne-titre" not in html
        return
    announcement = stripped(re.search(r'<aside class="campaign-announcement.*?</aside>', html,
                                      re.S).group(0))
    assert shown in announcement and "Semaine de la finance solidaire" in announcement
    assert "Une semaine pour en parler." in announcement
    assert "/campagnes/semaine" in html
