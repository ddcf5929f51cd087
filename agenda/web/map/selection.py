"""The records of the map: the listing's upcoming events, shown actors and published
initiatives matching the same filters, bounded, as GeoJSON and as a list by commune.

Events are chosen by the listing's own entry point (``find_event_ids``, the window of the home
page: from now, a year ahead unless dates are given), so that a filter narrows the map exactly
as it narrows the listing.  At most ``limit`` records are kept; when there are more, each kind
gets a fair share (the soonest events, actors and initiatives by name) and the answer says it
was cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext

from agenda import geography
from agenda.geography.names import fold
from agenda.listing.filters import BadFilter, Filters, default_window
from agenda.listing.query import find_event_ids
from agenda.store.map_records import (
    KINDS,
    first_occurrences,
    kinds_answering,
    matching_actors,
    matching_initiatives,
)
from agenda.web import db_session, state
from agenda.web.map.items import MapItem, actor_item, event_item, initiative_item
from agenda.web.shared.dates import midnight, now_utc, today_in

MAX_FEATURES = 5000  # /map.json
MAX_LISTED = 1000  # the list of the page (the map's accessible alternative)
WINDOW_DAYS = 365  # as the home page


@dataclass
class MapSelection:
    items: list[MapItem]
    kinds: tuple[str, ...]  # the kinds shown
    left_out: tuple[str, ...]  # asked for, but the filters do not describe them
    cut: bool  # more records matched than were kept
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def placed(self) -> list[MapItem]:
        return [item for item in self.items if item.placed]

    @property
    def not_placed(self) -> int:
        return sum(1 for item in self.items if not item.placed)


@dataclass(frozen=True)
class CommuneGroup:
    label: str
    code: str | None  # None: the town as written, or no place at all
    items: list[MapItem]


def parse_kinds(values: list[str]) -> tuple[str, ...]:
    """The ``kind`` parameters (repeatable), all three by default; BadFilter when unknown."""
    wanted = [value.strip().lower() for value in values if value.strip()]
    if any(value not in KINDS for value in wanted):
        raise BadFilter("The kind must be event, actor or initiative.")
    return tuple(kind for kind in KINDS if kind in wanted) or KINDS


def select_items(filters: Filters, kinds: tuple[str, ...], *, limit: int) -> MapSelection:
    """The records of ``kinds`` matching ``filters``, at most ``limit``."""
    session = db_session()
    shown = tuple(kind for kind in kinds if kind in kinds_answering(filters))
    window = event_window(filters)
    found = {
        "event": (lambda n: find_event_ids(session, filters, window=window, limit=n,
                                           search=state().search)),
        "actor": (lambda n: matching_actors(session, filters, limit=n)),
        "initiative": (lambda n: matching_initiatives(session, filters, limit=n)),
    }
    candidates = {kind: found[kind](limit + 1) for kind in shown}
    shares = allot({kind: len(rows) for kind, rows in candidates.items()}, limit)
    items: list[MapItem] = []
    if "event" in shown:
        kept = candidates["event"][:shares["event"]]
        items += [event_item(o) for o in first_occurrences(session, kept, window)]
    if "initiative" in shown:
        items += [initiative_item(i) for i in candidates["initiative"][:shares["initiative"]]]
    if "actor" in shown:
        items += [actor_item(a) for a in candidates["actor"][:shares["actor"]]]
    counts = {kind: sum(1 for item in items if item.kind == kind) for kind in shown}
    cut = any(len(rows) > shares[kind] for kind, rows in candidates.items())
    return MapSelection(items, shown, tuple(k for k in kinds if k not in shown), cut, counts)


def event_window(filters: Filters) -> tuple[datetime, datetime]:
    """The home page's window: the filters' dates, else from now to a year ahead."""
    tz = state().settings.tz
    first, last = default_window(filters, today_in(tz), WINDOW_DAYS)
    start = midnight(first, tz) if filters.start else max(midnight(first, tz), now_utc())
    return start, midnight(last + timedelta(days=1), tz)


def window_days(filters: Filters) -> tuple[date, date]:
    return default_window(filters, today_in(state().settings.tz), WINDOW_DAYS)


def allot(counts: dict[str, int], limit: int) -> dict[str, int]:
    """How many of each kind to keep: all when they fit in ``limit``; else the smaller kinds
    whole and the rest shared evenly among the larger ones (pure)."""
    shares, left = {}, max(limit, 0)
    ordered = sorted(counts.items(), key=lambda item: item[1])
    for index, (kind, count) in enumerate(ordered):
        share = min(count, left // (len(ordered) - index))
        shares[kind] = share
        left -= share
    return shares


def feature_collection(selection: MapSelection, *, limit: int) -> dict:
    """GeoJSON (RFC 7946): one Point feature per placed record; the counts beside it."""
    features = [{
        "type": "Feature",
        "id": f"{item.kind}:{item.id}",
        "geometry": {"type": "Point", "coordinates": [round(item.lon, 6), round(item.lat, 6)]},
        "properties": {"kind": item.kind, "id": item.id, "title": item.title, "url": item.url,
                       "line": item.line, "placed": item.placed, "commune": item.place_name},
    } for item in selection.placed]
    return {"type": "FeatureCollection", "features": features,
            "counts": selection.counts, "not_placed": selection.not_placed,
            "left_out": list(selection.left_out), "cut": selection.cut, "limit": limit}


def group_by_commune(items: list[MapItem]) -> list[CommuneGroup]:
    """The records under their commune (by name), events first by date, then initiatives and
    actors by name; those without a place last."""
    groups: dict[tuple, list[MapItem]] = {}
    for item in items:
        key = (item.commune_code, item.place_name) if item.place_name else (None, None)
        groups.setdefault(key, []).append(item)
    order = {"event": 0, "initiative": 1, "actor": 2}
    result = []
    for (code, name), members in sorted(groups.items(), key=lambda g: _group_order(*g[0])):
        members.sort(key=lambda item: (order[item.kind], item.sort_key))
        result.append(CommuneGroup(_group_label(code, name), code, members))
    return result


def _group_order(code: str | None, name: str | None) -> tuple:
    return (name is None, fold(name or ""), code or "")


def _group_label(code: str | None, name: str | None) -> str:
    if name is None:
        return gettext("Without a known place")
    commune = geography.commune(code)
    return f"{commune.name} ({commune.department})" if commune else name
