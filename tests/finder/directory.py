"""A small directory for the search across kinds: actors and initiatives of the region, linked
to the events of tests/web/pages.py (stored beside them by the tests that need events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agenda.db import transaction
from agenda.models import Actor, EventActor, EventInitiative, Initiative, InitiativeActor
from agenda.store.changes import bump_data_version
from tests.web.pages import NOW

ACTORS = [
    dict(name="Recyclerie des Coopératives", structure="cooperative", themes=["reemploi"],
         department="37", commune_code="37261", commune_name="Tours", status="confirmed",
         website="https://recyclerie.example.org", description_text="Réemploi de vélos et meubles"),
    dict(name="Écolieu du Val", structure="association", themes=["transition-ecologique"],
         department="41", commune_code="41269", commune_name="Vendôme", status="to_check",
         description_text="Jardins partagés et ateliers"),
    dict(name="Mutuelle solidaire du Berry", structure="mutual", themes=["finance-solidaire"],
         department="18", commune_code="18033", commune_name="Bourges", status="confirmed"),
    dict(name="Association en attente", structure="association", status="proposed",
         department="37"),
]
INITIATIVES = [
    dict(id="a1", title="Atelier vélo solidaire", themes=["reemploi"], department="37",
         territory="Tours", commune_code="37261", commune_name="Tours", status="active",
         starts_on=date(2026, 1, 5), url="https://velo.example.org"),
    dict(id="b2", title="Jardins partagés de la région", themes=["transition-ecologique"],
         department=None, status="project", description_text="Des jardins dans chaque ville"),
    dict(id="c3", title="Ancienne ressourcerie", themes=["reemploi"], department="45",
         status="ended"),
    dict(id="d4", title="Vélos retirés", department="37", status="active"),
]


@dataclass
class Directory:
    actors: dict[str, int]  # name -> id
    initiatives: list[str]


def store_directory(factory, *, event_ids: dict[str, str] | None = None) -> Directory:
    """The actors and initiatives above (the last initiative withdrawn); with ``event_ids``
    (title -> id), the recyclerie organises the repair café, part of the bike workshop."""
    with transaction(factory) as session:
        actors = [Actor(**values) for values in ACTORS]
        session.add_all(actors)
        session.flush()
        for values in INITIATIVES:
            session.add(Initiative(**values, actor_id=actors[0].id, created_at=NOW,
                                   updated_at=NOW,
                                   removed_at=NOW if values["id"] == "d4" else None))
        session.flush()
        session.add(InitiativeActor(initiative_id="a1", actor_id=actors[0].id))
        session.add(InitiativeActor(initiative_id="b2", actor_id=actors[1].id))
        if event_ids:
            repair = event_ids["Repair café"]
            session.add(EventActor(event_id=repair, actor_id=actors[0].id, how="staff"))
            session.add(EventInitiative(event_id=repair, initiative_id="a1"))
        bump_data_version(session)
        return Directory({a.name: a.id for a in actors}, [v["id"] for v in INITIATIVES])
