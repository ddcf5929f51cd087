"""The JSON API: the listing's occurrences with the same filters as the pages and feeds, the
sources with their health, and the OpenAPI 3 description of both.

Every answer carries an ETag (its body's hash) and is a 304 when the client's copy is current.
A bad parameter is a 400 with ``{"error": "<a sentence>"}``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import Blueprint, Response, request, url_for

from agenda.export.conditional import etag_of
from agenda.export.responses import Rendered
from agenda.listing.filters import BadFilter, default_window
from agenda.listing.query import find_occurrences
from agenda.serialize import occurrence_dict, source_dict
from agenda.store.event_copies import copies_by_event
from agenda.store.sources import list_sources
from agenda.web import db_session, state
from agenda.web.api.openapi import openapi_document
from agenda.web.feeds.views import (
    BadParameter,
    conditional,
    event_page_url,
    export_state,
    request_filters,
)
from agenda.web.shared.dates import local_days

bp = Blueprint("api", __name__)

JSON_TYPE = "application/json"
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_PAGE = 10_000
WINDOW_DAYS = 365


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return json_response({"error": str(error)}, status=400)


@bp.get("/events")
def events():
    filters = request_filters()
    first, last = default_window(filters, export_state().today(), WINDOW_DAYS)
    return cached_json(events_document(filters, first, last, search=state().search))


def events_document(filters, first, last, *, search=None) -> dict:
    """One page of the occurrences from ``first`` to ``last`` (dates, inclusive) matching
    ``filters``, paged by the request's ``page``/``per_page``: the body of ``/api/events``."""
    page = whole_number("page", 1, MAX_PAGE)
    per_page = whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    exporter = export_state().exporter
    window = (exporter.midnight(first), exporter.midnight(last + timedelta(days=1)))
    listing = find_occurrences(db_session(), filters, window=window, limit=per_page,
                               offset=(page - 1) * per_page, search=search)
    copies = copies_by_event(db_session(), {o.event_id for o in listing.occurrences})
    items = [occurrence_dict(o, default_tz=exporter.tz, also=copies.get(o.event_id, ()),
                             links=_links(o.event_id, local_days(o, exporter.tz)[0]))
             for o in listing.occurrences]
    return {"total": listing.total, "page": page, "per_page": per_page,
            "from": first.isoformat(), "to": last.isoformat(), "items": items}


@bp.get("/sources")
def sources():
    return cached_json({"items": [source_dict(s, n) for s, n in list_sources(db_session())]})


@bp.get("/openapi.json")
def openapi():
    region = export_state().exporter.region
    return cached_json(openapi_document(region, server=request.host_url.rstrip("/")))


def cached_json(data: dict) -> Response:
    """``data`` as JSON with an ETag; a 304 when the client already has it."""
    body = _dumps(data)
    return conditional(Rendered(body, etag_of(body), None, 0.0), JSON_TYPE,
                       {"Cache-Control": "no-cache"})


def json_response(data: dict, *, status: int = 200) -> Response:
    return Response(_dumps(data), status=status, content_type=JSON_TYPE)


def _dumps(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _links(event_id: str, day: date) -> dict[str, str]:
    return {"page_url": event_page_url(event_id),
            "occurrence_url": event_page_url(event_id, day.isoformat()),
            "ics_url": url_for("feeds.event_ics", event_id=event_id, _external=True)}


def whole_number(name: str, default: int, high: int) -> int:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 6 and 1 <= int(value) <= high):
        raise BadParameter(f"'{name}' must be a whole number between 1 and {high}.")
    return int(value)
