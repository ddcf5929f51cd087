"""Pure helpers that bring source values to our model: times, places, departments, text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from agenda.records import EventRecord, Location
from agenda.region import Region
from agenda.text_clean import clean_line

_POSTCODE_CITY = re.compile(r"\b(\d{5})\b[\s,-]*([^\d,;\n]*)")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def department_from_postcode(postcode: str | None) -> str | None:
    """French department code of a postcode: '45000' -> '45', '20200' -> '2B', '97400' -> '974'."""
    if not postcode or not re.fullmatch(r"\d{5}", postcode.strip()):
        return None
    code = postcode.strip()
    if code.startswith("00"):
        return None
    if code.startswith("20"):
        return "2A" if code < "20200" else "2B"
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


def parse_location(text: str | None, *, name: str | None = None) -> Location:
    """Split a free-text LOCATION ('Salle X, 3 rue Y, 45000 Orléans') into our fields."""
    if not text or not text.strip():
        return Location(name=name)
    text = " ".join(text.split())
    match = _POSTCODE_CITY.search(text)
    if not match:
        return Location(name=name or text)
    postcode = match.group(1)
    city = match.group(2).strip(" -,") or None
    before = text[: match.start()].strip(" ,")
    parts = [p.strip() for p in before.split(",") if p.strip()]
    if not name and parts and (len(parts) > 1 or not parts[0][0].isdigit()):
        name, parts = parts[0], parts[1:]
    address = ", ".join(parts) or None
    return Location(
        name=name,
        address=address,
        postcode=postcode,
        city=city,
        department=department_from_postcode(postcode),
    )


def with_department(location: Location) -> Location:
    """The same location with its department filled from its postcode when missing."""
    if location.department or not location.postcode:
        return location
    return Location(**{**location.__dict__, "department": department_from_postcode(location.postcode)})


def valid_point(lat, lon) -> tuple[float | None, float | None]:
    """Coordinates as numbers when they are a point on Earth, else (None, None); (0, 0), the
    value of an unset field in many CMS, counts as no point."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None, None
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        return lat, lon
    return None, None


def find_online_url(*texts: str | None) -> str | None:
    """The first video-conference style link in the given texts, if any."""
    for text in texts:
        for url in _URL.findall(text or ""):
            if any(host in url for host in ONLINE_HOSTS):
                return url.rstrip(".,;)")
    return None


ONLINE_HOSTS = (
    "zoom.us", "meet.google.com", "teams.microsoft.com", "meet.jit.si", "bbb.", "webex.com",
    "whereby.com", "visio.", "framatalk", "big-blue-button", "bigbluebutton",
)


def as_aware(value: datetime, default_tz: ZoneInfo) -> datetime:
    """A floating datetime is read in the region's zone; an aware one is kept."""
    if value.tzinfo is None:
        return value.replace(tzinfo=default_tz)
    return value


def to_utc(value: datetime | date, default_tz: ZoneInfo) -> datetime:
    """The UTC instant of a datetime, or of midnight in the region's zone for a date."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return as_aware(value, default_tz).astimezone(timezone.utc)


def tz_name(value: datetime | date) -> str | None:
    """The IANA/TZID name of an aware datetime's zone, when it has one."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return None
    key = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None)
    return key or value.tzname()


def clean_text(value: str | None, limit: int = 500) -> str:
    """One line of text, without control or invisible characters (see ``agenda.text_clean``),
    whitespace squeezed, cut to ``limit`` characters."""
    if not value:
        return ""
    return clean_line(str(value))[:limit]


def with_themes(record: EventRecord, region: Region) -> EventRecord:
    """The record with the region's themes that its categories or its title speak of."""
    themes = tuple(region.themes_for([*record.categories, record.title]))
    return replace(record, themes=themes) if themes != record.themes else record
