"""Realistic generated French ESS events for demos and benchmarks (pure: seed and dates in).

Titles, places, organisers, categories and descriptions are drawn from lists written for the
region's six departments (18 28 36 37 41 45); about one event in twelve is online, one in
twenty a weekly series, one in twenty all-day, one in twenty in the past two months, the others
spread over the next twelve months.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.records import EventRecord, Location, Occurrence

CITIES = {
    "18": [("Bourges", "18000"), ("Vierzon", "18100"), ("Saint-Amand-Montrond", "18200"),
           ("Aubigny-sur-Nère", "18700"), ("Mehun-sur-Yèvre", "18500")],
    "28": [("Chartres", "28000"), ("Dreux", "28100"), ("Châteaudun", "28200"),
           ("Nogent-le-Rotrou", "28400"), ("Lucé", "28110")],
    "36": [("Châteauroux", "36000"), ("Issoudun", "36100"), ("Le Blanc", "36300"),
           ("La Châtre", "36400"), ("Argenton-sur-Creuse", "36200")],
    "37": [("Tours", "37000"), ("Joué-lès-Tours", "37300"), ("Amboise", "37400"),
           ("Chinon", "37500"), ("Loches", "37600"), ("Saint-Pierre-des-Corps", "37700")],
    "41": [("Blois", "41000"), ("Vendôme", "41100"), ("Romorantin-Lanthenay", "41200"),
           ("Montrichard", "41400"), ("Mer", "41500")],
    "45": [("Orléans", "45000"), ("Montargis", "45200"), ("Gien", "45500"),
           ("Pithiviers", "45300"), ("Fleury-les-Aubrais", "45400"), ("Olivet", "45160")],
}

# (title, source categories): the categories give the themes through config/region.toml.
KINDS = [
    ("Repair café", ("Repair café", "Réemploi")),
    ("Forum de l'ESS", ("Économie sociale et solidaire", "Mois de l'ESS")),
    ("Atelier compostage", ("Zéro déchet", "Jardin partagé")),
    ("Atelier réparation de vélos", ("Vélo", "Réparation")),
    ("Marché de producteurs locaux", ("Circuit court", "Alimentation")),
    ("Conférence sur la finance solidaire", ("Finance solidaire", "Conférence")),
    ("Fresque du climat", ("Fresque du climat", "Transition écologique")),
    ("Soirée au café associatif", ("Café associatif", "Vie associative")),
    ("Formation des bénévoles", ("Bénévolat", "Vie associative")),
    ("Job dating de l'insertion", ("Emploi", "Insertion")),
    ("Ciné-débat : les coopératives", ("Ciné-débat", "Coopérative")),
    ("Assemblée générale de la SCIC", ("SCIC", "Gouvernance")),
    ("Permanence épargne solidaire", ("Épargne solidaire",)),
    ("Portes ouvertes de la ressourcerie", ("Ressourcerie", "Seconde main")),
    ("Disco soupe contre le gaspillage alimentaire", ("Gaspillage alimentaire",)),
    ("Bourse aux vêtements", ("Seconde main", "Solidarité")),
    ("Journée portes ouvertes du tiers-lieu", ("Tiers-lieu", "Coworking")),
    ("Soirée jeux coopératifs", ("Jeux", "Vie associative")),
    ("Rencontre habitat participatif", ("Habitat participatif",)),
    ("Webinaire entrepreneuriat social", ("Entrepreneuriat social",)),
    ("Table ronde du Mois de l'ESS", ("Mois de l'ESS", "Débat")),
    ("Troc de plantes au jardin partagé", ("Jardin partagé", "Biodiversité")),
    ("Atelier zéro déchet", ("Zéro déchet",)),
    ("Découverte de la monnaie locale", ("Monnaie locale", "Finance solidaire")),
    ("Chantier participatif d'éco-rénovation", ("Rénovation énergétique", "Habitat")),
    ("Atelier numérique pour les aidants", ("Aidants", "Accès aux droits")),
    ("Concert solidaire", ("Concert", "Solidarité")),
    ("Visite d'une épicerie solidaire", ("Épicerie solidaire", "Aide alimentaire")),
    ("Créer sa coopérative : réunion d'information", ("SCOP", "Création d'entreprise")),
    ("Covoiturage et mobilité solidaire : rencontre", ("Covoiturage", "Mobilité")),
    ("Université populaire : l'économie circulaire", ("Université populaire",
                                                      "Économie circulaire")),
    ("Fête de l'énergie citoyenne", ("Énergie citoyenne", "Festival")),
]
PLACES = ["Maison des associations", "Salle des fêtes", "Médiathèque", "Tiers-lieu La Fabrique",
          "Ressourcerie du Val", "Jardin partagé des Prés", "Café associatif Le Lien",
          "Espace de vie sociale", "Hôtel de ville", "Recyclerie La Boucle", "Fablab du Centre"]
ORGANISERS = ["CRESS Centre-Val de Loire", "Recyclerie du Blaisois", "AMAP des Quatre Saisons",
              "Coopérative Oxalis", "France Active Centre-Val de Loire", "Les Jardins de Cocagne",
              "Association Val Éco", "Tiers-lieu La Fabrique", "Collectif Énergies citoyennes",
              "Épicerie solidaire La Passerelle", "Mouvement associatif", "Cigales du Centre"]
STREETS = ["rue de la République", "rue Nationale", "place du Marché", "avenue de Verdun",
           "rue Victor-Hugo", "boulevard Jean-Jaurès", "rue des Écoles", "quai de la Loire"]
SENTENCES = [
    "Ouvert à toutes et à tous, gratuit.", "Entrée libre, inscription conseillée.",
    "Venez avec vos objets en panne : des bénévoles vous aident à les réparer.",
    "Un temps d'échange convivial entre habitants, associations et coopératives.",
    "Animé par des acteurs de l'économie sociale et solidaire du territoire.",
    "Un goûter sera partagé à la fin de la rencontre.",
    "Accessible aux personnes à mobilité réduite.", "Places limitées.",
    "Dans le cadre du Mois de l'économie sociale et solidaire.",
    "Avec le soutien de la Région Centre-Val de Loire.",
    "Pensez à apporter vos contenants et vos sacs réutilisables.",
    "Les enfants sont les bienvenus, accompagnés d'un adulte.",
]


def sample_records(count: int, *, seed: int, today: date, tz: ZoneInfo) -> list[EventRecord]:
    """``count`` events, always the same for the same seed and day."""
    rng = random.Random(seed)
    return [_record(rng, index, today, tz) for index in range(count)]


def _record(rng: random.Random, index: int, today: date, tz: ZoneInfo) -> EventRecord:
    title, categories = rng.choice(KINDS)
    online = rng.random() < 0.08
    department = rng.choice(sorted(CITIES))
    city, postcode = rng.choice(CITIES[department])
    all_day = not online and rng.random() < 0.05
    start, end = _times(rng, today, tz, all_day)
    occurrences = _weekly(rng, start, end, all_day) if rng.random() < 0.05 else [
        Occurrence(start, end, all_day)]
    return EventRecord(
        source_uid=f"generated-{index}@agenda-commun", title=_title(rng, title, city, online),
        start=start, end=end, all_day=all_day, timezone=None if all_day else tz.key,
        description_text=" ".join(rng.sample(SENTENCES, rng.randint(2, 4))),
        rrule=f"FREQ=WEEKLY;COUNT={len(occurrences)}" if len(occurrences) > 1 else None,
        location=Location() if online else _place(rng, city, postcode, department),
        online_url=f"https://visio.exemple.org/{index}" if online else None,
        organizer=rng.choice(ORGANISERS), url=f"https://exemple.org/evenements/{index}",
        categories=categories, occurrences=occurrences,
    )


def _title(rng: random.Random, title: str, city: str, online: bool) -> str:
    if online:
        return f"{title} (en ligne)"
    return f"{title} à {city}" if rng.random() < 0.5 else title


def _place(rng: random.Random, city: str, postcode: str, department: str) -> Location:
    return Location(name=rng.choice(PLACES), address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}",
                    postcode=postcode, city=city, department=department)


def _times(rng: random.Random, today: date, tz: ZoneInfo, all_day: bool):
    day = today + timedelta(days=rng.randint(-60, -1) if rng.random() < 0.05
                            else rng.randint(0, 364))
    if all_day:
        return day, day + timedelta(days=rng.choice((1, 1, 2)))
    start = datetime.combine(day, time(rng.randint(8, 20), rng.choice((0, 15, 30))), tz)
    return start, start + timedelta(minutes=rng.choice((60, 90, 120, 180)))


def _weekly(rng: random.Random, start, end, all_day: bool) -> list[Occurrence]:
    return [Occurrence(start + timedelta(weeks=n), end + timedelta(weeks=n), all_day)
            for n in range(rng.randint(4, 20))]
