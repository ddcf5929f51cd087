"""What the tests of campaign rules share: a November calendar from two sources of two actors,
and a Mois de l'ESS campaign (1-30 November 2026) to give rules to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event, Source
from agenda.records import Location
from agenda.store.campaigns import create_campaign
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.web.pages import NOW, PARIS, timed, weekly

MOIS = {"slug": "mois-ess-2026", "name": "Mois de l'ESS 2026", "starts_on": date(2026, 11, 1),
        "ends_on": date(2026, 11, 30)}

TOURS = Location(name="Ressourcerie", address="3 rue du Commerce", postcode="37000",
                 city="Tours", department="37", lat=47.39412, lon=0.68484)
FABRIQUE = [  # published by "La Fabrique commune"
    timed("repair", "Repair café", 25, themes=("reemploi",), location=TOURS,
          organizer="Association Répar'37", description_text="Apportez vos objets cassés.",
          categories=("Atelier",), url="https://repair.example.org/cafe"),
    timed("velo", "Atelier vélo", 12, themes=("mobilite",), location=TOURS),
]
CRESS = [  # published by "CRESS Centre-Val de Loire"
    timed("forum", "Forum de l'emploi", 24, themes=("mois-ess", "emploi-insertion"),
          location=Location(city="Orléans", department="45")),
    timed("conf", "Conférence du Mois de l'ESS", 26, hour=9,
          location=Location(city="Blois", department="41")),
    timed("webinaire", "Webinaire finance", 19, themes=("finance-solidaire",),
          online_url="https://visio.example.org/ess", status="cancelled"),
    timed("noel", "Marché de Noël solidaire", 5, month=12, themes=("mois-ess",),
          location=Location(city="Orléans", department="45")),
    weekly("permanence", "Permanence ESS",
           [date(2026, 10, 26) + timedelta(weeks=n) for n in range(3)],
           rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=3", themes=("mois-ess",),
           location=Location(city="Vendôme", department="41")),
]
NOVEMBER_TITLES = {"Repair café", "Atelier vélo", "Forum de l'emploi",
                   "Conférence du Mois de l'ESS", "Webinaire finance", "Permanence ESS"}


@dataclass
class RulesCalendar:
    campaign_id: int
    sources: dict[str, int]  # "fabrique" | "cress" -> source id
    actors: dict[str, int]  # same keys -> actor id
    ids: dict[str, str]  # title -> event id


def store_rules_calendar(factory) -> RulesCalendar:
    sources, actors = {}, {}
    for key, name, records in (("fabrique", "La Fabrique commune", FABRIQUE),
                               ("cress", "CRESS Centre-Val de Loire", CRESS)):
        with transaction(factory) as session:
            source = add_source(session, name=f"Agenda de {name}",
                                url=f"http://127.0.0.1/{key}.ics", actor_name=name, now=NOW)
            upsert_events(session, source.id, records, now=NOW, tz=PARIS)
            sources[key], actors[key] = source.id, source.actor_id
    with transaction(factory) as session:
        campaign_id = create_campaign(session, **MOIS, now=NOW).id
        ids = {e.title: e.id for e in session.scalars(select(Event))}
        assert session.scalar(select(Source.id).where(Source.id == sources["cress"]))
    return RulesCalendar(campaign_id, sources, actors, ids)
