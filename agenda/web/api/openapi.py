"""The OpenAPI 3.1 description of the API and the feeds, served at ``/api/openapi.json``.

Built from the region (the department codes and theme slugs are enums), so it always lists
what the filters accept.  tests/web/test_api.py checks it against the real answers.
"""

from __future__ import annotations

from agenda.listing.filters import MAX_QUERY_LENGTH, MAX_VALUES, MODES, SORTS
from agenda.region import Region
from agenda.web.finder.openapi import directory_parameters, directory_paths, directory_schemas

MAX_PER_PAGE, DEFAULT_PER_PAGE, MAX_PAGE = 200, 50, 10_000
NULLABLE_STRING = {"type": ["string", "null"]}


def openapi_document(region: Region, *, server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Agenda commun",
            "version": "1.0",
            "description": (
                f"The events of the social and solidarity economy in {region.name}, collected "
                "from the actors' own calendars and feeds. Every listing has the same filters "
                "as JSON (/api/events), iCalendar (/calendar.ics) and Atom (/feed.atom). "
                "Answers carry an ETag; send If-None-Match to get a 304 when nothing changed. "
                "A malformed parameter is a 400 with a sentence saying why."),
        },
        "servers": [{"url": server}],
        "paths": _paths(),
        "components": {"parameters": {**_parameters(region), **directory_parameters(region)},
                       "schemas": {**_schemas(), **directory_schemas()},
                       "responses": _responses()},
    }


FILTERS = ["from", "to", "q", "dept", "commune", "city", "theme", "source", "actor", "mode",
           "sort"]


def _paths() -> dict:
    return {**_api_paths(), **directory_paths(), **_feed_paths()}


def _api_paths() -> dict:
    filters = [_ref("parameters", name) for name in FILTERS]
    return {
        "/api/events": {"get": {
            "summary": "Occurrences matching the filters, by date (or relevance), paginated",
            "operationId": "listEvents",
            "parameters": filters + [_ref("parameters", "page"), _ref("parameters", "per_page")],
            "responses": {"200": _json("EventList", "One page of occurrences"),
                          "304": {"description": "Not modified (If-None-Match)"},
                          "400": _ref("responses", "BadRequest")}}},
        "/api/sources": {"get": {
            "summary": "The collected sources with their health", "operationId": "listSources",
            "responses": {"200": _json("SourceList", "Every source")}}},
        "/api/openapi.json": {"get": {
            "summary": "This description", "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1 document"}}}},
    }


def _filtered_feed(summary: str, operation: str, media_type: str, description: str,
                   filters: list) -> dict:
    return {"get": {
        "summary": summary, "operationId": operation, "parameters": filters,
        "responses": {"200": _body(media_type, description),
                      "304": {"description": "Not modified"},
                      "400": _ref("responses", "BadRequestText")}}}


def _feed_paths() -> dict:
    filters = [_ref("parameters", name) for name in FILTERS]
    return {
        "/calendar.ics": _filtered_feed(
            "The same events as an iCalendar subscription (RFC 5545); by default from 30 days "
            "ago to a year ahead, cancelled and removed events included as STATUS:CANCELLED "
            "for 30 days", "calendar", "text/calendar", "The calendar", filters),
        "/feed.atom": _filtered_feed(
            "The next occurrences as an Atom 1.0 feed (at most 200)", "atom",
            "application/atom+xml", "The feed", filters),
        "/events/{event_id}.ics": {"get": {
            "summary": "One event (with its whole series) as iCalendar: add it to a calendar",
            "operationId": "eventCalendar",
            "parameters": [{"name": "event_id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[0-9a-f]{1,32}$"}}],
            "responses": {"200": _body("text/calendar", "The event"),
                          "304": {"description": "Not modified"},
                          "404": {"description": "Unknown event"},
                          "410": {"description": "Removed by its organiser"}}}},
    }


