"""Write ``pairs.jsonl``, the labelled set of the event matcher, from the hand-written cases below.

Every case is a template written by hand from a situation seen in the region's calendars (the
CRESS agenda, the Mois de l'ESS platform, local networks, organisers' own sites, the proposal
form); each one is played in the three settings (a town, its venues, a neighbour town of the same
department, a town of another department, a date), so that the titles carry the town's name and
the times fall in winter (UTC+1) and summer (UTC+2).  ``same`` is what a person who knows the
events would answer, decided when the case was written, before the matcher existed.

    python tests/data/matching/make_pairs.py      # rewrites pairs.jsonl beside this file
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
HERE = Path(__file__).resolve().parent

# name -> (INSEE code, department, latitude, longitude of the centre)
TOWNS = {
    "Tours": ("37261", "37", 47.3941, 0.6848),
    "Joué-lès-Tours": ("37122", "37", 47.3520, 0.6630),
    "Saint-Pierre-des-Corps": ("37233", "37", 47.3880, 0.7260),
    "Blois": ("41018", "41", 47.5860, 1.3360),
    "Orléans": ("45234", "45", 47.9030, 1.9090),
    "Olivet": ("45232", "45", 47.8630, 1.9010),
    "Chartres": ("28085", "28", 48.4470, 1.4890),
    "Bourges": ("18033", "18", 47.0810, 2.3990),
    "Vierzon": ("18279", "18", 47.2220, 2.0680),
    "Châteauroux": ("36044", "36", 46.8100, 1.6910),
}


@dataclass(frozen=True)
class Setting:
    town: str
    near: str            # another commune of the same department
    far: str             # a town of another department
    day: date
    venue1: tuple        # (name, address, lat, lon)
    venue2: tuple
    near_venue: tuple


SETTINGS = [
    Setting("Tours", "Joué-lès-Tours", "Blois", date(2026, 11, 14),
            ("Salle Thélème", "3 rue des Tanneurs", 47.3967, 0.6826),
            ("Les Halles de Tours", "place Gaston-Paillhou", 47.3905, 0.6790),
            ("Espace Malraux", "parc des Bretonnières", 47.3470, 0.6610)),
    Setting("Orléans", "Olivet", "Chartres", date(2026, 6, 13),
            ("Maison des associations", "46 ter rue Sainte-Catherine", 47.9016, 1.9066),
            ("Le 108", "108 rue de Bourgogne", 47.9010, 1.9150),
            ("Salle du Baron", "rue du Général-de-Gaulle", 47.8610, 1.9000)),
    Setting("Bourges", "Vierzon", "Châteauroux", date(2026, 3, 21),
            ("Salle du Duc Jean", "rue des Arènes", 47.0830, 2.3950),
            ("Le Hublot", "rue Jean-Baptiste-Gaillard", 47.0860, 2.4060),
            ("Forum République", "rue de la République", 47.2230, 2.0690)),
]

CASES = []


def of(town):
    """French "de Tours", "d'Orléans"."""
    return f"d'{town}" if town[0] in "AEIOUÉÈÂÎÔ" else f"de {town}"


def case(name, same):
    def register(template):
        CASES.append((name, same, template))
        return template
    return register


def ev(s: Setting, title, start, end=None, *, venue=1, town=None, src=1, uid=None,
       event=None, org=None, url=None, all_day=False, online=False, place_name="",
       coords="venue", commune=True, dept=True, utc_mistake=False):
    """One candidate as a dict; ``start``/``end`` are local ``"HH:MM"`` or ``"+N HH:MM"`` (N
    days after the setting's day), ``"+N"`` for all-day dates (``end`` = last day)."""
    venue_row = {1: s.venue1, 2: s.venue2, "near": s.near_venue, None: None}[venue]
    town = town or (s.near if venue == "near" else s.town)
    code, department, town_lat, town_lon = TOWNS[town]
    begin, finish = _instants(s.day, start, end, all_day, utc_mistake)
    row = {"event_id": event, "source_id": src, "source_uid": uid, "title": title,
           "start": begin.isoformat(), "end": finish.isoformat(), "all_day": all_day,
           "commune_code": code if commune and not online else None,
           "department": department if dept and not online else None,
           "online": online, "place_name": None, "address": None,
           "city": town if not online and (commune or dept) else None,
           "lat": None, "lon": None, "organizer": org, "url": url}
    if venue_row and not online:
        row["place_name"] = place_name if place_name != "" else venue_row[0]
        row["address"] = venue_row[1]
        if coords == "venue":
            row["lat"], row["lon"] = venue_row[2], venue_row[3]
    if coords == "town" and not online:
        row["lat"], row["lon"] = town_lat, town_lon
    if not commune and not dept and not online:
        row["city"] = None
    return row


def _instants(day, start, end, all_day, utc_mistake):
    zone = timezone.utc if utc_mistake else PARIS
    if all_day:
        first = day + timedelta(days=int(start or "+0"))
        last = day + timedelta(days=int(end)) if end else first
        return (datetime.combine(first, time(0), PARIS).astimezone(timezone.utc),
                datetime.combine(last + timedelta(days=1), time(0), PARIS)
                .astimezone(timezone.utc))
    begin = _local(day, start, zone)
    finish = _local(day, end, zone) if end else begin
    if end and finish < begin:
        finish = begin
    return begin, finish


def _local(day, text, zone):
    days = 0
    if text.startswith("+"):
        offset, text = text[1:].split(" ")
        days = int(offset)
    hour, minute = (int(x) for x in text.split(":"))
    return datetime.combine(day + timedelta(days=days), time(hour, minute), zone) \
        .astimezone(timezone.utc)


# Sources: 1 CRESS agenda, 2 Mois de l'ESS platform, 3 a local network, 4 the organiser's own
# site, 5 the proposal form, 6 a town's OpenAgenda.

# ----------------------------------------------------------------------------- the same event

@case("forum ESS, different titles", True)
def _(s):
    return (ev(s, f"Forum de l'ESS {of(s.town)}", "09:00", "17:00", src=1, org="CRESS Centre-Val de Loire"),
            ev(s, f"Forum ESS {s.town} 2026", "09:00", "17:00", src=2, org="CRESS Centre-Val de Loire"))


@case("AG abbreviation", True)
def _(s):
    return (ev(s, "AG de l'association Les Jardins de Cocagne", "18:30", "20:30", src=4,
               venue=2, org="Les Jardins de Cocagne"),
            ev(s, "Assemblée générale - Jardins de Cocagne", "18:30", "20:30", src=3, venue=2))


@case("ESS abbreviation", True)
def _(s):
    return (ev(s, "Petit-déjeuner de l'économie sociale et solidaire", "08:30", "10:00", src=1),
            ev(s, "Petit déj' de l'ESS", "08:30", "10:00", src=2))


@case("missing end on one side", True)
def _(s):
    return (ev(s, "Repair café", "14:00", "17:00", src=3, org="Repair Café " + s.town),
            ev(s, "Repair Café", "14:00", None, src=6))


@case("one hour off, UTC mistake of one source", True)
def _(s):
    return (ev(s, "Ciné-débat « Ma part du gâteau »", "20:00", "22:30", src=2),
            ev(s, "Ciné-débat Ma part du gâteau", "20:00", "22:30", src=3, utc_mistake=True))


@case("market, UTC mistake of one source", True)
def _(s):
    return (ev(s, "Marché de producteurs locaux", "16:00", "19:30", src=6, venue=2),
            ev(s, "Marché des producteurs locaux", "16:00", "19:30", src=4, venue=2,
               utc_mistake=True, place_name="Place du marché"))


@case("webinar announced twice", True)
def _(s):
    return (ev(s, "Webinaire : financer son projet ESS", "11:00", "12:00", src=1, online=True,
               url="https://www.cress-centre.org/agenda/webinaire-financer-projet-ess/"),
            ev(s, "Webinaire « Financer son projet d'économie sociale et solidaire »", "11:00",
               "12:00", src=2, online=True, url="https://mois-ess.org/e/4412"))


@case("webinar, same URL with tracking", True)
def _(s):
    return (ev(s, "Les SCIC, mode d'emploi (en ligne)", "17:30", "19:00", src=1, online=True,
               url="https://www.urscop.coop/agenda/scic-mode-d-emploi?utm_source=cress"),
            ev(s, "Webinaire : les SCIC, mode d'emploi", "17:30", None, src=4, online=True,
               url="http://urscop.coop/agenda/scic-mode-d-emploi/"))


@case("Mois de l'ESS prefix", True)
def _(s):
    return (ev(s, "Mois de l'ESS : ciné-débat « Demain »", "19:00", "22:00", src=2, venue=2),
            ev(s, "Ciné-débat Demain – Mois de l'ESS", "19:00", "22:00", src=6, venue=2))


@case("repair café spelt differently", True)
def _(s):
    return (ev(s, f"Répar'Café {of(s.town)}", "09:30", "12:30", src=3),
            ev(s, "Repair café", "09:30", "12:30", src=5))


@case("market words in another order", True)
def _(s):
    return (ev(s, "Marché de producteurs bio", "08:00", "13:00", src=6, venue=2),
            ev(s, "Marché bio des producteurs locaux", "08:00", "13:00", src=4, venue=2,
               coords="town"))


@case("all-day vs timed the same day", True)
def _(s):
    return (ev(s, "Journée portes ouvertes de la Ressourcerie", "+0", all_day=True, src=3),
            ev(s, "Portes ouvertes à la ressourcerie", "10:00", "18:00", src=4))


@case("form proposal with emoji and shouting", True)
def _(s):
    return (ev(s, "🌱 GRATUIT - Atelier compostage !!", "14:00", "16:00", src=5, venue=2),
            ev(s, "Atelier compostage", "14:00", "16:00", src=4, venue=2,
               org="Zéro Déchet " + s.town))


@case("place name spelt differently, coordinates apart a little", True)
def _(s):
    name, address, lat, lon = s.venue1
    return (ev(s, "Soirée jeux coopératifs", "20:00", "23:00", src=3),
            ev(s, "Soirée jeux coopératifs", "20:00", "23:00", src=6,
               place_name=name.upper() + " - " + s.town, coords="town"))


@case("coordinates on one side only", True)
def _(s):
    return (ev(s, "Atelier réparation de vélos", "10:00", "12:00", src=4, coords=None),
            ev(s, "Atelier de réparation vélo", "10:00", "12:00", src=3))


@case("commune on one side, department only on the other", True)
def _(s):
    return (ev(s, "Fresque du climat", "18:30", "21:30", src=4, org="La Fresque du Climat"),
            ev(s, "Fresque du Climat", "18:30", "21:30", src=1, commune=False, coords=None,
               place_name=None))


@case("form proposal without a place", True)
def _(s):
    return (ev(s, "Conférence : la monnaie locale, comment ça marche ?", "19:00", "21:00", src=4),
            ev(s, "Conférence sur la monnaie locale", "19:00", "21:00", src=5, venue=None,
               commune=False, dept=False, coords=None))


@case("doors open a quarter earlier", True)
def _(s):
    return (ev(s, "Conférence gesticulée « Inculture(s) »", "20:00", "22:00", src=6, venue=2),
            ev(s, "Conférence gesticulée : Inculture(s)", "20:15", "22:00", src=3, venue=2))


@case("different end times", True)
def _(s):
    return (ev(s, "Atelier couture zéro déchet", "14:00", "17:00", src=4),
            ev(s, "Atelier couture zéro déchet", "14:00", "18:00", src=3))


@case("same URL, titles apart", True)
def _(s):
    url = f"https://mois-ess.org/evenements/village-ess-{s.town.lower()}"
    return (ev(s, f"Mois de l'ESS 2026 – temps fort à {s.town}", "10:00", "18:00", src=2, url=url),
            ev(s, "Village de l'ESS", "10:00", "18:00", src=1, url=url + "/"))


@case("organiser with and without its legal form", True)
def _(s):
    return (ev(s, "Balade à vélo solidaire", "14:00", "17:00", src=4,
               org="Association Roue Libre " + s.town, coords="town"),
            ev(s, "Balade vélo solidaire", "14:00", "17:00", src=3, org="Roue libre",
               coords="town"))


@case("title with a subtitle", True)
def _(s):
    return (ev(s, "Fresque de la mobilité", "09:30", "12:30", src=1, venue=2),
            ev(s, "Fresque de la mobilité – atelier collaboratif pour comprendre les enjeux",
               "09:30", "12:30", src=4, venue=2))


@case("occurrence of a weekly series in two feeds", True)
def _(s):
    return (ev(s, "Permanence de l'épicerie solidaire", "+0 09:00", "+0 12:00", src=4,
               event="series-epicerie-4"),
            ev(s, "Permanence épicerie solidaire", "+0 09:00", "+0 12:00", src=6,
               event="series-epicerie-6"))


@case("date written in the title", True)
def _(s):
    stamp = s.day.strftime("%d/%m")
    return (ev(s, f"{stamp} - Atelier vélo", "14:00", "17:00", src=5, venue=2),
            ev(s, "Atelier réparation de vélos", "14:00", "17:00", src=3, venue=2))


@case("multi-day festival announced twice", True)
def _(s):
    return (ev(s, "Festival Zéro Déchet", "+0", "+1", all_day=True, src=4,
               place_name="Centre-ville", coords="town"),
            ev(s, f"Festival zéro déchet {of(s.town)} 2026", "+0", "+1", all_day=True, src=2,
               coords="town"))


@case("award ceremony, different words", True)
def _(s):
    return (ev(s, "Les Trophées de l'ESS Centre-Val de Loire", "18:00", "21:00", src=1,
               org="CRESS Centre-Val de Loire"),
            ev(s, "Trophées ESS 2026 : la cérémonie", "18:00", "21:00", src=2, org="CRESS"))


@case("AG in capitals vs abbreviation", True)
def _(s):
    return (ev(s, "ASSEMBLEE GENERALE DE L'AMAP DES DEUX RIVES", "19:00", "21:00", src=5),
            ev(s, "AG de l'AMAP des Deux Rives", "19:00", "21:00", src=3))


@case("inauguration, name added", True)
def _(s):
    return (ev(s, "Inauguration de l'épicerie solidaire", "11:00", "13:00", src=6, venue=2),
            ev(s, "Inauguration de l'épicerie solidaire La Courte Échelle", "11:00", None,
               src=4, venue=2))


@case("tiers-lieu open day", True)
def _(s):
    return (ev(s, "Portes ouvertes du tiers-lieu La Fabrique", "14:00", "19:00", src=4),
            ev(s, "Journée portes ouvertes - La Fabrique (tiers lieu)", "14:00", "19:00", src=2))


@case("online event, one hour off", True)
def _(s):
    return (ev(s, "Webinaire : créer une SCOP", "12:30", "13:30", src=1, online=True),
            ev(s, "Créer une SCOP (webinaire)", "12:30", "13:30", src=4, online=True,
               utc_mistake=True))


@case("all-day flea market vs timed without end", True)
def _(s):
    return (ev(s, "Braderie solidaire du Secours populaire", "+0", all_day=True, src=6, venue=2),
            ev(s, "Braderie solidaire", "09:00", None, src=4, venue=2,
               org="Secours populaire"))


@case("town name appended to the title", True)
def _(s):
    return (ev(s, f"Repair café – {s.town}", "14:00", "18:00", src=1, venue=2),
            ev(s, "Repair café", "14:00", "18:00", src=4, venue=2))


@case("film title only vs film debate with director", True)
def _(s):
    return (ev(s, "Projection « Après demain »", "20:30", "23:00", src=6, venue=2),
            ev(s, "Ciné-débat : Après-demain, de Cyril Dion", "20:30", "23:00", src=2, venue=2))


@case("IAE abbreviation", True)
def _(s):
    return (ev(s, "Forum de l'emploi et de l'insertion par l'activité économique", "09:00",
               "13:00", src=6),
            ev(s, "Forum emploi IAE", "09:00", "13:00", src=3))


@case("SCOP abbreviation", True)
def _(s):
    return (ev(s, "Découvrir les SCOP", "18:00", "20:00", src=1, venue=2),
            ev(s, "Découvrir les sociétés coopératives et participatives", "18:00", "20:00",
               src=4, venue=2))


@case("same source published the event twice (different UIDs)", True)
def _(s):
    return (ev(s, "Atelier cuisine anti-gaspi", "10:00", "12:00", src=3, uid="anti-gaspi-1"),
            ev(s, "Atelier cuisine anti-gaspi", "10:00", "12:00", src=3, uid="anti-gaspi-2"))


@case("venue on the border, sources disagree on the commune", True)
def _(s):
    return (ev(s, "Salon des initiatives solidaires", "10:00", "18:00", src=4, venue="near"),
            ev(s, "Salon des initiatives solidaires", "10:00", "18:00", src=1, venue="near",
               town=s.town, coords="town"))


@case("café-débat, organiser and time rounded", True)
def _(s):
    return (ev(s, "Café-débat : habiter autrement", "18:30", "20:30", src=3,
               org="Habitat participatif " + s.town),
            ev(s, "Café débat « Habiter autrement »", "18:30", "20:00", src=5,
               org="Collectif habitat participatif"))


@case("solidarity finance week, long title vs short", True)
def _(s):
    return (ev(s, "Semaine de la finance solidaire : rencontre avec France Active", "17:00",
               "19:00", src=1, org="France Active Centre-Val de Loire"),
            ev(s, "Rencontre France Active", "17:00", "19:00", src=4, org="France Active"))


@case("one source has the organiser, the other the URL", True)
def _(s):
    return (ev(s, "Atelier d'écriture solidaire", "15:00", "17:00", src=6, venue=2,
               org="Bibliothèque de rue"),
            ev(s, "Atelier écriture", "15:00", "17:00", src=5, venue=2,
               url="https://bibliotheque-de-rue.fr/ateliers"))


# ------------------------------------------------------------------------- different events

@case("two events at the same place and time", False)
def _(s):
    return (ev(s, "Atelier compostage", "14:00", "16:00", src=4),
            ev(s, "Cours de yoga du rire", "14:00", "16:00", src=6))


@case("two sessions of one series, morning and afternoon", False)
def _(s):
    return (ev(s, "Visite de la ressourcerie", "10:00", "11:30", src=4, venue=2),
            ev(s, "Visite de la ressourcerie", "14:00", "15:30", src=6, venue=2))


@case("two sessions of one series, one hour apart", False)
def _(s):
    return (ev(s, "Visite guidée du jardin partagé", "14:00", "15:00", src=4),
            ev(s, "Visite guidée du jardin partagé", "15:00", "16:00", src=3))


@case("multi-day festival and its opening day", False)
def _(s):
    return (ev(s, "Festival Alimenterre", "+0", "+2", all_day=True, src=2, coords="town",
               place_name="Centre-ville"),
            ev(s, "Festival Alimenterre – journée d'ouverture", "+0", all_day=True, src=6,
               coords="town", place_name="Centre-ville"))


@case("multi-day festival and its opening evening", False)
def _(s):
    return (ev(s, "Festival des solidarités", "+0 10:00", "+2 18:00", src=1),
            ev(s, "Festival des solidarités : soirée d'ouverture", "+0 19:00", "+0 23:00", src=4))


@case("same title in two towns", False)
def _(s):
    return (ev(s, "Repair café", "14:00", "17:00", src=3),
            ev(s, "Repair café", "14:00", "17:00", src=3, town=s.far, venue=None, coords="town"))


@case("same title in two communes of one department", False)
def _(s):
    return (ev(s, "Repair café", "09:30", "12:00", src=6),
            ev(s, "Repair café", "09:30", "12:00", src=4, venue="near"))


@case("morning and evening market", False)
def _(s):
    return (ev(s, "Marché de producteurs", "08:00", "12:30", src=6, venue=2),
            ev(s, "Marché de producteurs", "17:00", "20:30", src=4, venue=2))


@case("AG of two associations at the same house", False)
def _(s):
    return (ev(s, "AG de l'AMAP des Deux Lions", "18:30", "20:30", src=3),
            ev(s, "Assemblée générale de Vélo en ville", "18:30", "20:30", src=6))


@case("two webinars at the same time", False)
def _(s):
    return (ev(s, "Webinaire : financer son projet ESS", "11:00", "12:00", src=1, online=True),
            ev(s, "Webinaire : recruter un service civique", "11:00", "12:00", src=4,
               online=True))


@case("two Mois de l'ESS events of one day in one town", False)
def _(s):
    return (ev(s, "Mois de l'ESS : visite d'une SCOP", "10:00", "12:00", src=2, venue=2),
            ev(s, "Mois de l'ESS : atelier monnaie locale", "10:00", "12:00", src=2, venue=1))


@case("the forum and one of its workshops", False)
def _(s):
    return (ev(s, f"Forum de l'ESS {of(s.town)}", "09:00", "17:00", src=1),
            ev(s, "Atelier du forum de l'ESS : financer son projet", "14:00", "15:30", src=2))


@case("weekly repair café, two different weeks", False)
def _(s):
    return (ev(s, "Repair café", "+0 14:00", "+0 17:00", src=3),
            ev(s, "Repair café", "+7 14:00", "+7 17:00", src=6))


@case("department-only listing of a repair café elsewhere", False)
def _(s):
    return (ev(s, "Repair café", "14:00", "17:00", src=4),
            ev(s, "Repair café", "14:00", "17:00", src=1, commune=False, coords=None,
               place_name="Salle polyvalente"))


@case("online webinar, two sessions of the day", False)
def _(s):
    return (ev(s, "Webinaire : découvrir le mécénat de compétences", "10:00", "11:00", src=1,
               online=True),
            ev(s, "Webinaire : découvrir le mécénat de compétences", "18:00", "19:00", src=4,
               online=True))


@case("two markets of one town at the same hour", False)
def _(s):
    return (ev(s, "Marché bio", "08:00", "12:30", src=6, venue=1),
            ev(s, "Marché bio", "08:00", "12:30", src=4, venue=2))


@case("two climate frescoes in one town the same evening", False)
def _(s):
    return (ev(s, "Fresque du climat", "18:30", "21:30", src=4, venue=1,
               org="La Fresque du Climat"),
            ev(s, "Fresque du climat", "18:30", "21:30", src=5, venue=2,
               org="Les Petits Débrouillards"))


@case("parallel round tables of a forum", False)
def _(s):
    return (ev(s, "Table ronde : ESS et emploi des jeunes", "14:00", "15:30", src=1),
            ev(s, "Table ronde : ESS et transition écologique", "14:00", "15:30", src=1))


@case("two workshops of one tiers-lieu", False)
def _(s):
    return (ev(s, "Atelier vélo", "14:00", "17:00", src=4, venue=2),
            ev(s, "Atelier couture", "14:00", "17:00", src=4, venue=2))


@case("repair café and repair café for children", False)
def _(s):
    return (ev(s, "Repair café", "09:30", "12:00", src=3),
            ev(s, "Repair café des enfants", "14:00", "16:30", src=6))


@case("same source, two UIDs, two rooms", False)
def _(s):
    return (ev(s, "Atelier numérique : débuter avec un smartphone", "10:00", "12:00", src=6,
               uid="num-salle-a"),
            ev(s, "Atelier numérique : débuter avec une tablette", "10:00", "12:00", src=6,
               uid="num-salle-b"))


@case("conference and the dinner after it", False)
def _(s):
    return (ev(s, "Conférence : l'habitat participatif", "18:00", "20:00", src=3, venue=2),
            ev(s, "Repas partagé après la conférence", "20:00", "22:30", src=3, venue=2))


@case("two festivals at one venue, different weekends", False)
def _(s):
    return (ev(s, "Festival du film solidaire", "+0", "+1", all_day=True, src=6, venue=2),
            ev(s, "Festival du film solidaire", "+7", "+8", all_day=True, src=2, venue=2))


@case("opening of two solidarity groceries in one town", False)
def _(s):
    return (ev(s, "Inauguration de l'épicerie solidaire La Courte Échelle", "11:00", "13:00",
               src=6, venue=1),
            ev(s, "Inauguration de l'épicerie solidaire du Sanitas", "11:00", "13:00", src=4,
               venue=2))


@case("AG and the board meeting after it", False)
def _(s):
    return (ev(s, "Assemblée générale de la Ressourcerie", "17:00", "19:00", src=4),
            ev(s, "Conseil d'administration de la Ressourcerie", "19:30", "21:00", src=4,
               uid="ca-ressourcerie"))


@case("ESS forum and ESS breakfast, same place same day", False)
def _(s):
    return (ev(s, "Petit-déjeuner de l'ESS", "08:30", "10:00", src=1),
            ev(s, "Forum de l'ESS", "10:00", "17:00", src=2))


@case("Mois de l'ESS opening in two towns", False)
def _(s):
    return (ev(s, "Lancement du Mois de l'ESS", "18:00", "20:00", src=2),
            ev(s, "Lancement du Mois de l'ESS", "18:00", "20:00", src=2, town=s.far,
               venue=None, coords="town"))


@case("online and physical events with one title", False)
def _(s):
    return (ev(s, "Découvrir les SCIC", "18:00", "20:00", src=1, online=True),
            ev(s, "Découvrir les SCIC", "10:00", "12:00", src=4))


@case("bike workshop, two different associations", False)
def _(s):
    return (ev(s, "Atelier réparation de vélos", "14:00", "17:00", src=4, venue=1,
               org="Roue Libre"),
            ev(s, "Atelier d'autoréparation vélo", "14:00", "17:00", src=3, venue="near",
               org="Vélo Solidaire"))


@case("market day and the market's evening concert", False)
def _(s):
    return (ev(s, "Marché de producteurs locaux", "16:00", "19:30", src=6, venue=2),
            ev(s, "Concert au marché de producteurs", "19:30", "21:30", src=4, venue=2))


@case("two repair cafés of one town at the same hour", False)
def _(s):
    return (ev(s, "Repair café", "14:00", "17:00", src=3, venue=1, org="Repair café centre"),
            ev(s, "Repair café", "14:00", "17:00", src=3, venue=2, org="Repair café quartier nord",
               uid="rc-nord"))


@case("conference in the department, place unknown, different title", False)
def _(s):
    return (ev(s, "Conférence sur la sobriété énergétique", "20:00", "22:00", src=4),
            ev(s, "Soirée contes et musique", "20:00", "22:00", src=5, venue=None,
               commune=False, dept=False, coords=None))


def build_pairs():
    """Every case played in every setting, as JSON-ready dicts, in a stable order."""
    rows = []
    for number, (name, same, template) in enumerate(CASES):
        for index, setting in enumerate(SETTINGS):
            first, second = template(setting)
            tag = f"{number:02d}{index}"
            for side, row in (("a", first), ("b", second)):
                row["key"] = f"{tag}{side}"
                row["event_id"] = row["event_id"] or f"ev-{tag}{side}"
                row["source_uid"] = row["source_uid"] or f"uid-{tag}{side}"
            rows.append({"case": name, "same": same, "setting": setting.town,
                         "a": _ordered(first), "b": _ordered(second)})
    return rows


FIELDS = ["key", "event_id", "source_id", "source_uid", "title", "start", "end", "all_day",
          "commune_code", "department", "online", "place_name", "address", "city", "lat",
          "lon", "organizer", "url"]


def _ordered(row):
    return {field: row[field] for field in FIELDS}


def main():
    rows = build_pairs()
    with open(HERE / "pairs.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    same = sum(row["same"] for row in rows)
    print(f"{len(rows)} pairs ({same} same, {len(rows) - same} different) -> pairs.jsonl")


if __name__ == "__main__":
    main()
