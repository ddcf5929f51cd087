"""What the campaign tests share: two campaigns and a November calendar, some of its events
published for the Mois de l'ESS, one for another campaign, others for none (same dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update

from agenda.db import transaction
from agenda.models import Event
from agenda.records import Location
from agenda.store.campaigns import create_campaign
from tests.web.pages import NOW, all_day, store, timed, weekly

MOIS = {"slug": "mois-ess-2026", "name": "Mois de l'ESS 2026", "starts_on": date(2026, 11, 1),
        "ends_on": date(2026, 11, 30), "description": "Chaque novembre.\n\nPartout en région."}
SEMAINE = {"slug": "semaine-velo", "name": "Semaine du vélo", "starts_on": date(2026, 11, 16),
           "ends_on": date(2026, 11, 22)}

TOURS = Location(name="Ressourcerie", address="3 rue du Commerce", postcode="37000", city="Tours",
                 department="37")
RECORDS = [
    timed("repair", "Repair café", 25, themes=("reemploi",), location=TOURS,
          organizer="Association Répar'37", url="https://repair.example.org/cafe",
          timezone="Europe/Paris"),
    timed("velo", "Atelier vélo", 12, themes=("mobilite", "reemploi"), location=TOURS),
    timed("conf", "Conférence finance solidaire", 26, hour=9, themes=("finance-solidaire",),
          location=Location(city="Orléans", department="45")),
    timed("webinaire", "Webinaire ESS", 26, hour=14, themes=("mois-ess",),
          online_url="https://visio.example.org/ess"),
    all_day("festival", "Festival des solidarités", date(2026, 11, 27), date(2026, 11, 30),
            location=Location(city="Bourges", department="18")),
    timed("formule", '=HYPERLINK("http://evil.example/","clic")', 20,
          location=Location(city="Blois", department="41"), organizer="@SUM(1+1)"),
    timed("forum", "Forum annulé", 24, status="cancelled", themes=("emploi-insertion",),
          location=Location(city="Orléans", department="45")),
    timed("gone", "Retiré par son organisateur", 23, location=TOURS),
    weekly("permanence", "Permanence numérique",
           [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)],
           rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4", location=Location(city="Vendôme",
                                                                    department="41")),
    timed("autre", "Balade à vélo", 18, location=Location(city="Chartres", department="28")),
]
MOIS_TITLES = {"Repair café", "Atelier vélo", "Conférence finance solidaire", "Webinaire ESS",
               "Festival des solidarités", '=HYPERLINK("http://evil.example/","clic")',
               "Forum annulé"}
"""The Mois de l'ESS's published events (the cancelled forum among them)."""
MOIS_REMOVED = "Retiré par son organisateur"
SEMAINE_TITLES = {"Balade à vélo"}
NOT_IN_A_CAMPAIGN = {"Permanence numérique"}


@dataclass
class CampaignCalendar:
    mois_id: int
    semaine_id: int
    ids: dict[str, str]  # title -> event id


def store_campaigns(factory) -> CampaignCalendar:
    """The two campaigns and the calendar; the removed event was published for the Mois."""
    with transaction(factory) as session:
        mois = create_campaign(session, **MOIS, now=NOW).id
        semaine = create_campaign(session, **SEMAINE, now=NOW).id
    stored = store(factory, RECORDS, removed=("gone",))
    with transaction(factory) as session:
        for titles, campaign_id in ((MOIS_TITLES | {MOIS_REMOVED}, mois),
                                    (SEMAINE_TITLES, semaine)):
            session.execute(update(Event).where(Event.title.in_(titles))
                            .values(campaign_id=campaign_id))
    return CampaignCalendar(mois, semaine, stored.ids)
