"""The OpenAPI description of the search across kinds and of one actor or initiative (merged
into ``/api/openapi.json`` by ``agenda.web.api.openapi``)."""

from __future__ import annotations

from agenda.finder.query import ACTOR_STATUSES, KINDS, STATUSES, WHENS
from agenda.models.actor import STRUCTURES
from agenda.region import Region

NULLABLE_STRING = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": {"type": "string"}}
MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET = 100, 20, 10_000
SEARCH_FILTERS = ["q", "kind", "theme", "dept", "commune", "structure", "status", "when"]


def directory_paths() -> dict:
    parameters = [_ref("parameters", name) for name in SEARCH_FILTERS]
    return {
        "/api/search": {"get": {
            "summary": "Events, initiatives and actors found together, with their kinds, themes "
                       "and departments counted (events from today on unless when=all)",
            "operationId": "search",
            "parameters": parameters + [_ref("parameters", "offset"),
                                        _ref("parameters", "limit")],
            "responses": {"200": _json("SearchResults", "One page of results"),
                          "304": {"description": "Not modified (If-None-Match)"},
                          "400": _ref("responses", "BadRequest")}}},
        "/api/actors/{actor_id}": {"get": {
            "summary": "One actor, with its upcoming and past events, its initiatives and the "
                       "actors it is linked to", "operationId": "getActor",
            "parameters": [{"name": "actor_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": _json("ActorDetail", "The actor"),
                          "304": {"description": "Not modified"},
                          "404": _json("Error", "Unknown actor (or not shown)")}}},
        "/api/initiatives/{initiative_id}": {"get": {
            "summary": "One initiative, with its upcoming and past events and its actors",
            "operationId": "getInitiative",
            "parameters": [{"name": "initiative_id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[0-9a-f]{1,32}$"}}],
            "responses": {"200": _json("InitiativeDetail", "The initiative"),
                          "304": {"description": "Not modified"},
                          "404": _json("Error", "Unknown initiative"),
                          "410": _json("Error", "Withdrawn initiative")}}},
    }


def directory_parameters(region: Region) -> dict:
    return {
        "kind": _list("kind", "Kind of result (repeatable); none: every kind",
                      {"type": "string", "enum": list(KINDS)}),
        "structure": _list("structure", "An actor's kind of structure (repeatable): only "
                           "actors are then listed", {"type": "string",
                                                      "enum": list(STRUCTURES)}),
        "status": _list("status", "project, active, ended (initiatives); confirmed, to_check "
                        "(actors); repeatable: the kinds none of them concerns are left out",
                        {"type": "string", "enum": list(STATUSES)}),
        "when": _query("when", "Events from today on (upcoming), or past ones too (all)",
                       {"type": "string", "enum": list(WHENS), "default": "upcoming"}),
        "offset": _query("offset", "Results skipped", {"type": "integer", "minimum": 0,
                         "maximum": MAX_OFFSET, "default": 0}),
        "limit": _query("limit", "Results per page", {"type": "integer", "minimum": 1,
                        "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    }


def directory_schemas() -> dict:
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    return {
        "SearchResults": _object({
            "total": {"type": "integer"},
            "items": {"type": "array", "items": _ref("schemas", "SearchItem")},
            "facets": _object({"kind": counts, "theme": counts, "dept": counts})}),
        "SearchItem": {**_object(SEARCH_ITEM), "required": ["kind", "id", "title", "url"]},
        "ActorDetail": _object({**ACTOR, "events": _ref("schemas", "LinkedEvents"),
                                "initiatives": {"type": "array", "items": _object(
                                    {"id": {"type": "string"}, "title": {"type": "string"},
                                     "status": {"type": "string"}, "url": URL})},
                                "actors": {"type": "array", "items": _object(
                                    {"id": {"type": "integer"}, "name": {"type": "string"},
                                     "url": URL, "relation": {"type": "string",
                                                              "enum": ["member", "partner"]},
                                     "direction": {"type": "string", "enum": ["of", "has"]}})}}),
        "InitiativeDetail": _object({**INITIATIVE, "events": _ref("schemas", "LinkedEvents"),
                                     "actors": {"type": "array", "items": _object(
                                         {"id": {"type": "integer"},
                                          "name": {"type": "string"}, "url": URL})}}),
        "LinkedEvents": _object({"upcoming": _events(), "past": _events()}),
    }


URL = {"type": "string", "format": "uri"}
SEARCH_ITEM = {
    "kind": {"type": "string", "enum": list(KINDS)}, "id": {"type": "string"},
    "title": {"type": "string", "description": "An event's or initiative's title, an actor's "
              "name"},
    "url": {**URL, "description": "Its page here"}, "themes": STRINGS,
    "department": NULLABLE_STRING, "commune": NULLABLE_STRING,
    "status": {"type": "string"},
    "start": {"type": "string", "description": "Events: the first date from today (or ever, "
              "when=all)"}, "end": {"type": "string", "description": "Events"},
    "actors": {**STRINGS, "description": "Initiatives: their actors' names"},
    "structure": {"type": ["string", "null"], "enum": [*STRUCTURES, None],
                  "description": "Actors"},
}
ACTOR = {
    "kind": {"const": "actor"}, "id": {"type": "integer"}, "title": {"type": "string"},
    "name": {"type": "string"}, "url": URL,
    "structure": {"type": ["string", "null"], "enum": [*STRUCTURES, None]},
    "kind_of_actor": {**NULLABLE_STRING, "description": "Its own words (tiers-lieu...)"},
    "status": {"type": "string", "enum": list(ACTOR_STATUSES)}, "themes": STRINGS,
    "approvals": STRINGS, "siren": NULLABLE_STRING, "rna": NULLABLE_STRING,
    "website": NULLABLE_STRING, "description": {"type": "string",
                                                "description": "Sanitised HTML"},
    "contact_email": NULLABLE_STRING, "contact_phone": NULLABLE_STRING,
    "address": NULLABLE_STRING, "postcode": NULLABLE_STRING, "commune_code": NULLABLE_STRING,
    "commune_name": NULLABLE_STRING, "department": NULLABLE_STRING,
    "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
}
INITIATIVE = {
    "kind": {"const": "initiative"}, "id": {"type": "string"}, "title": {"type": "string"},
    "url": URL, "status": {"type": "string", "enum": ["project", "active", "ended"]},
    "themes": STRINGS, "department": {**NULLABLE_STRING, "description": "None: the whole "
                                      "region"},
    "territory": NULLABLE_STRING, "commune_code": NULLABLE_STRING,
    "commune_name": NULLABLE_STRING,
    "starts_on": {"type": ["string", "null"], "format": "date"},
    "ends_on": {"type": ["string", "null"], "format": "date"},
    "website": NULLABLE_STRING, "description": {"type": "string",
                                                "description": "Sanitised HTML"},
    "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
}


def _events() -> dict:
    return {"type": "array", "description": "At most 20, the next (upcoming) or the last "
            "(past) first", "items": _object({
                "id": {"type": "string"}, "title": {"type": "string"},
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"}, "url": URL})}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _list(name: str, description: str, items: dict) -> dict:
    parameter = _query(name, description, {"type": "array", "items": items, "maxItems": 20})
    return {**parameter, "style": "form", "explode": True}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("schemas", schema)}}}
