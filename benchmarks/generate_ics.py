"""Generate a realistic iCalendar file of N French ESS events across the region's departments."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

CITIES = [("Orléans", "45000"), ("Tours", "37000"), ("Bourges", "18000"), ("Chartres", "28000"),
          ("Blois", "41000"), ("Châteauroux", "36000"), ("Vierzon", "18100"),
          ("Montargis", "45200"), ("Dreux", "28100"), ("Amboise", "37400"),
          ("Vendôme", "41100"), ("Issoudun", "36100")]
KINDS = ["Repair café", "Forum de l'ESS", "Atelier réemploi", "Conférence finance solidaire",
         "Marché de producteurs", "Café associatif", "Formation bénévoles",
         "Permanence coopérative", "Visite de tiers-lieu", "Soirée jeux coopératifs"]
THEMES = ["Réemploi", "Alimentation durable", "Emploi et insertion", "Finance solidaire",
          "Tiers-lieux", "Vie associative", "Mois de l'ESS"]

VTIMEZONE = """BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
"""


def generate_ics(count: int, *, start: datetime, seed: int = 42, recurring_every: int = 50) -> bytes:
    """``count`` VEVENTs; one in ``recurring_every`` is a weekly series of 10."""
    rng = random.Random(seed)
    parts = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agenda commun//bench//FR\r\n", VTIMEZONE]
    for i in range(count):
        city, postcode = rng.choice(CITIES)
        begin = start + timedelta(days=rng.randrange(0, 365), hours=rng.randrange(8, 20))
        kind = rng.choice(KINDS)
        rrule = "RRULE:FREQ=WEEKLY;COUNT=10\r\n" if recurring_every and i % recurring_every == 0 else ""
        parts.append(
            f"BEGIN:VEVENT\r\nUID:bench-{i}@agenda-commun\r\nDTSTAMP:20261121T090000Z\r\n"
            f"DTSTART;TZID=Europe/Paris:{begin:%Y%m%dT%H%M%S}\r\n"
            f"DTEND;TZID=Europe/Paris:{begin + timedelta(hours=2):%Y%m%dT%H%M%S}\r\n{rrule}"
            f"SUMMARY:{kind} à {city} n°{i}\r\n"
            f"DESCRIPTION:{kind} organisé par une association du réseau\\, ouvert à toutes et "
            f"à tous. Entrée libre.\r\n"
            f"LOCATION:Salle des associations\\, {rng.randrange(1, 90)} rue de la République\\, "
            f"{postcode} {city}\r\n"
            f"CATEGORIES:{rng.choice(THEMES)},{rng.choice(THEMES)}\r\n"
            f"URL:https://exemple.org/evenements/{i}\r\nEND:VEVENT\r\n"
        )
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts).encode("utf-8")
