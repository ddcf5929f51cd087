"""What the search page, its exports and its JSON twin share: the query read from the URL, the
finder of this app, the window of the events, and each hit's address."""

from __future__ import annotations

from flask import request, url_for
from werkzeug.routing import BuildError

from agenda.finder import Finder, FinderQuery, finder_for, parse_query
from agenda.finder.events import event_window
from agenda.web import state
from agenda.web.public.listing import current_region
from agenda.web.shared.dates import today_in

ACTOR_ENDPOINTS = ("actors.actor", "actors.actor_page", "actors.page", "actors.show")


def request_query() -> FinderQuery:
    """The search of this request's URL; BadFilter (a 400) when a value is impossible."""
    return parse_query(request.args, region=current_region())


def current_finder() -> Finder:
    return finder_for(state().session_factory, current_region(),
                      backend=state().settings.search_backend)


def window_of(query: FinderQuery):
    tz = state().settings.tz
    return event_window(today_in(tz), tz, query.when)


def hit_url(kind: str, record_id: str, *, external: bool = False) -> str:
    """The page of an event, an initiative or an actor."""
    if kind == "event":
        return url_for("public.event", event_id=record_id, _external=external)
    if kind == "initiative":
        return url_for("initiatives.initiative", initiative_id=record_id, _external=external)
    return actor_url(int(record_id), external=external)


def actor_url(actor_id: int, *, external: bool = False) -> str:
    """The actor's public page (``agenda.web.actors``, written beside this: whichever endpoint
    name it has, else its path)."""
    for endpoint in ACTOR_ENDPOINTS:
        try:
            return url_for(endpoint, actor_id=actor_id, _external=external)
        except BuildError:
            continue
    root = request.url_root if external else "/"
    return f"{root}actors/{actor_id}"


def args_of(query: FinderQuery, **overrides) -> dict[str, list[str]]:
    """``query`` as url_for keyword arguments (repeated parameters as lists)."""
    args: dict[str, list[str]] = {}
    for key, value in query.to_query(**overrides):
        args.setdefault(key, []).append(value)
    return args
