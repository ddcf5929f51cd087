"""The JSON twin of ``/search``, and one actor or initiative with what it is linked to.

    GET /api/search?q=&kind=&theme=&dept=&commune=&structure=&status=&when=&offset=&limit=
        {"total": N, "items": [{"kind", "id", "title", "url", ...}],
         "facets": {"kind": {...}, "theme": {...}, "dept": {...}}}
    GET /api/actors/<id>        the actor, its events (upcoming and past), initiatives, actors
    GET /api/initiatives/<id>   the initiative, its events and actors

As ``/api/events``: an ETag on every answer, a bad parameter a 400 ``{"error": sentence}``; an
unknown (or hidden) actor or initiative a 404 ``{"error": sentence}``, a withdrawn initiative
a 410.
"""

from __future__ import annotations

import re

from flask import Blueprint, request

from agenda.finder.rows import load_hits
from agenda.listing.filters import BadFilter
from agenda.models import Actor, Initiative
from agenda.store.links import (
    SHOWN_ACTOR_STATUSES,
    actors_of_initiative,
    events_of_actor,
    events_of_initiative,
    initiatives_of_actor,
    linked_actors,
)
from agenda.web import db_session, state
from agenda.web.api.views import cached_json, json_response
from agenda.web.feeds.views import BadParameter
from agenda.web.finder.results import (
    actor_url,
    current_finder,
    hit_url,
    request_query,
    window_of,
)
from agenda.web.shared.dates import now_utc

bp = Blueprint("directory_api", __name__)

DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 20, 100, 10_000
LINKED_EVENTS = 20
_INITIATIVE_ID = re.compile(r"[0-9a-f]{1,32}")


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return json_response({"error": str(error)}, status=400)


@bp.get("/search")
def search():
    query = request_query()
    offset = _number("offset", 0, 0, MAX_OFFSET)
    limit = _number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    window = window_of(query)
    found = current_finder().find(db_session(), query, window=window, search=state().search,
                                  offset=offset, limit=limit)
    loaded = load_hits(db_session(), found.hits, window=window)
    items = [item for kind, record_id in found.hits
             if (item := _item(kind, record_id, loaded)) is not None]
    return cached_json({"total": found.total, "items": items, "facets": found.facets})


@bp.get("/actors/<actor_id>")
def actor(actor_id: str):
    found = _shown_actor(actor_id)
    if found is None:
        return json_response({"error": f"There is no actor {actor_id[:20]}."}, status=404)
    session = db_session()
    networks = [{"id": link.actor.id, "name": link.actor.name, "url": actor_url(
        link.actor.id, external=True), "relation": link.relation, "direction": link.direction}
                for link in linked_actors(session, found.id)]
    initiatives = [_initiative_ref(i) for i in initiatives_of_actor(session, found.id)]
    return cached_json({**actor_dict(found), "events": _events(events_of_actor, found.id),
                        "initiatives": initiatives, "actors": networks})


@bp.get("/initiatives/<initiative_id>")
def initiative(initiative_id: str):
    found = (db_session().get(Initiative, initiative_id)
             if _INITIATIVE_ID.fullmatch(initiative_id) else None)
    if found is None:
        return json_response({"error": f"There is no initiative {initiative_id[:40]}."},
                             status=404)
    if found.removed_at is not None:
        return json_response({"error": f"The initiative {found.id} was withdrawn."},
                             status=410)
    actors = [_actor_ref(a) for a in actors_of_initiative(db_session(), found.id)]
    return cached_json({**initiative_dict(found),
                        "events": _events(events_of_initiative, found.id), "actors": actors})


def actor_dict(actor: Actor) -> dict:
    return {"kind": "actor", "id": actor.id, "title": actor.name, "name": actor.name,
            "url": actor_url(actor.id, external=True), "structure": actor.structure,
            "kind_of_actor": actor.kind, "status": actor.status, "themes": actor.themes or [],
            "approvals": actor.approvals or [], "siren": actor.siren, "rna": actor.rna,
            "website": actor.website, "description": actor.description_html or "",
            "contact_email": actor.contact_email, "contact_phone": actor.contact_phone,
            "address": actor.address, "postcode": actor.postcode,
            "commune_code": actor.commune_code, "commune_name": actor.commune_name,
            "department": actor.department, "lat": actor.lat, "lon": actor.lon}


def initiative_dict(initiative: Initiative) -> dict:
    return {"kind": "initiative", "id": initiative.id, "title": initiative.title,
            "url": hit_url("initiative", initiative.id, external=True),
            "status": initiative.status, "themes": initiative.themes or [],
            "department": initiative.department, "territory": initiative.territory,
            "commune_code": initiative.commune_code, "commune_name": initiative.commune_name,
            "starts_on": _iso(initiative.starts_on), "ends_on": _iso(initiative.ends_on),
            "website": initiative.url, "description": initiative.description_html or "",
            "lat": initiative.lat, "lon": initiative.lon}


def _item(kind: str, record_id: str, loaded) -> dict | None:
    """One result: kind, id, title, url, themes, department, commune, and its kind's own."""
    url = hit_url(kind, record_id, external=True)
    if kind == "event":
        occurrence = loaded.events.get(record_id)
        if occurrence is None:
            return None
        event = occurrence.event
        return {"kind": kind, "id": record_id, "title": event.title, "url": url,
                "themes": event.themes or [], "department": event.department,
                "commune": event.commune_name or event.city, "start": _iso(occurrence.start_at),
                "end": _iso(occurrence.end_at), "status": event.status}
    if kind == "initiative":
        found = loaded.initiatives.get(record_id)
        if found is None:
            return None
        return {"kind": kind, "id": record_id, "title": found.title, "url": url,
                "themes": found.themes or [], "department": found.department,
                "commune": found.commune_name or found.territory, "status": found.status,
                "actors": loaded.initiative_actors.get(record_id, [])}
    found = loaded.actors.get(int(record_id))
    if found is None:
        return None
    return {"kind": kind, "id": record_id, "title": found.name, "url": url,
            "themes": found.themes or [], "department": found.department,
            "commune": found.commune_name, "status": found.status,
            "structure": found.structure}


def _events(read, record_id) -> dict[str, list[dict]]:
    session, now = db_session(), now_utc()
    return {"upcoming": [_event_ref(d) for d in read(session, record_id, now=now, upcoming=True,
                                                     limit=LINKED_EVENTS)],
            "past": [_event_ref(d) for d in read(session, record_id, now=now, upcoming=False,
                                                 limit=LINKED_EVENTS)]}


def _event_ref(dated) -> dict:
    return {"id": dated.event.id, "title": dated.event.title, "start": _iso(dated.start_at),
            "end": _iso(dated.end_at), "url": hit_url("event", dated.event.id, external=True)}


def _initiative_ref(initiative: Initiative) -> dict:
    return {"id": initiative.id, "title": initiative.title, "status": initiative.status,
            "url": hit_url("initiative", initiative.id, external=True)}


def _actor_ref(actor: Actor) -> dict:
    return {"id": actor.id, "name": actor.name, "url": actor_url(actor.id, external=True)}


def _shown_actor(actor_id: str) -> Actor | None:
    if not (actor_id.isascii() and actor_id.isdigit() and len(actor_id) <= 10
            and 0 < int(actor_id) < 2**31):
        return None
    found = db_session().get(Actor, int(actor_id))
    if found is None or found.removed_at is not None or found.status not in SHOWN_ACTOR_STATUSES:
        return None
    return found


def _number(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 6 and low <= int(value) <= high):
        raise BadParameter(f"'{name}' must be a whole number between {low} and {high}.")
    return int(value)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
