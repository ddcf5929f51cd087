"""The widget's builder page (``/widget/``): the filters chosen in a form, and the two ways to
embed the result, written out to copy: an ``<iframe>`` and the one-line ``<script>``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext
from markupsafe import escape

from agenda.listing.filters import Filters, to_query
from agenda.store.campaigns import list_campaigns
from agenda.store.communes import communes_with_events
from agenda.store.map_records import shown_actor_names
from agenda.web import db_session
from agenda.web.public.listing import commune_options, current_region
from agenda.web.shared.i18n import LANGUAGES, theme_label
from agenda.web.widget.upcoming import DEFAULT_LIMIT

MAX_ACTOR_CHOICES = 2000
# The parameters the embed script passes on from its data-* attributes (widget.js)
SCRIPT_PARAMETERS = ("actor", "theme", "dept", "commune", "campaign", "limit", "lang", "q",
                     "source", "mode", "from", "to", "city")
FRAME_HEIGHT = 600


@dataclass(frozen=True)
class Snippets:
    widget_url: str
    iframe: str
    script: str


def widget_pairs(filters: Filters, limit: int, language: str | None) -> list[tuple[str, str]]:
    """The widget's query string: the filters, then the number and the language when chosen."""
    pairs = [pair for pair in to_query(filters) if pair[0] != "sort"]
    if limit != DEFAULT_LIMIT:
        pairs.append(("limit", str(limit)))
    if language:
        pairs.append(("lang", language))
    return pairs


def widget_language() -> str | None:
    """The widget's language chosen in the builder (``widget_lang``: fr, en, or the visitor's:
    None)."""
    value = request.args.get("widget_lang", "")
    return value if value in LANGUAGES else None


def snippets(pairs: list[tuple[str, str]]) -> Snippets:
    args: dict[str, list[str]] = {}
    for key, value in pairs:
        args.setdefault(key, []).append(value)
    url = url_for("widget.events", _external=True, **args)
    title = gettext("Agenda commun: upcoming events")
    iframe = (f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" '
              f'height="{FRAME_HEIGHT}" style="border:0;max-width:100%" loading="lazy">'
              f'</iframe>')
    data = "".join(f' data-{key}="{escape(",".join(values))}"' for key, values in args.items()
                   if key in SCRIPT_PARAMETERS)
    script = (f'<script src="{escape(url_for("widget.embed_script", _external=True))}"'
              f'{data} data-title="{escape(title)}" async></script>')
    return Snippets(url, iframe, script)


def builder_options() -> dict:
    """The choices of the builder's form."""
    region = current_region()
    session = db_session()
    return {
        "actors": shown_actor_names(session, limit=MAX_ACTOR_CHOICES),
        "themes": [(t.slug, theme_label(t)) for t in region.themes],
        "departments": [(d.code, f"{d.name} ({d.code})") for d in region.departments],
        "communes": commune_options(region, communes_with_events(session)),
        "campaigns": [(c.slug, c.name) for c in list_campaigns(session)],
    }


def builder_values() -> dict:
    """What the visitor chose, as typed (the form is filled again with it)."""
    return {
        "actor": request.args.getlist("actor"), "theme": request.args.getlist("theme"),
        "dept": request.args.getlist("dept"), "commune": request.args.getlist("commune"),
        "campaign": request.args.get("campaign", ""),
        "limit": request.args.get("limit", "") or str(DEFAULT_LIMIT),
        "widget_lang": request.args.get("widget_lang", ""),
    }
