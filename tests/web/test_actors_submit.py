"""Proposing an organisation through /submit/actor: stored pending before the reply, refused
with messages next to the fields (invalid numbers included), moderated in the usual queue; its
approval puts the actor in the directory, confirmed; a rejection leaves it out."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Actor
from agenda.services.actors import save_actor
from tests.web.pages import NOW, read_page
from tests.web.staff import accounts, post, sign_in
from tests.web.submitting import field_errors, post_form, propose, stored

__all__ = ["accounts"]

ACTOR_FORM = {
    "name": "La Ressourcerie du Berry", "structure": "association", "kind": "ressourcerie",
    "approvals": "ESUS, Jeunesse et éducation populaire", "siren": "732 829 320",
    "siret": "", "rna": "W181001234", "themes": ["reemploi"],
    "description": "Nous collectons.\n\nNous revendons.", "website": "ressourcerie.example.org",
    "public_email": "bonjour@ressourcerie.example.org", "public_phone": "02 48 00 00 00",
    "address": "3 rue du Commerce", "postcode": "18000", "city": "Bourges",
    "contact_email": "benevole.prive@example.org",
}


def test_a_valid_actor_proposal_is_stored_pending(client, factory):
    link = propose(client, ACTOR_FORM, "/submit/actor")
    [submission] = stored(factory)
    assert (submission.kind, submission.status) == ("actor", "pending")
    assert submission.data["title"] == "La Ressourcerie du Berry"
    assert submission.data["approvals"] == ["ESUS", "Jeunesse et éducation populaire"]
    assert submission.data["website"] == "https://ressourcerie.example.org"
    assert submission.data["description_html"] == "<p>Nous collectons.</p><p>Nous revendons.</p>"
    assert submission.contact_email == "benevole.prive@example.org"
    with transaction(factory) as session:  # not in the directory before moderation
        assert session.scalars(select(Actor)).all() == []
    manage = unescape(client.get(link + "?lang=en").get_data(as_text=True))
    assert "An organisation" in manage and "Association" in manage and "W181001234" in manage


BAD = {
    "invalid SIREN": ({"siren": "732 829 321"}, "siren", "This SIREN number is not valid"),
    "invalid SIRET": ({"siret": "73282932000075"}, "siret", "This SIRET number is not valid"),
    "SIRET of another SIREN": ({"siret": "44306184100047"}, "siret",
                               "does not start with the SIREN number given"),
    "invalid RNA": ({"rna": "W18"}, "rna", "This RNA number is not valid"),
    "missing name": ({"name": ""}, "name", "Give the name of the organisation."),
    "unknown structure": ({"structure": "club"}, "structure", "Not a valid choice"),
    "bad postcode": ({"postcode": "1800"}, "postcode", "A postcode has five digits"),
    "bad public e-mail": ({"public_email": "bonjour@"}, "public_email", "valid e-mail"),
    "missing private e-mail": ({"contact_email": ""}, "contact_email",
                               "Give your e-mail address"),
}


@pytest.mark.parametrize("changes, field, message", BAD.values(), ids=BAD.keys())
def test_bad_actor_proposals_are_refused_next_to_the_field_with_the_input_kept(
        client, factory, changes, field, message):
    response = post_form(client, "/submit/actor?lang=en", ACTOR_FORM, **changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_errors(page).get(field, ""), field_errors(page)
    for typed in changes.values():
        if typed and field not in ("structure",):
            assert f'value="{typed}"' in page
    assert stored(factory) == []


def test_the_form_reads_in_french_and_in_english(client):
    french = unescape(client.get("/submit/actor?lang=fr").get_data(as_text=True))
    english = unescape(client.get("/submit/actor?lang=en").get_data(as_text=True))
    assert '<html lang="fr">' in french and "Propose an organisation" in english
    assert "SIREN" in english and {"name", "siren", "siret", "rna", "contact_email"} <= {
        a.get("name") for a in read_page(english).all("input")}


def _approve(client, submission_id: int):
    return post(client, f"/admin/moderation/{submission_id}/approve",
                token_from=f"/admin/moderation/{submission_id}")


def test_the_queue_and_the_proposal_page_show_an_actor_proposal(client, factory, accounts):
    propose(client, ACTOR_FORM, "/submit/actor")
    [submission] = stored(factory)
    sign_in(client)
    queue = unescape(client.get("/admin/moderation/?lang=en").get_data(as_text=True))
    assert "La Ressourcerie du Berry" in queue and "Organisation" in queue
    page = unescape(client.get(f"/admin/moderation/{submission.id}?lang=en")
                    .get_data(as_text=True))
    for text in ("SIREN number", "732829320", "RNA number", "Kind of structure", "Association",
                 "https://ressourcerie.example.org", "bonjour@ressourcerie.example.org"):
        assert text in page, text


def test_approval_puts_the_actor_in_the_directory_confirmed(client, factory, accounts):
    link = propose(client, ACTOR_FORM, "/submit/actor")
    [submission] = stored(factory)
    sign_in(client)
    assert _approve(client, submission.id).status_code == 302
    with transaction(factory) as session:
        actor = session.scalar(select(Actor))
        assert (actor.name, actor.status, actor.origin) == ("La Ressourcerie du Berry",
                                                            "confirmed", "proposal")
        assert (actor.siren, actor.rna, actor.commune_name, actor.department) == (
            "732829320", "W181001234", "Bourges", "18")
        assert actor.contact_email == "bonjour@ressourcerie.example.org"
        actor_id = actor.id
    assert stored(factory)[0].actor_id == actor_id
    assert client.get(f"/actors/{actor_id}").status_code == 200
    assert f"/actors/{actor_id}" in client.get(link + "?lang=en").get_data(as_text=True)
    # changed through the secret link and approved again: the same actor is updated
    response = post_form(client, link + "/edit", {**ACTOR_FORM, "contact_email": ""},
                         name="Ressourcerie du Berry")
    assert response.status_code == 302
    assert _approve(client, submission.id).status_code == 302
    with transaction(factory) as session:
        [actor] = session.scalars(select(Actor)).all()
        assert actor.id == actor_id and actor.name == "Ressourcerie du Berry"


def test_approval_updates_the_actor_its_number_already_names(client, factory, accounts):
    with transaction(factory) as session:
        known, _ = save_actor(session, {"name": "Ressourcerie (import)", "siren": "732829320"},
                              origin="import", status="to_check", now=NOW)
        known_id = known.id
    propose(client, ACTOR_FORM, "/submit/actor")
    sign_in(client)
    _approve(client, stored(factory)[0].id)
    with transaction(factory) as session:
        [actor] = session.scalars(select(Actor)).all()
        assert actor.id == known_id and actor.status == "confirmed"
        assert actor.rna == "W181001234"  # empty fields filled


def test_a_rejected_proposal_leaves_the_directory_unchanged(client, factory, accounts):
    propose(client, ACTOR_FORM, "/submit/actor")
    [submission] = stored(factory)
    sign_in(client)
    response = post(client, f"/admin/moderation/{submission.id}/reject",
                    {"reason": "Hors de la région"}, token_from=f"/admin/moderation/{submission.id}")
    assert response.status_code == 302
    assert stored(factory)[0].status == "rejected"
    with transaction(factory) as session:
        assert session.scalars(select(Actor)).all() == []


def test_staff_edit_an_actor_proposal_with_its_own_form(client, factory, accounts):
    propose(client, ACTOR_FORM, "/submit/actor")
    [submission] = stored(factory)
    sign_in(client)
    page = client.get(f"/admin/moderation/{submission.id}/edit?lang=en")
    assert page.status_code == 200
    names = {a.get("name") for a in read_page(page.get_data(as_text=True)).all("input")}
    assert {"name", "siren", "rna"} <= names and "contact_email" not in names
