"""``actor=``: the events an actor organises, in every listing and export (the home page, the
month, /calendar.ics, /feed.atom, /api/events), merged copies leading to their listed event."""

from __future__ import annotations

import pytest

from agenda.db import transaction
from agenda.models import Actor
from agenda.store import link_edits
from tests.store.merged import add_events, forum, merge_into
from tests.web.pages import CALENDAR, store


@pytest.fixture
def linked(factory):
    """The small calendar; 'Repair café' organised by Répar'37; a forum announced by two
    sources, merged, the network linked to the copy only."""
    stored = store(factory, CALENDAR)
    listed, = add_events(factory, "Organisateur", [forum("forum-2026")])
    copy, = add_events(factory, "Réseau des tiers-lieux", [forum("r-3", "Forum")])
    merge_into(factory, copy, listed)
    with transaction(factory) as session:
        repair = Actor(name="Répar'37")
        network = Actor(name="Réseau des tiers-lieux du Centre")
        hidden = Actor(name="Proposée", status="proposed")
        session.add_all([repair, network, hidden])
        session.flush()
        link_edits.link_event_actor(session, stored.ids["Repair café"], repair.id)
        link_edits.link_event_actor(session, copy, network.id)
        link_edits.link_event_actor(session, stored.ids["Webinaire ESS"], hidden.id)
        return {"repair": repair.id, "network": network.id, "hidden": hidden.id,
                "listed": listed, "copy": copy}


def api_titles(client, query: str) -> list[str]:
    response = client.get(f"/api/events?from=2026-11-01&{query}")
    assert response.status_code == 200
    return sorted({item["title"] for item in response.get_json()["items"]})


def test_the_api_lists_the_actors_events_only(client, linked):
    assert api_titles(client, f"actor={linked['repair']}") == ["Repair café"]


def test_a_copys_actor_lists_the_merged_event(client, linked):
    assert api_titles(client, f"actor={linked['network']}") == ["Forum de l'ESS"]


def test_several_actors_are_or_ed(client, linked):
    assert api_titles(client, f"actor={linked['repair']}&actor={linked['network']}") == [
        "Forum de l'ESS", "Repair café"]


def test_the_actor_filter_adds_to_the_others(client, linked):
    assert api_titles(client, f"actor={linked['repair']}&dept=45") == []


@pytest.mark.parametrize("actor", ["999999", "hidden"])
def test_an_unknown_or_hidden_actor_lists_nothing(client, linked, actor):
    actor_id = linked.get(actor, actor)
    assert api_titles(client, f"actor={actor_id}") == []


@pytest.mark.parametrize("path", ["/", "/api/events", "/calendar.ics", "/feed.atom",
                                  "/mois/2026-11"])
def test_a_malformed_actor_is_refused(client, linked, path):
    assert client.get(f"{path}?actor=abc").status_code == 400


def test_the_home_listing_names_the_actor_in_its_filters(client, linked):
    html = client.get(f"/?actor={linked['repair']}&lang=en").get_data(as_text=True)
    assert "Repair café" in html and "Conférence finance solidaire" not in html
    assert f'<option value="{linked["repair"]}" selected>Répar&#39;37</option>' in html
    assert "calendar.ics?actor=" in html  # the subscription twins keep the filter


def test_the_month_lists_the_actors_events(client, linked):
    html = client.get(f"/mois/2026-11?actor={linked['network']}").get_data(as_text=True)
    assert "Forum de l&#39;ESS" in html and "Repair café" not in html


def test_the_calendar_holds_the_actors_events(client, linked):
    body = client.get(f"/calendar.ics?actor={linked['repair']}").get_data(as_text=True)
    assert "SUMMARY:Repair café" in body and "Conférence" not in body


def test_the_feed_holds_the_actors_events(client, linked):
    body = client.get(f"/feed.atom?from=2026-11-20&actor={linked['network']}").get_data(as_text=True)
    assert "Forum de l&#39;ESS" in body or "Forum de l'ESS" in body
    assert "Repair café" not in body


def test_the_api_describes_the_actor_parameter(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "actor" in spec["components"]["parameters"]


def test_a_campaign_listing_keeps_the_actors_events_among_its_own(client, factory):
    from tests.web.campaign_data import store_campaigns

    stored = store_campaigns(factory)
    with transaction(factory) as session:
        actor = Actor(name="Répar'37")
        session.add(actor)
        session.flush()
        for title in ("Repair café", "Permanence numérique"):  # in the Mois, and in none
            link_edits.link_event_actor(session, stored.ids[title], actor.id)
        actor_id = actor.id
    query = f"campaign=mois-ess-2026&from=2026-11-01&to=2026-11-30&actor={actor_id}"
    html = client.get(f"/?{query}").get_data(as_text=True)
    assert "Repair café" in html and "Permanence numérique" not in html
    body = client.get(f"/calendar.ics?{query}").get_data(as_text=True)
    assert "SUMMARY:Repair café" in body and "Permanence" not in body


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", "-1", "0"])
def test_an_impossible_actor_is_a_400_with_the_form(client, value):
    response = client.get(f"/?actor={value}&lang=en")
    assert response.status_code == 400
    assert "An actor must be given by its number." in response.get_data(as_text=True)


def test_the_subscription_is_named_after_the_actor(client, linked):
    body = client.get(f"/calendar.ics?actor={linked['repair']}").get_data(as_text=True)
    assert "organisé par Répar'37" in body.replace("\r\n ", "")
    feed = client.get(f"/feed.atom?actor={linked['repair']}").get_data(as_text=True)
    assert "organisé par Répar'37</title>" in feed or "organisé par Répar&#39;37</title>" in feed
