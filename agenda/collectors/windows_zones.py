"""Windows time-zone names as Outlook and Exchange write them in TZID, mapped to IANA zones (pure).

Two forms are met in the wild: the Windows zone id (``W. Europe Standard Time``), mapped by
CLDR's windowsZones table that icalendar ships, and the display name Windows shows, with its
"(UTC±hh:mm)" prefix (``"(UTC-05:00) Eastern Time (US & Canada)"``, sometimes "and" for "&",
"GMT" for "UTC", or with quotes left in).  Display names are mapped through the small table below
(the zones of the region, of the overseas departments and of the usual correspondents) to their
Windows id, then by CLDR.  A name that is none of these gives None: the caller keeps its reading.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

_PREFIX = re.compile(r"^\((?:UTC|GMT)(?:\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?\)\s*", re.IGNORECASE)

DISPLAY_NAMES = {  # Windows display name (without its "(UTC±hh:mm)" prefix) -> Windows zone id
    "Brussels, Copenhagen, Madrid, Paris": "Romance Standard Time",
    "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna": "W. Europe Standard Time",
    "Belgrade, Bratislava, Budapest, Ljubljana, Prague": "Central Europe Standard Time",
    "Sarajevo, Skopje, Warsaw, Zagreb": "Central European Standard Time",
    "West Central Africa": "W. Central Africa Standard Time",
    "Casablanca": "Morocco Standard Time",
    "Dublin, Edinburgh, Lisbon, London": "GMT Standard Time",
    "Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London": "GMT Standard Time",
    "Monrovia, Reykjavik": "Greenwich Standard Time",
    "Coordinated Universal Time": "UTC",
    "Athens, Bucharest": "GTB Standard Time",
    "Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius": "FLE Standard Time",
    "Nairobi": "E. Africa Standard Time",
    "Port Louis": "Mauritius Standard Time",
    "Cayenne, Fortaleza": "SA Eastern Standard Time",
    "Georgetown, La Paz, Manaus, San Juan": "SA Western Standard Time",
    "Saint Pierre and Miquelon": "Saint Pierre Standard Time",
    "Solomon Is., New Caledonia": "Central Pacific Standard Time",
    "Hawaii": "Hawaiian Standard Time",
    "Atlantic Time (Canada)": "Atlantic Standard Time",
    "Eastern Time (US & Canada)": "Eastern Standard Time",
    "Central Time (US & Canada)": "Central Standard Time",
    "Mountain Time (US & Canada)": "Mountain Standard Time",
    "Pacific Time (US & Canada)": "Pacific Standard Time",
    "Chennai, Kolkata, Mumbai, New Delhi": "India Standard Time",
    "Beijing, Chongqing, Hong Kong, Urumqi": "China Standard Time",
    "Osaka, Sapporo, Tokyo": "Tokyo Standard Time",
    "Canberra, Melbourne, Sydney": "AUS Eastern Standard Time",
    "Auckland, Wellington": "New Zealand Standard Time",
}


def _key(name: str) -> str:
    return " ".join(name.replace("&", " and ").casefold().split())


_BY_KEY = {_key(display): windows_id for display, windows_id in DISPLAY_NAMES.items()}


@cache
def iana_name(tzid: str | None) -> str | None:
    """The IANA name a TZID stands for: itself when it is one, else its Windows mapping."""
    name = (tzid or "").strip().strip('"').strip()
    if not name or len(name) > 200:
        return None
    if _is_iana(name):
        return name
    bare = _PREFIX.sub("", name)
    for windows_id in (name, bare, _BY_KEY.get(_key(bare))):
        if windows_id in WINDOWS_TO_OLSON:
            return WINDOWS_TO_OLSON[windows_id]
    return None


def iana_zone(tzid: str | None) -> ZoneInfo | None:
    """The zone of ``iana_name``, or None."""
    name = iana_name(tzid)
    return ZoneInfo(name) if name else None


def _is_iana(name: str) -> bool:
    if "/" not in name and name.upper() != "UTC":
        return False  # "EST", "CET" and the like are left to icalendar's reading
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
