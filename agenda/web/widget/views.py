"""The embeddable widget: the next events of a selection, for other sites to show.

- ``/widget/events?actor=&theme=&dept=&commune=&campaign=&limit=&lang=`` (and the listing's
  other filters): a light page of its own (not the site's layout), the events with their date
  in words, their place and a link to their page on the main site, the subscription links of
  the same selection, and a link to it on the site.  French or English by ``lang=``, else the
  browser's language.  Cached a few minutes, with an ETag (``agenda.web.shared.page_cache``).
- ``/widget.js``: the one-line embed script (``static/js/widget-embed.js``): it inserts the
  frame after itself, with its ``data-*`` attributes as the filters, and sets the frame's
  height from the messages the widget page posts (``static/js/widget-frame.js``).
- ``/widget/``: how to embed it, a form to choose the filters, the ``<iframe>`` and
  ``<script>`` snippets to copy and a live preview.

Only ``/widget/events`` may be framed by other sites: its policy says ``frame-ancestors`` from
the setting ``widget_frame_ancestors`` (``*`` by default) and it has no X-Frame-Options
(``agenda.web.shared.headers`` adds that only to answers whose policy forbids framing).
Every other page, the builder included, keeps ``frame-ancestors 'none'`` and ``DENY``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request

from agenda.export.conditional import etag_of
from agenda.export.responses import Rendered
from agenda.listing.filters import BadFilter
from agenda.web import state
from agenda.web.public.listing import request_filters
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.headers import CONTENT_SECURITY_POLICY
from agenda.web.shared.page_cache import cached_answer, conditional
from agenda.web.widget.builder import (
    builder_options,
    builder_values,
    snippets,
    widget_language,
    widget_pairs,
)
from agenda.web.widget.upcoming import (
    parse_limit,
    site_url,
    upcoming_events,
    widget_subscriptions,
)

bp = Blueprint("widget", __name__)

EMBED_SCRIPT = Path(__file__).resolve().parents[1] / "static" / "js" / "widget-embed.js"
SCRIPT_TYPE = "text/javascript; charset=utf-8"
FRAMED_ENDPOINTS = ("widget.events",)


@bp.get("/widget/events")
def events():
    filters = request_filters()
    limit = parse_limit(request.args.get("limit"))

    def build() -> str:
        return render_template("widget/events.html", events=upcoming_events(filters, limit),
                               links=widget_subscriptions(filters), site_url=site_url(filters))
    return cached_answer(build, "text/html; charset=utf-8")


@bp.get("/widget.js")
def embed_script():
    return conditional(_embed_script(), SCRIPT_TYPE)


@bp.get("/widget/")
def builder():
    filters = request_filters()
    limit = parse_limit(request.args.get("limit"))
    pairs = widget_pairs(filters, limit, widget_language())
    return render_template("widget/builder.html", snippets=snippets(pairs),
                           form=builder_values(), options=builder_options())


@bp.after_request
def frame_policy(response: Response) -> Response:
    """The widget page may be framed by the sites of ``widget_frame_ancestors``."""
    if request.endpoint in FRAMED_ENDPOINTS:
        response.headers["Content-Security-Policy"] = framed_policy()
    return response


def framed_policy() -> str:
    ancestors = state().settings.widget_frame_ancestors
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'",
                                           f"frame-ancestors {ancestors}")


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    message = translate_filter_error(str(error))
    if request.endpoint == "widget.builder":
        return render_template("widget/builder.html", snippets=None, message=message,
                               form=builder_values(), options=builder_options()), 400
    return render_template("widget/error.html", message=message), 400


@lru_cache(maxsize=1)
def _embed_script() -> Rendered:
    body = EMBED_SCRIPT.read_bytes()
    return Rendered(body, etag_of(body), None, 0.0)
