"""A campaign's events as CSV, for the national organisers' spreadsheets (pure).

One row per event (a repeated event once, at its first date; a cancelled one with its status),
in French like the feeds.

* UTF-8 with a byte order mark: Excel reads the accents right only with it (LibreOffice and
  Google Sheets ignore it).
* Comma-separated (RFC 4180), not semicolons: it is what LibreOffice, Google Sheets, Numbers,
  every CSV library and the organisers' own import scripts read without being told, and since
  no cell holds a decimal number the French Excel's comma-as-decimal habit has nothing to
  clash with (Excel's Data > From Text/CSV import detects it).  A ``sep=,`` first line would
  help Excel alone but makes it ignore the BOM, and is a stray row for everything else.
* CSV injection: a cell beginning with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
  would run as a formula in a spreadsheet; such cells are prefixed with a quote ``'``, which
  shows the text as typed (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from agenda.models import Event
from agenda.region import Region
from agenda.serialize import display_zone

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUSES = {"confirmed": "confirmé", "tentative": "à confirmer", "cancelled": "annulé"}
HEADER = ("Titre", "Début", "Fin", "Toute la journée", "Statut", "Lieu", "Adresse",
          "Code postal", "Ville", "Code du département", "Département", "Lien en ligne",
          "Organisateur", "Thèmes", "Contact public", "Page sur l'Agenda commun", "Lien de l'évènement")


def campaign_csv(rows: Iterable[tuple[Event, str]], *, region: Region, tz: ZoneInfo,
                 page_url: Callable[[str], str]) -> bytes:
    """The CSV file of ``rows`` (event, public contact): UTF-8 with BOM, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for event, contact in rows:
        writer.writerow([defuse(cell) for cell in event_cells(event, contact, region=region,
                                                               tz=tz, page_url=page_url)])
    return (BOM + out.getvalue()).encode("utf-8")


def event_cells(event: Event, contact: str, *, region: Region, tz: ZoneInfo,
                page_url: Callable[[str], str]) -> list[str]:
    """The cells of one event, in HEADER order (not yet defused)."""
    start, end = _bounds(event, tz)
    department = region.department(event.department) if event.department else None
    themes = [region.theme(slug) for slug in event.themes or []]
    return [event.title, start, end, "oui" if event.all_day else "non",
            STATUSES.get(event.status, event.status),
            event.location_name or "", event.address or "", event.postcode or "",
            event.city or "", event.department or "", department.name if department else "",
            event.online_url or "", event.organizer or "",
            ", ".join(theme.label_fr for theme in themes if theme), contact or "",
            page_url(event.id), event.url or ""]


def _bounds(event: Event, tz: ZoneInfo) -> tuple[str, str]:
    """Local start and end: 'YYYY-MM-DD HH:MM', or the first and last days of an all-day
    event (its stored end is the next midnight)."""
    if event.all_day:
        first = event.start_at.astimezone(tz).date()
        last = max((event.end_at.astimezone(tz) - timedelta(days=1)).date(), first)
        return first.isoformat(), last.isoformat()
    zone = display_zone(event, tz)
    return (event.start_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            event.end_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"))


def defuse(cell: str) -> str:
    """``cell`` made inert for spreadsheets: a leading formula character (after any spaces,
    which some spreadsheets skip) gets a quote."""
    text = str(cell)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text
