"""Linking by hand: staff link an event to an actor and to an initiative from the event's page
(and unlink them), and add or remove an initiative's actors from its page; each change is
audited, needs the CSRF token, and is refused to visitors.  The public sees who organises an
event, the initiatives it is part of, and an initiative's actors and events."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import (
    Actor,
    AuditEntry,
    DataChange,
    EventActor,
    EventInitiative,
    InitiativeActor,
)
from agenda.store import link_edits
from agenda.store.initiatives import put_initiative
from tests.store.merged import add_events, forum, merge_into
from tests.web.pages import NOW
from tests.web.staff import accounts, csrf_token, post, sign_in

__all__ = ["accounts"]  # a fixture


def initiative_values(title: str, **values) -> dict:
    return {"title": title, "description_html": "", "description_text": "", "themes": [],
            "department": None, "territory": None, "url": None, "status": "active", **values}


@pytest.fixture
def world(factory):
    """A forum (listed) and its copy from a network; two actors; an initiative carried by the
    first actor."""
    listed, = add_events(factory, "Organisateur", [forum("forum-2026")])
    copy, = add_events(factory, "Réseau des tiers-lieux", [forum("r-3", "Forum")])
    merge_into(factory, copy, listed)
    with transaction(factory) as session:
        cress = Actor(name="CRESS Centre-Val de Loire")
        fabrique = Actor(name="La Fabrique (démo)", status="to_check")
        session.add_all([cress, fabrique])
        session.flush()
        initiative = put_initiative(session, None, initiative_values(
            "Mois de l'ESS en Touraine", actor_id=cress.id), now=NOW)
        link_edits.add_initiative_actor(session, initiative.id, cress.id)
        return {"listed": listed, "copy": copy, "cress": cress.id, "fabrique": fabrique.id,
                "initiative": initiative.id}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.get_data(as_text=True))


def links(factory, event_id: str) -> dict[int, str]:
    with transaction(factory) as session:
        return dict(session.execute(select(EventActor.actor_id, EventActor.how)
                                    .where(EventActor.event_id == event_id)).all())


def audit_actions(session) -> list[str]:
    return [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.action != "user_add"]


def version(factory) -> int:
    with transaction(factory) as session:
        return session.scalar(select(DataChange.value)) or 0


def test_staff_see_the_panel_and_visitors_do_not(client, world, accounts):
    event_page = f"/evenements/{world['listed']}?lang=en"
    assert "Link an actor" not in page(client, event_page)
    sign_in(client)
    html = page(client, event_page)
    assert "Link an actor" in html and '<option value="La Fabrique (démo)">' in html
    assert "Mois de l'ESS en Touraine" in html  # offered in the initiatives' choice


def test_staff_link_an_actor_by_name_then_unlink_it(client, factory, world, accounts):
    sign_in(client)
    before = version(factory)
    response = post(client, f"/admin/links/events/{world['listed']}/actors",
                    {"actor": "La Fabrique (démo)"}, token_from=f"/evenements/{world['listed']}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evenements/{world['listed']}#liens")
    assert links(factory, world["listed"]) == {world["fabrique"]: "staff"}
    assert version(factory) > before
    html = page(client, f"/evenements/{world['listed']}?lang=en")
    assert "is now an organiser of this event" in html
    assert f'href="/actors/{world["fabrique"]}"' in html and "to be checked" in html
    post(client, f"/admin/links/events/{world['listed']}/actors/{world['fabrique']}/remove",
         token_from=f"/evenements/{world['listed']}")
    assert links(factory, world["listed"]) == {}
    with transaction(factory) as session:
        actions = audit_actions(session)
    assert actions == ["event_actor_link", "event_actor_unlink"]


def test_a_link_to_a_copy_is_made_on_the_listed_event(client, factory, world, accounts):
    sign_in(client)
    post(client, f"/admin/links/events/{world['copy']}/actors", {"actor": str(world["cress"])},
         token_from=f"/evenements/{world['listed']}")
    assert links(factory, world["listed"]) == {world["cress"]: "staff"}
    assert links(factory, world["copy"]) == {}


def test_unlinking_takes_a_copys_link_away_too(client, factory, world, accounts):
    with transaction(factory) as session:
        session.add(EventActor(event_id=world["copy"], actor_id=world["cress"], how="source"))
    assert "CRESS Centre-Val de Loire" in page(client, f"/evenements/{world['listed']}")
    sign_in(client)
    post(client, f"/admin/links/events/{world['listed']}/actors/{world['cress']}/remove",
         token_from=f"/evenements/{world['listed']}")
    assert links(factory, world["copy"]) == {}


def test_an_unknown_actor_name_changes_nothing(client, factory, world, accounts):
    sign_in(client)
    post(client, f"/admin/links/events/{world['listed']}/actors", {"actor": "Personne"},
         token_from=f"/evenements/{world['listed']}")
    assert links(factory, world["listed"]) == {}
    assert "No actor has this name" in page(client, f"/evenements/{world['listed']}?lang=en")


def test_staff_add_an_event_to_an_initiative_then_take_it_out(client, factory, world,
                                                              accounts):
    sign_in(client)
    post(client, f"/admin/links/events/{world['listed']}/initiatives",
         {"initiative": world["initiative"]}, token_from=f"/evenements/{world['listed']}")
    with transaction(factory) as session:
        assert session.scalar(select(EventInitiative.event_id)) == world["listed"]
    html = page(client, f"/initiatives/{world['initiative']}?lang=en")
    assert "Its events" in html and "Forum de l'ESS" in html and "Upcoming" in html
    post(client, f"/admin/links/events/{world['listed']}/initiatives/{world['initiative']}"
         "/remove", token_from=f"/evenements/{world['listed']}")
    with transaction(factory) as session:
        assert session.scalar(select(EventInitiative.event_id)) is None
        actions = audit_actions(session)
    assert actions == ["event_initiative_link", "event_initiative_unlink"]
    assert "took the event" in page(client, "/admin/audit?lang=en")


def test_the_event_page_shows_its_initiatives(client, factory, world):
    with transaction(factory) as session:
        link_edits.link_event_initiative(session, world["copy"], world["initiative"])
    html = page(client, f"/evenements/{world['listed']}?lang=en")
    assert f'href="/initiatives/{world["initiative"]}"' in html
    assert "Part of the initiatives" in html


def test_staff_add_and_remove_an_initiatives_actor(client, factory, world, accounts):
    path = f"/initiatives/{world['initiative']}"
    sign_in(client)
    post(client, f"/admin/links{path}/actors", {"actor": "La Fabrique (démo)"}, token_from=path)
    html = page(client, path + "?lang=en")
    assert "La Fabrique (démo)" in html and "CRESS Centre-Val de Loire" in html
    assert html.index("CRESS Centre-Val de Loire") < html.index("La Fabrique (démo)")
    post(client, f"/admin/links{path}/actors/{world['fabrique']}/remove", token_from=path)
    post(client, f"/admin/links{path}/actors/{world['cress']}/remove", token_from=path)
    with transaction(factory) as session:
        kept = list(session.scalars(select(InitiativeActor.actor_id)))
        actions = audit_actions(session)
    assert kept == [world["cress"]]  # the main actor stays
    assert actions == ["initiative_actor_add", "initiative_actor_remove"]


@pytest.mark.parametrize("path", ["/admin/links/events/{listed}/actors",
                                  "/admin/links/initiatives/{initiative}/actors"])
def test_visitors_are_refused(client, factory, world, path):
    response = client.post(path.format(**world), data={"actor": "La Fabrique (démo)",
                                                       "csrf_token": csrf_token(client)})
    assert response.status_code in (302, 401)
    assert links(factory, world["listed"]) == {}


def test_a_post_without_the_csrf_token_is_refused(client, factory, world, accounts):
    sign_in(client)
    response = client.post(f"/admin/links/events/{world['listed']}/actors",
                           data={"actor": "La Fabrique (démo)"})
    assert response.status_code == 400
    assert links(factory, world["listed"]) == {}


@pytest.mark.parametrize("path", ["/admin/links/events/0123abcd/actors",
                                  "/admin/links/events/not-an-id/actors",
                                  "/admin/links/initiatives/0123abcd/actors",
                                  "/admin/links/events/{listed}/actors/999999/remove"])
def test_unknown_ids_are_404(client, world, accounts, path):
    sign_in(client)
    assert post(client, path.format(**world), {"actor": "x"}).status_code == 404


def test_the_initiative_page_lists_its_actors_and_upcoming_events(client, factory, world):
    with transaction(factory) as session:
        link_edits.add_initiative_actor(session, world["initiative"], world["fabrique"])
    html = page(client, f"/initiatives/{world['initiative']}?lang=en")
    assert f'href="/actors/{world["cress"]}"' in html and f'href="/actors/{world["fabrique"]}"'\
        in html
    assert "Add an actor" not in html


def test_the_initiatives_list_sends_words_to_the_search(client, world):
    html = page(client, "/initiatives/?lang=en")
    assert 'action="/search"' in html and 'name="kind" value="initiative"' in html
