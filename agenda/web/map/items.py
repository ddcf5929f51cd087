"""One record of the map (an event's next date, an actor, an initiative) as the map and its list
show it: kind, title, link, a short line, and where it stands.

Where: the record's own coordinates, else the centre of its commune (``agenda.geography``);
a record with neither is "not placed" (listed, not on the map).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import g, url_for
from flask_babel import gettext
from werkzeug.routing import BuildError

from agenda import geography
from agenda.models import Actor, Initiative
from agenda.store.map_records import FirstDate
from agenda.web import state
from agenda.web.shared.dates import day_label, hours_text, local_days
from agenda.web.shared.i18n import N_, current_language

STRUCTURE_LABELS = {
    "association": N_("Association"), "cooperative": N_("Cooperative"),
    "mutual": N_("Mutual society"), "foundation": N_("Foundation"),
    "company": N_("ESS company"), "public": N_("Public body"), "other": N_("Other structure"),
}
# The pages of an actor, by the name the actors' blueprint may give them (written in parallel:
# the first that exists is used; none, and the actor is listed without a link).
ACTOR_ENDPOINTS = ("actors.actor", "actors.actor_page", "actors.show")


@dataclass(frozen=True)
class MapItem:
    kind: str  # event | actor | initiative
    id: str
    title: str
    url: str | None
    line: str
    lat: float | None
    lon: float | None
    placed: str | None  # "exact": its own coordinates; "commune": its commune's centre
    commune_code: str | None
    place_name: str | None  # the commune (or the town as written) it is listed under
    sort_key: tuple = ()


def event_item(occurrence: FirstDate) -> MapItem:
    event = occurrence.event
    tz = state().settings.tz
    day = local_days(occurrence, tz)[0]
    town = event.commune_name or event.city
    place = town or event.location_name or (gettext("Online") if event.online_url else None)
    line = " · ".join(filter(None, [day_words(day), hours_text(occurrence, tz), place]))
    url = occurrence_url(event.id, day)
    return _placed("event", event.id, event.title, url, line, event, town,
                   (occurrence.start_at, event.id))


def actor_item(actor: Actor) -> MapItem:
    label = STRUCTURE_LABELS.get(actor.structure or "")
    what = actor.kind or (gettext(label) if label else None)
    line = " · ".join(filter(None, [what, actor.commune_name]))
    return _placed("actor", str(actor.id), actor.name, actor_url(actor.id), line, actor,
                   actor.commune_name, (actor.name.casefold(), actor.id))


def initiative_item(initiative: Initiative) -> MapItem:
    town = initiative.commune_name or initiative.territory
    by = initiative.actor.name if initiative.actor is not None else None
    line = " · ".join(filter(None, [by, town]))
    url = url_for("initiatives.initiative", initiative_id=initiative.id, _external=True)
    return _placed("initiative", initiative.id, initiative.title, url, line, initiative,
                   initiative.commune_name, (initiative.title.casefold(), initiative.id))


def occurrence_url(event_id: str, day: date) -> str:
    """The page of the event's date: ``url_for`` once a request, then filled (event ids are
    hexadecimal, days ISO: nothing to quote)."""
    template = g.get("map_occurrence_url")
    if template is None:
        template = g.map_occurrence_url = url_for(
            "public.occurrence", event_id="EVENTID", day="0001-01-01", _external=True)
    return template.replace("EVENTID", event_id, 1).replace("0001-01-01", day.isoformat(), 1)


def day_words(day: date) -> str:
    """``day_label``, said once per day and language (5,000 events share a few hundred)."""
    return _day_words(day, current_language())


@lru_cache(maxsize=2048)
def _day_words(day: date, _language: str) -> str:
    return day_label(day)


def actor_url(actor_id: int) -> str | None:
    for endpoint in ACTOR_ENDPOINTS:
        try:
            return url_for(endpoint, actor_id=actor_id, _external=True)
        except BuildError:
            continue
    return None


def _placed(kind: str, record_id: str, title: str, url: str | None, line: str, record,
            town: str | None, sort_key: tuple) -> MapItem:
    lat, lon, placed = place_of(record.lat, record.lon, record.commune_code)
    commune = geography.commune(record.commune_code)
    return MapItem(kind, record_id, title, url, line, lat, lon, placed,
                   commune.code if commune else None, commune.name if commune else town,
                   sort_key)


def place_of(lat: float | None, lon: float | None,
             commune_code: str | None) -> tuple[float | None, float | None, str | None]:
    """(lat, lon, how): the record's own point when it is a real one, else its commune's
    centre, else (None, None, None)."""
    if _real_point(lat, lon):
        return lat, lon, "exact"
    commune = geography.commune(commune_code)
    if commune is not None and _real_point(commune.lat, commune.lon):
        return commune.lat, commune.lon, "commune"
    return None, None, None


def _real_point(lat: float | None, lon: float | None) -> bool:
    return (lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0))
