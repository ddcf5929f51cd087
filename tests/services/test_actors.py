"""Writing actors (agenda.services.actors): one actor per organisation, whatever writes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import Actor, ActorLink, AuditEntry
from agenda.services.actors import (
    ActorRefused,
    confirm_actor,
    link_actors,
    remove_actor,
    save_actor,
    unlink_actors,
    upsert_imported_actor,
)
from agenda.store.changes import data_version
from tests.services.proposals import add_staff

REPAR = {"name": "Répar'37", "structure": "association", "siren": "732 829 320",
         "postcode": "37000", "city": "Tours", "themes": ["reemploi"]}


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Actor))


def test_a_staff_actor_is_created_placed_in_its_commune_and_audited(factory, now):
    with transaction(factory) as session:
        staff = add_staff(session)
        before = data_version(session)[0]
        actor, problems = save_actor(session, {**REPAR, "description": "Un atelier.\n\nLe jeudi."},
                                     origin="staff", status="confirmed", by=staff, now=now)
        assert problems == []
        assert (actor.siren, actor.commune_code, actor.commune_name, actor.department) == (
            "732829320", "37261", "Tours", "37")
        assert actor.description_html == "<p>Un atelier.</p><p>Le jeudi.</p>"
        assert "Un atelier." in actor.description_text
        assert data_version(session)[0] > before
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "actor_create"))
        assert entry.who == staff.email and entry.detail["actor"] == "Répar'37"


@pytest.mark.parametrize("field, value, code", [
    ("siren", "732829321", "siren.invalid"),
    ("siret", "73282932000075", "siret.invalid"),
    ("rna", "W37", "rna.invalid"),
    ("structure", "club de foot", "structure.unknown"),
    ("website", "javascript:alert(1)", "website.invalid"),
])
def test_a_form_with_an_invalid_value_is_refused_with_the_field_named(factory, now, field,
                                                                      value, code):
    with transaction(factory) as session:
        with pytest.raises(ActorRefused) as refused:
            save_actor(session, {"name": "Répar'37", field: value}, origin="staff",
                       status="confirmed", now=now)
        assert [(p["field"], p["code"]) for p in refused.value.problems] == [(field, code)]
        assert _count(session) == 0


def test_an_import_keeps_the_record_and_flags_the_invalid_number(factory, now):
    with transaction(factory) as session:
        actor, problems = upsert_imported_actor(
            session, {"name": "La Ressourcerie", "siren": "123456789", "rna": "W372001234"},
            origin="import", origin_key="import:42", now=now)
        assert actor.siren is None and actor.rna == "W372001234"
        assert actor.status == "to_check" and actor.origin == "import"
        assert actor.flags == [{"field": "siren", "value": "123456789", "code": "siren.invalid"}]
        assert problems == actor.flags


def test_the_same_siren_is_the_same_actor_updated_not_doubled(factory, now):
    with transaction(factory) as session:
        first, _ = save_actor(session, REPAR, origin="staff", status="confirmed", now=now)
        again, _ = upsert_imported_actor(
            session, {"name": "REPAR 37 (association)", "siren": "732829320",
                      "website": "repar37.example", "contact_phone": "02 47 00 00 00"},
            origin="gogocarto", origin_key="gogocarto:carte.example:7", now=now)
        assert again.id == first.id and _count(session) == 1
        # empty fields filled; what staff set stays (the name, the confirmed status)
        assert again.name == "Répar'37" and again.status == "confirmed"
        assert again.website == "https://repar37.example"
        assert again.contact_phone == "02 47 00 00 00"


def test_the_same_rna_or_origin_key_or_name_finds_the_actor(factory, now):
    with transaction(factory) as session:
        first, _ = save_actor(session, {"name": "Les Paniers", "rna": "W372001234"},
                              origin="staff", status="confirmed", origin_key="import:1",
                              now=now)
        by_rna, _ = upsert_imported_actor(session, {"name": "Paniers", "rna": "w 372001234"},
                                          origin="import", origin_key="import:2", now=now)
        by_key, _ = upsert_imported_actor(session, {"name": "Autre nom"}, origin="import",
                                          origin_key="import:1", now=now)
        by_name, _ = save_actor(session, {"name": "  Les   Paniers "}, origin="organizer",
                                status="to_check", now=now)
        assert {by_rna.id, by_key.id, by_name.id} == {first.id} and _count(session) == 1


def test_an_empty_value_never_erases_one_already_set(factory, now):
    with transaction(factory) as session:
        save_actor(session, REPAR, origin="staff", status="confirmed", now=now)
        actor, _ = upsert_imported_actor(session, {"name": "Répar'37", "siren": "",
                                                   "postcode": "", "themes": []},
                                         origin="import", origin_key="import:9", now=now)
        assert (actor.siren, actor.postcode, actor.themes) == ("732829320", "37000",
                                                               ["reemploi"])


def test_a_reimport_refreshes_what_the_import_made_but_not_a_confirmed_record(factory, now):
    with transaction(factory) as session:
        actor, _ = upsert_imported_actor(session, {"name": "Ressourcerie", "kind": "ancien"},
                                         origin="import", origin_key="import:5", now=now)
        upsert_imported_actor(session, {"name": "Ressourcerie", "kind": "nouveau"},
                              origin="import", origin_key="import:5", now=now)
        assert actor.kind == "nouveau"
        staff = add_staff(session)
        confirm_actor(session, actor, by=staff, now=now)
        upsert_imported_actor(session, {"name": "Ressourcerie", "kind": "encore"},
                              origin="import", origin_key="import:5", now=now)
        assert actor.kind == "nouveau" and actor.status == "confirmed"


def test_a_staff_edit_replaces_values_and_clears_what_was_emptied(factory, now):
    with transaction(factory) as session:
        staff = add_staff(session)
        actor, _ = save_actor(session, {**REPAR, "website": "https://repar.example"},
                              origin="staff", status="confirmed", by=staff, now=now)
        save_actor(session, {**REPAR, "name": "Répar 37", "website": ""}, origin="staff",
                   status=actor.status, by=staff, actor=actor, now=now)
        assert actor.name == "Répar 37" and actor.website is None
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "actor_edit"))
        assert set(entry.detail["changed"]) == {"name", "website"}


def test_a_name_or_number_of_another_actor_is_refused_in_an_edit(factory, now):
    with transaction(factory) as session:
        save_actor(session, REPAR, origin="staff", status="confirmed", now=now)
        other, _ = save_actor(session, {"name": "Autre"}, origin="staff", status="confirmed",
                              now=now)
        with pytest.raises(ActorRefused) as refused:
            save_actor(session, {"name": "Répar'37", "siren": "732829320"}, origin="staff",
                       status="confirmed", actor=other, now=now)
        assert {p["code"] for p in refused.value.problems} == {"name.taken", "siren.taken"}


def test_themes_are_the_regions_and_a_label_is_recognised(factory, now):
    with transaction(factory) as session:
        actor, problems = upsert_imported_actor(
            session, {"name": "Atelier", "themes": ["reemploi", "Alimentation", "Quidditch"]},
            origin="import", origin_key="import:t", now=now)
        assert actor.themes == ["reemploi", "alimentation"]
        assert problems == [{"field": "themes", "value": "Quidditch", "code": "theme.unknown"}]


def test_french_words_for_the_structure_are_understood(factory, now):
    with transaction(factory) as session:
        actor, problems = upsert_imported_actor(session, {"name": "Scop", "structure": "SCIC"},
                                                origin="import", origin_key="i:s", now=now)
        assert actor.structure == "cooperative" and problems == []


def test_confirm_remove_and_an_import_does_not_bring_a_removed_actor_back(factory, now):
    with transaction(factory) as session:
        staff = add_staff(session)
        actor, _ = upsert_imported_actor(session, {"name": "Ressourcerie"}, origin="import",
                                         origin_key="import:r", now=now)
        assert confirm_actor(session, actor, by=staff, now=now)
        assert not confirm_actor(session, actor, by=staff, now=now)
        assert remove_actor(session, actor, by=staff, now=now)
        again, _ = upsert_imported_actor(session, {"name": "Ressourcerie", "kind": "x"},
                                         origin="import", origin_key="import:r", now=now)
        assert again.id == actor.id and again.removed_at is not None and again.kind is None
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"actor_confirm", "actor_remove"} <= actions


def test_link_and_unlink_two_actors(factory, now):
    with transaction(factory) as session:
        staff = add_staff(session)
        member, _ = save_actor(session, REPAR, origin="staff", status="confirmed", now=now)
        network, _ = save_actor(session, {"name": "Cress Centre"}, origin="staff",
                                status="confirmed", now=now)
        assert link_actors(session, member.id, network.id, "member", by=staff, now=now)
        assert not link_actors(session, member.id, network.id, "member", by=staff, now=now)
        assert link_actors(session, network.id, member.id, "partner", by=staff, now=now)
        # partners are one link whichever way round
        assert not link_actors(session, member.id, network.id, "partner", by=staff, now=now)
        with pytest.raises(ActorRefused):
            link_actors(session, member.id, member.id, "member", by=staff, now=now)
        assert unlink_actors(session, member.id, network.id, "partner", by=staff, now=now)
        assert unlink_actors(session, member.id, network.id, "member", by=staff, now=now)
        assert not unlink_actors(session, member.id, network.id, "member", by=staff, now=now)
        assert session.scalar(select(func.count()).select_from(ActorLink)) == 0
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "actor_link"))
        assert entry.detail["other"] == "Cress Centre" and entry.detail["relation"] == "member"


def test_importing_the_same_values_again_changes_nothing(factory, now):
    values = {"name": "Ressourcerie", "siren": "123456789", "postcode": "37000",
              "city": "Tours", "themes": ["reemploi"]}
    with transaction(factory) as session:
        actor, _ = upsert_imported_actor(session, values, origin="import",
                                         origin_key="import:same", now=now)
    with transaction(factory) as session:
        version = data_version(session)[0]
        again, problems = upsert_imported_actor(session, values, origin="import",
                                                origin_key="import:same", now=now)
        assert again.id == actor.id and problems == actor.flags
        assert data_version(session)[0] == version
        assert not session.dirty
