"""The bundled offline demo: template calendars and feeds served on loopback by a tiny server.

``config/demo/`` holds ``sources.toml`` (the demo sources, one ``[[sources]]`` entry each) and the
files they point to. The files are templates whose dates are relative to the day they are served,
so the demo always shows current events. Every placeholder has this form::

    {{ANCHOR[+N|-N][@HH:MM][|FORMAT]}}

    ANCHOR   day     the day the file is rendered ("today")
             month   the first day of today's month (a monthly series keeps its day of month)
             nov     1 November of the current Mois de l'ESS (this year's; next year's in December)
    +N / -N  a number of days added to the anchor
    @HH:MM   a wall-clock time in the demo's zone (Europe/Paris); without it the value is a date
    FORMAT   ical    (default) 20261124, or 20261124T140000: a DATE, or a local time whose zone
                     is given by the line (TZID=...) or floating
             utc     20261124T130000Z: the instant in UTC, as Google Calendar writes it
                     (without @HH:MM, ical and utc both give a DATE)
             iso     2026-11-24, or 2026-11-24T14:00:00+01:00 (W3C-DTF / RFC 3339: RSS 1.0, Atom)
             rfc822  Tue, 24 Nov 2026 14:00:00 +0100 (RSS 2.0 pubDate)

With today = 2026-11-21: ``{{day+3}}`` -> 20261124, ``{{day+3|iso}}`` -> 2026-11-24,
``{{day+3@14:00|utc}}`` -> 20261124T130000Z, ``{{nov+17@18:30}}`` -> 20261118T183000.

An API template (``*.json``, served only at its path in ``DEMO_API_ROUTES``) may also hold
``{{base_url}}``: the demo server's own address (for the links to its next page).

``agenda.demo_server.DemoFeedServer`` serves the rendered files over HTTP.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agenda.errors import ConfigError
from agenda.models import Campaign
from agenda.store.campaigns import create_campaign, get_campaign_by_slug, slug_taken

log = logging.getLogger(__name__)

DEMO_TIMEZONE = "Europe/Paris"
DEMO_CAMPAIGN_SLUG = "mois-ess"
SOURCE_KINDS = ("ics", "feed", "auto", "initiatives")
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# The demo's APIs: a path that answers like an API, not like a file (its JSON templates are
# served only there) -> (template of its first page, of its second, the query parameter that
# asks for the second: OpenAgenda's cursor, The Events Calendar's page number).
DEMO_API_ROUTES = {
    "openagenda/v2/agendas/8803/events": ("openagenda-events.json", "openagenda-events-2.json",
                                          "after[]"),
    "wp-json/tribe/events/v1/events": ("tribe-events.json", "tribe-events-2.json", "page"),
}
BASE_URL_MARK = "{{base_url}}"  # in an API template: the demo server's own address

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_PLACEHOLDER_PARTS = re.compile(
    r"\s*(?P<anchor>day|month|nov)\s*(?:(?P<sign>[+-])\s*(?P<days>\d+))?"
    r"\s*(?:@\s*(?P<hour>\d{1,2}):(?P<minute>\d{2}))?\s*(?:\|\s*(?P<format>\w+))?\s*"
)


def demo_dir(config_dir: Path | str) -> Path:
    """Where the demo files live: ``<config_dir>/demo``."""
    return Path(config_dir) / "demo"


# --- Templates -------------------------------------------------------------------------------

def render_demo_file(text: str, *, today: date, timezone_name: str = DEMO_TIMEZONE) -> str:
    """The template with every placeholder replaced by a date relative to ``today``."""
    zone = ZoneInfo(timezone_name)
    return _PLACEHOLDER.sub(lambda m: _render_placeholder(m.group(1), today, zone), text)


def _render_placeholder(inner: str, today: date, zone: ZoneInfo) -> str:
    parts = _PLACEHOLDER_PARTS.fullmatch(inner)
    if parts is None or (parts["format"] or "ical") not in _FORMATS:
        raise ConfigError(f"Unknown demo placeholder {{{{{inner}}}}}", placeholder=inner)
    write_date, write_datetime = _FORMATS[parts["format"] or "ical"]
    days = int(parts["days"] or 0) * (-1 if parts["sign"] == "-" else 1)
    day = anchor_date(parts["anchor"], today) + timedelta(days=days)
    if parts["hour"] is None:
        return write_date(day)
    try:
        wall_time = time(int(parts["hour"]), int(parts["minute"]))
    except ValueError as e:
        raise ConfigError(f"Invalid time in demo placeholder {{{{{inner}}}}}") from e
    return write_datetime(datetime.combine(day, wall_time, zone))


def anchor_date(anchor: str, today: date) -> date:
    """The day an anchor names: 'day' (today), 'month' (its first day) or 'nov' (1 November)."""
    if anchor == "day":
        return today
    if anchor == "month":
        return today.replace(day=1)
    return date(today.year + (1 if today.month == 12 else 0), 11, 1)


def _rfc822_date(day: date) -> str:
    return format_datetime(datetime.combine(day, time.min, timezone.utc))


def _utc_datetime(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# format -> (how it writes a date, how it writes an aware datetime in the demo's zone)
_FORMATS: dict[str, tuple[Callable[[date], str], Callable[[datetime], str]]] = {
    "ical": (lambda d: d.strftime("%Y%m%d"), lambda m: m.strftime("%Y%m%dT%H%M%S")),
    "utc": (lambda d: d.strftime("%Y%m%d"), _utc_datetime),
    "iso": (date.isoformat, lambda m: m.isoformat(timespec="seconds")),
    "rfc822": (_rfc822_date, format_datetime),
}


# --- Sources ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoSource:
    name: str
    actor_name: str
    actor_kind: str
    path: str
    kind: str
    interval_minutes: int

    def url(self, base_url: str) -> str:
        """The source's URL on a running demo server ('http://127.0.0.1:5001/')."""
        return urljoin(base_url, self.path)


