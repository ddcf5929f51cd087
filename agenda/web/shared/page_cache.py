"""Answers that are the same for every visitor (the map's GeoJSON, the embedded widget) kept a
few minutes in memory and served with HTTP validators, as the feeds are.

The key is what the body depends on: the path and query string (parameters sorted), the
page's language, the data version (``agenda.export.version``: events, sources, and the change
counter every writer of actors and initiatives bumps) and the day; an entry also expires after
``MAX_AGE`` seconds (upcoming events move on with the clock).  The ETag is the body's hash; a
client sending it back gets a 304.  One cache per application (never shared between two apps
of one process, such as tests).
"""

from __future__ import annotations

from typing import Callable

from flask import Response, current_app, request

from agenda.export.conditional import is_not_modified
from agenda.export.responses import Rendered, ResponseCache
from agenda.export.version import read_version
from agenda.web import db_session, state
from agenda.web.shared.dates import today_in
from agenda.web.shared.i18n import current_language

MAX_AGE = 300
CACHE_CONTROL = f"public, max-age={MAX_AGE}"
EXTENSION = "agenda_page_cache"


def cached_answer(build: Callable[[], str | bytes], content_type: str) -> Response:
    """``build()``'s body for this request, from the cache when it is there; a 304 when the
    client's copy is current."""
    cache = _cache()
    key = (request.path, tuple(sorted(request.args.items(multi=True))), current_language(),
           read_version(db_session()).key, today_in(state().settings.tz))
    rendered = cache.get(key)
    if rendered is None:
        body = build()
        rendered = cache.put(key, body.encode() if isinstance(body, str) else body,
                             last_modified=None)
    return conditional(rendered, content_type)


def conditional(rendered: Rendered, content_type: str) -> Response:
    headers = {"ETag": rendered.etag, "Cache-Control": CACHE_CONTROL}
    if is_not_modified(etag=rendered.etag, last_modified=None,
                       if_none_match=request.headers.get("If-None-Match"),
                       if_modified_since=None):
        response = Response(status=304, headers=headers)
    else:
        response = Response(rendered.body, content_type=content_type, headers=headers)
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def _cache() -> ResponseCache:
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(
            EXTENSION, ResponseCache(max_entries=200, max_bytes=64_000_000, max_age=MAX_AGE))
    return cache
