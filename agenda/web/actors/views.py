"""The actors in public: the directory (``/actors/``: filtered by theme, department, commune and
kind of structure, 30 a page) and an actor's page (``/actors/<id>``): who it is, its numbers,
where, its public contact, its upcoming and past events, its initiatives, its sources and their
health, its networks, members and partners, and how to follow its events (calendar, feed,
embedded list).

Shown actors are confirmed or "to check" (marked « à vérifier »); a proposed, removed or
unknown one is a 404 page.  Impossible filter values are a 400 page with a sentence.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from agenda.listing.filters import BadFilter, parse_filters
from agenda.models import Actor
from agenda.models.actor import STRUCTURES
from agenda.services.proposals import sanitize_description
from agenda.store.actor_directory import (
    communes_with_actors,
    directory_actors,
    shown_actor,
    sources_of_actor,
)
from agenda.web import db_session, state
from agenda.web.actors.labels import LINK_LABELS, STRUCTURE_LABELS, label, own_words
from agenda.web.actors.page_data import actor_initiatives, actor_jsonld, dated_lines
from agenda.web.public.listing import Pager, commune_options, current_region, request_page
from agenda.web.public.pages import PageLinks, page_links
from agenda.web.public.views import SOURCE_STATES
from agenda.web.shared.dates import now_utc
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import http_url

bp = Blueprint("actors", __name__)


@bp.context_processor
def actor_words() -> dict:
    return {"own_words": own_words}

PER_PAGE = 30
UPCOMING, PAST = 20, 10
ID_MAX = 2**31 - 1


class UnknownStructure(BadFilter):
    """A kind of structure that is not one of ``STRUCTURES``."""

    code = "filter.structure"


@bp.get("/actors/")
def actor_list():
    theme, department, commune = request_choices()
    structure = request_structure()
    page = request_page()
    actors, total = directory_actors(db_session(), theme=theme, department=department,
                                     commune=commune, structure=structure, limit=PER_PAGE,
                                     offset=(page - 1) * PER_PAGE)
    pager = Pager(page, PER_PAGE, total)
    region = current_region()
    chosen = {"theme": theme, "dept": department, "commune": commune, "structure": structure}
    return render_template(
        "actors/list.html", actors=actors, pager=pager, chosen=chosen,
        page_urls=page_urls(pager, chosen), structure_label=structure_label,
        communes=commune_options(region, communes_with_actors(db_session())),
        departments=[(d.code, f"{d.name} ({d.code})") for d in region.departments],
        themes=[(t.slug, theme_label(t)) for t in region.themes],
        structures=[(s, structure_label(s)) for s in STRUCTURES])


@bp.get("/actors/<int:actor_id>")
def actor(actor_id: int):
    found = shown_actor(db_session(), actor_id) if actor_id <= ID_MAX else None
    if found is None:
        abort(404)
    from agenda.store.links import events_of_actor, linked_actors

    session, now, tz = db_session(), now_utc(), state().settings.tz
    page_url = url_for("actors.actor", actor_id=found.id, _external=True)
    return render_template(
        "actors/actor.html", actor=found, structure_label=structure_label,
        description=description_of(found), website=http_url(found.website),
        upcoming=dated_lines(events_of_actor(session, found.id, now=now, limit=UPCOMING), tz),
        past=dated_lines(events_of_actor(session, found.id, now=now, upcoming=False,
                                         limit=PAST), tz),
        initiatives=actor_initiatives(session, found.id),
        sources=sources_of_actor(session, found.id),
        links=[SimpleNamespace(actor=link.actor, label=label(LINK_LABELS, (link.relation,
                                                                           link.direction)))
               for link in linked_actors(session, found.id)],
        follow=follow_links(found), jsonld=actor_jsonld(found, page_url),
        source_states=SOURCE_STATES)


def follow_links(actor: Actor) -> dict:
    """The actor's events as a calendar to subscribe to, a feed, and a list to embed."""
    widget = url_for("public.home", _external=True) + f"widget/events?actor={actor.id}"
    return {"ics": url_for("feeds.calendar_ics", actor=actor.id, _external=True),
            "atom": url_for("feeds.atom", actor=actor.id, _external=True),
            "embed": f'<iframe src="{widget}" title="{attribute(actor.name)}" width="100%" '
                     'height="600" style="border:0" loading="lazy"></iframe>'}


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    if isinstance(error, UnknownStructure):
        message = gettext("Unknown kind of structure '%(value)s': choose one of the list.",
                          value=error.data.get("value", ""))
    else:
        message = translate_filter_error(str(error))
    return render_template("error.html", status=400, message=message), 400


def request_choices() -> tuple[str | None, str | None, str | None]:
    """The theme, the department and the commune asked for; BadFilter when unknown."""
    wanted = {key: request.args.get(key, "") for key in ("theme", "dept", "commune")}
    filters = parse_filters({k: v for k, v in wanted.items() if v}, region=current_region())
    return ((filters.themes or (None,))[0], (filters.departments or (None,))[0],
            (filters.communes or (None,))[0])


def request_structure() -> str | None:
    value = request.args.get("structure", "").strip()
    if value and value not in STRUCTURES:
        raise UnknownStructure(f"Unknown kind of structure '{value[:40]}'.", value=value[:40])
    return value or None


def page_urls(pager: Pager, chosen: dict) -> PageLinks:
    args = {key: value for key, value in chosen.items() if value}

    def url(page: int) -> str:
        return url_for("actors.actor_list", **args, **({"page": page} if page > 1 else {}))
    return page_links(pager.page, pager.pages, url)


def attribute(text: str) -> str:
    """``text`` inside a double-quoted HTML attribute of the snippet people copy (its
    apostrophes left as they are, readable)."""
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def structure_label(structure: str | None) -> str:
    return label(STRUCTURE_LABELS, structure)


def description_of(actor: Actor) -> Markup | None:
    """The description, sanitised again on the way out."""
    html = sanitize_description(actor.description_html)
    return Markup(html) if html else None