def load_demo_sources(config_dir: Path | str) -> list[DemoSource]:
    """The demo sources listed in ``<config_dir>/demo/sources.toml``, validated."""
    path = demo_dir(config_dir) / "sources.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"Demo sources file not found: {path}", code="config.missing") from e
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"Demo sources file {path} cannot be read: {e}") from e
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"Demo sources file {path} lists no [[sources]]")
    sources = [_build_demo_source(entry, f"{path}: sources[{i}]") for i, entry in enumerate(entries)]
    _check_unique_names(sources, path)
    return sources


def _build_demo_source(entry: dict, where: str) -> DemoSource:
    actor = entry.get("actor") if isinstance(entry, dict) else None
    if not isinstance(actor, dict):
        raise ConfigError(f"{where}: an actor = {{ name = ..., kind = ... }} table is required")
    source = DemoSource(
        name=_required_text(entry, "name", where),
        actor_name=_required_text(actor, "name", f"{where}.actor"),
        actor_kind=_required_text(actor, "kind", f"{where}.actor"),
        path=_required_text(entry, "path", where),
        kind=entry.get("kind", "auto"),
        interval_minutes=entry.get("interval_minutes", 60),
    )
    if source.kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(SOURCE_KINDS)}")
    if type(source.interval_minutes) is not int or source.interval_minutes < 1:
        raise ConfigError(f"{where}: interval_minutes must be a positive whole number")
    if not is_plain_file_name(source.path) and source.path not in DEMO_API_ROUTES:
        raise ConfigError(f"{where}: path must be a file name inside config/demo/ or one of "
                          f"the demo's API paths ({', '.join(DEMO_API_ROUTES)})")
    return source


def _required_text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _check_unique_names(sources: list[DemoSource], path: Path) -> None:
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"Demo sources file {path}: duplicate name {duplicates[0]!r}")


def is_plain_file_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name)) and ".." not in name


# --- Server ----------------------------------------------------------------------------------


def demo_campaign(today: date) -> dict:
    """The Mois de l'ESS of this year (of next year once November is over), for the demo: its
    address has no year (``/campagnes/mois-ess``, so that a link to it never dies), and its
    rule gathers the events of the "Mois de l'ESS" theme collected from the demo sources."""
    year = today.year if today.month <= 11 else today.year + 1
    return {"slug": DEMO_CAMPAIGN_SLUG, "name": f"Mois de l'ESS {year}",
            "starts_on": date(year, 11, 1), "ends_on": date(year, 11, 30),
            "description": "Chaque mois de novembre, les actrices et acteurs de l'économie "
                           "sociale et solidaire ouvrent leurs portes (démo).",
            "banner_text": "Un mois pour découvrir l'économie sociale et solidaire près de "
                           "chez vous : portes ouvertes, ateliers, forums.",
            "rule_themes": ["mois-ess"]}


def ensure_demo_campaign(session: Session, today: date, *, now: datetime) -> Campaign:
    """Create the demo's Mois de l'ESS, or move it to this year's November (and give it its
    rule) when it was created in an earlier year."""
    values = demo_campaign(today)
    if not slug_taken(session, values["slug"]):
        return create_campaign(session, **values, now=now)
    campaign = get_campaign_by_slug(session, values["slug"])
    if campaign.starts_on != values["starts_on"]:
        for name in ("name", "starts_on", "ends_on", "rule_themes"):
            setattr(campaign, name, values[name])
        session.flush()
    return campaign
