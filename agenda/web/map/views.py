"""The map of events, actors and initiatives (``/map``) and its data (``/map.json``).

Both take the listing's filters (``agenda.listing.filters``) and ``kind`` (event, actor,
initiative; repeatable; all by default).  The page is whole without JavaScript: the filter form
and the same records as a list by commune, always rendered on the server;
``static/js/map-page.js`` draws the map above the list from ``/map.json`` (GeoJSON, with the
same query string).  A malformed filter is a 400: a page with the sentence and the form, or
JSON ``{"error": ...}``.

The page allows ``data:`` images beside the site's policy: Leaflet sets a removed tile's
``src`` to a blank ``data:`` GIF to cancel its download (``TileLayer._removeTile``).
"""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import format_decimal, gettext, ngettext

from agenda.listing.filters import BadFilter
from agenda.web import state
from agenda.web.map.selection import (
    MAX_FEATURES,
    MAX_LISTED,
    MapSelection,
    feature_collection,
    group_by_commune,
    parse_kinds,
    select_items,
    window_days,
)
from agenda.web.map.view_parts import map_form_values, region_bounds
from agenda.web.public.listing import active_filters, filter_args, form_options, request_filters
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.headers import CONTENT_SECURITY_POLICY
from agenda.web.shared.i18n import current_language
from agenda.web.shared.page_cache import cached_answer

bp = Blueprint("map", __name__)

MAP_PAGE_POLICY = CONTENT_SECURITY_POLICY  # data: images (removed tiles) allowed everywhere


@bp.get("/map")
def map_page():
    filters = request_filters()
    kinds = parse_kinds(request.args.getlist("kind"))
    selection = select_items(filters, kinds, limit=MAX_LISTED)
    first, last = window_days(filters)
    json_url = url_for("map.map_json", **filter_args(filters), kind=_kind_args(kinds),
                       lang=current_language())
    return render_template(
        "map/map.html", filters=filters, selection=selection, kinds=kinds,
        groups=group_by_commune(selection.items), first_day=first, last_day=last,
        json_url=json_url, tiles=state().settings.map_tiles_url, bounds=region_bounds(),
        listing_url=url_for("public.home", **filter_args(filters)),
        count_sentence=count_sentence(selection),
        active=active_filters(filters) + (len(kinds) < 3), form=map_form_values(), options=form_options(),
        limits={"listed": format_decimal(MAX_LISTED), "features": format_decimal(MAX_FEATURES)})


@bp.get("/map.json")
def map_json():
    filters = request_filters()
    kinds = parse_kinds(request.args.getlist("kind"))

    def build() -> str:
        selection = select_items(filters, kinds, limit=MAX_FEATURES)
        return json.dumps(feature_collection(selection, limit=MAX_FEATURES),
                          ensure_ascii=False, separators=(",", ":"))
    return cached_answer(build, "application/geo+json; charset=utf-8")


@bp.after_request
def map_policy(response):
    if request.endpoint == "map.map_page":
        response.headers.setdefault("Content-Security-Policy", MAP_PAGE_POLICY)
    return response


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    message = translate_filter_error(str(error))
    if request.endpoint == "map.map_json":
        return jsonify(error=message), 400
    return render_template("map/bad_request.html", message=message, form=map_form_values(),
                           options=form_options()), 400


def count_sentence(selection: MapSelection) -> str:
    """'3 events, 1 initiative, 2 actors' (the kinds shown, in that order)."""
    words = {
        "event": lambda n: ngettext("%(num)d event", "%(num)d events", n),
        "initiative": lambda n: ngettext("%(num)d initiative", "%(num)d initiatives", n),
        "actor": lambda n: ngettext("%(num)d actor", "%(num)d actors", n),
    }
    parts = [words[kind](selection.counts.get(kind, 0))
             for kind in ("event", "initiative", "actor") if kind in selection.kinds]
    return ", ".join(parts) if parts else gettext("Nothing to show with these filters")


def _kind_args(kinds: tuple[str, ...]) -> list[str]:
    """The kinds for links: none when all three (the default)."""
    return [] if len(kinds) == 3 else list(kinds)
