"""The staff's actors (/admin/actors): the list (to check first, search, status, flags), the
create and edit form (invalid numbers refused with the input kept), confirm, remove, link and
unlink; everything audited, staff only, CSRF required."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Actor, ActorLink, AuditEntry
from agenda.services.actors import save_actor, upsert_imported_actor
from tests.web.pages import NOW, read_page
from tests.web.staff import STAFF, accounts, form_values, post, sign_in

__all__ = ["accounts"]


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def actors(factory):
    with transaction(factory) as session:
        confirmed, _ = save_actor(session, {"name": "Répar'37", "siren": "732829320"},
                                  origin="staff", status="confirmed", now=NOW)
        imported, _ = upsert_imported_actor(session, {"name": "Zèbre coop",
                                                      "siren": "123456789"},
                                            origin="import", origin_key="import:z", now=NOW)
        network, _ = save_actor(session, {"name": "Cress Centre"}, origin="staff",
                                status="confirmed", now=NOW)
        return {"repar": confirmed.id, "zebre": imported.id, "cress": network.id}


def _names_in_order(page: str) -> list[str]:
    return [t for href, t in read_page(page).links if href.startswith("/admin/actors/")
            and href.rstrip("0123456789").endswith("/actors/")]


def test_the_list_shows_those_to_check_first_with_their_flags(client, accounts, actors):
    sign_in(client)
    page = text(client, "/admin/actors?lang=en")
    assert _names_in_order(page) == ["Zèbre coop", "Cress Centre", "Répar'37"]
    assert "This SIREN number is not valid" in page and "123456789" in page
    assert _names_in_order(text(client, "/admin/actors?lang=en&q=repar")) == ["Répar'37"]
    assert _names_in_order(text(client, "/admin/actors?q=732829320")) == ["Répar'37"]
    assert _names_in_order(text(client, "/admin/actors?status=to_check")) == ["Zèbre coop"]
    assert client.get("/admin/actors?status=nope").status_code == 400


def test_anonymous_visitors_are_sent_to_sign_in(client, actors, factory):
    assert client.get("/admin/actors").status_code == 302
    assert client.get(f"/admin/actors/{actors['repar']}").status_code == 302
    assert client.post(f"/admin/actors/{actors['zebre']}/confirm").status_code in (400, 401)
    with transaction(factory) as session:
        assert session.get(Actor, actors["zebre"]).status == "to_check"


def test_staff_create_an_actor_with_every_field(client, accounts, factory):
    sign_in(client)
    values = form_values(text(client, "/admin/actors/new"), "/admin/actors/new")
    values.update(name="Les Paniers du Berry", structure="cooperative", siret="732 829 320 00074",
                  themes=["alimentation"], postcode="18000", city="Bourges",
                  website="https://paniers.example.org", description="Des paniers.")
    response = client.post("/admin/actors/new", data=values)
    assert response.status_code == 302
    with transaction(factory) as session:
        actor = session.scalar(select(Actor))
        assert (actor.structure, actor.siret, actor.siren, actor.commune_name) == (
            "cooperative", "73282932000074", "732829320", "Bourges")
        assert actor.status == "confirmed" and actor.origin == "staff"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "actor_create"))
        assert entry.who == STAFF
    assert "added the actor Les Paniers du Berry" in text(client, "/admin/audit?lang=en")


@pytest.mark.parametrize("field, typed, message", [
    ("siren", "732 829 321", "This SIREN number is not valid"),
    ("siret", "7328293200007", "This SIRET number is not valid"),
    ("rna", "X372001234", "This RNA number is not valid"),
])
def test_an_invalid_number_is_refused_next_to_its_field_with_the_input_kept(
        client, accounts, actors, factory, field, typed, message):
    sign_in(client)
    path = f"/admin/actors/{actors['cress']}"
    values = form_values(text(client, path), path)
    response = client.post(path + "?lang=en", data={**values, field: typed})
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert message in page and f'value="{typed}"' in page
    with transaction(factory) as session:
        assert getattr(session.get(Actor, actors["cress"]), field) is None


def test_a_number_another_actor_has_is_refused(client, accounts, actors):
    sign_in(client)
    path = f"/admin/actors/{actors['cress']}"
    values = form_values(text(client, path), path)
    response = client.post(path + "?lang=en", data={**values, "siren": "732829320"})
    assert response.status_code == 400
    assert "Another actor already has this SIREN number." in unescape(
        response.get_data(as_text=True))


def test_staff_fix_a_flagged_import_and_confirm_it(client, accounts, actors, factory):
    sign_in(client)
    path = f"/admin/actors/{actors['zebre']}"
    values = form_values(text(client, path), path)
    assert client.post(path, data={**values, "siren": "443061841"}).status_code == 302
    assert post(client, path + "/confirm", token_from=path).status_code == 302
    with transaction(factory) as session:
        actor = session.get(Actor, actors["zebre"])
        assert (actor.siren, actor.flags, actor.status) == ("443061841", [], "confirmed")
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions[-2:] == ["actor_edit", "actor_confirm"]


def test_staff_remove_an_actor_it_leaves_the_directory(client, accounts, actors, factory):
    sign_in(client)
    path = f"/admin/actors/{actors['repar']}"
    assert post(client, path + "/remove", token_from=path).status_code == 302
    assert client.get(f"/actors/{actors['repar']}").status_code == 404
    assert "Répar'37" not in _names_in_order(text(client, "/admin/actors"))
    assert "Répar'37" in _names_in_order(text(client, "/admin/actors?removed=1"))
    assert "removed the actor Répar'37" in text(client, "/admin/audit?lang=en")


def test_staff_link_two_actors_and_unlink_them(client, accounts, actors, factory):
    sign_in(client)
    path = f"/admin/actors/{actors['repar']}"
    response = post(client, path + "/link", {"other": actors["cress"], "relation": "member"},
                    token_from=path)
    assert response.status_code == 302
    assert "Cress Centre" in read_page(text(client, f"/actors/{actors['repar']}")).link_text(
        f"/actors/{actors['cress']}")
    assert "recorded Répar'37 as a member of the network Cress Centre" in text(
        client, "/admin/audit?lang=en")
    # unlinked from the network's side
    cress = f"/admin/actors/{actors['cress']}"
    response = post(client, cress + "/unlink", {"other": actors["repar"], "relation": "member",
                                                "direction": "has"}, token_from=cress)
    assert response.status_code == 302
    with transaction(factory) as session:
        assert session.scalars(select(ActorLink)).all() == []


@pytest.mark.parametrize("data", [{"other": "x", "relation": "member"},
                                  {"other": "1", "relation": "cousin"}])
def test_a_bad_link_request_is_a_400(client, accounts, actors, data):
    sign_in(client)
    path = f"/admin/actors/{actors['repar']}"
    assert post(client, path + "/link", data, token_from=path).status_code == 400


def test_an_action_without_its_csrf_token_is_refused(client, accounts, actors, factory):
    sign_in(client)
    assert client.post(f"/admin/actors/{actors['zebre']}/confirm").status_code == 400
    with transaction(factory) as session:
        assert session.get(Actor, actors["zebre"]).status == "to_check"


def test_an_unknown_actor_is_a_404(client, accounts):
    sign_in(client)
    assert client.get("/admin/actors/424242").status_code == 404
    path = "/admin/actors/new"
    assert post(client, "/admin/actors/424242/confirm", token_from=path).status_code == 404


def test_staff_place_an_actor_by_its_coordinates(client, accounts, actors, factory):
    sign_in(client)
    path = f"/admin/actors/{actors['cress']}"
    values = form_values(text(client, path), path)
    refused = client.post(path + "?lang=en", data={**values, "lat": "147.39"})
    assert refused.status_code == 400
    assert "A latitude is a number between -90 and 90." in unescape(
        refused.get_data(as_text=True))
    assert client.post(path, data={**values, "lat": "47.39412", "lon": "0.68484"}
                       ).status_code == 302
    with transaction(factory) as session:
        actor = session.get(Actor, actors["cress"])
        assert (actor.lat, actor.commune_name, actor.department) == (47.39412, "Tours", "37")