def _parameters(region: Region) -> dict:
    text = {"type": "string", "maxLength": MAX_QUERY_LENGTH}
    return {
        "from": _query("from", "First day (YYYY-MM-DD, inclusive, in the region's zone); "
                       "default: today (30 days ago for /calendar.ics)",
                       {"type": "string", "format": "date"}),
        "to": _query("to", "Last day (YYYY-MM-DD, inclusive); default: a year after 'from'",
                     {"type": "string", "format": "date"}),
        "q": _query("q", "Words searched in titles and descriptions (French: accents and "
                    "plurals do not matter)", text),
        "dept": _list("dept", "Department code of the region (repeatable)",
                      {"type": "string", "enum": [d.code for d in region.departments]}),
        "commune": _list("commune", "INSEE code of a commune of the region (repeatable), "
                         "e.g. 37261 for Tours", {"type": "string",
                                                  "pattern": "^([0-9]{5}|2[AB][0-9]{3})$"}),
        "city": _query("city", "City name as the source wrote it (exact, case-insensitive); "
                       "prefer 'commune'", text),
        "theme": _list("theme", "Theme slug (repeatable)",
                       {"type": "string", "enum": [t.slug for t in region.themes]}),
        "source": _list("source", "Source id (repeatable)",
                        {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
        "actor": _list("actor", "Actor id (repeatable): the events it organises (linked to it, "
                       "or merged with an event linked to it); an unknown actor gives none",
                       {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
        "mode": _query("mode", "Online or in-person events only",
                       {"type": "string", "enum": list(MODES)}),
        "sort": _query("sort", "Order of the occurrences", {"type": "string",
                       "enum": list(SORTS), "default": "date"}),
        "page": _query("page", "Page number", {"type": "integer", "minimum": 1,
                       "maximum": MAX_PAGE, "default": 1}),
        "per_page": _query("per_page", "Occurrences per page", {"type": "integer", "minimum": 1,
                           "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}),
    }


def _schemas() -> dict:
    return {
        "EventList": _object({
            "total": {"type": "integer"}, "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "items": {"type": "array", "items": _ref("schemas", "Occurrence")}}),
        "Occurrence": _object(OCCURRENCE_PROPERTIES),
        "Location": _object({
            "name": NULLABLE_STRING, "address": NULLABLE_STRING, "postcode": NULLABLE_STRING,
            "city": NULLABLE_STRING,
            "commune_code": {"type": ["string", "null"], "description": "INSEE code"},
            "commune_name": NULLABLE_STRING, "department": NULLABLE_STRING,
            "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]}}),
        "SourceRef": _object({"id": {"type": "integer"}, "name": {"type": "string"},
                              "url": {"type": "string", "format": "uri"}}),
        "SourceList": _object({"items": {"type": "array", "items": _ref("schemas", "Source")}}),
        "Source": _object(SOURCE_PROPERTIES),
        "Error": _object({"error": {"type": "string", "description": "Why, in one sentence"}}),
    }


OCCURRENCE_PROPERTIES = {
    "id": {"type": "string", "description": "Stable id of this occurrence"},
    "event_id": {"type": "string", "description": "Stable id of the event"},
    "title": {"type": "string"},
    "start": {"type": "string", "description": "ISO 8601 date-time with offset, or a date "
              "when all_day"},
    "end": {"type": "string", "description": "Same form as start; a date is exclusive"},
    "all_day": {"type": "boolean"},
    "timezone": {"type": "string", "description": "IANA zone the times are written in"},
    "status": {"type": "string", "enum": ["confirmed", "tentative", "cancelled"]},
    "description": {"type": "string", "description": "Sanitised HTML"},
    "location": {"$ref": "#/components/schemas/Location"},
    "online_url": NULLABLE_STRING, "organizer": NULLABLE_STRING,
    "url": {"type": ["string", "null"], "description": "The event on its source's site"},
    "image_url": NULLABLE_STRING,
    "categories": {"type": "array", "items": {"type": "string"}},
    "themes": {"type": "array", "items": {"type": "string"}, "description": "Theme slugs"},
    "sources": {"type": "array", "items": {"$ref": "#/components/schemas/SourceRef"}},
    "page_url": {"type": "string", "format": "uri", "description": "The event's page here"},
    "occurrence_url": {"type": "string", "format": "uri",
                       "description": "The page of this date here (/evenements/<id>/<YYYY-MM-DD>)"},
    "ics_url": {"type": "string", "format": "uri", "description": "The event as iCalendar"},
}

SOURCE_PROPERTIES = {
    "id": {"type": "integer"}, "name": {"type": "string"}, "url": {"type": "string"},
    "kind": {"type": "string", "enum": ["auto", "ics", "feed"]},
    "detected_format": NULLABLE_STRING, "actor": NULLABLE_STRING,
    "interval_minutes": {"type": "integer"},
    "status": {"type": "string", "enum": ["never", "ok", "error", "broken"]},
    "last_success_at": NULLABLE_STRING, "last_attempt_at": NULLABLE_STRING,
    "last_error": NULLABLE_STRING, "last_error_code": NULLABLE_STRING,
    "consecutive_failures": {"type": "integer"}, "next_run_at": NULLABLE_STRING,
    "event_count": {"type": "integer"},
}


def _responses() -> dict:
    return {"BadRequest": _json("Error", "A malformed parameter, and why"),
            "BadRequestText": _body("text/plain", "A malformed parameter, and why")}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _list(name: str, description: str, items: dict) -> dict:
    parameter = _query(name, description, {"type": "array", "items": items,
                                           "maxItems": MAX_VALUES})
    return {**parameter, "style": "form", "explode": True}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("schemas", schema)}}}


def _body(media_type: str, description: str) -> dict:
    return {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
