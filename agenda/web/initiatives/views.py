"""Initiatives in public: the published ones (filtered by theme, department and commune) and
one's page.

An initiative of the whole region (no department) is listed under every department.  A
withdrawn initiative's page answers 410.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from agenda.errors import NotFound
from agenda.listing.filters import BadFilter, parse_filters
from agenda.models import Initiative
from agenda.services.proposals import sanitize_description
from agenda.store.communes import communes_with_initiatives
from agenda.store.initiatives import get_initiative, published_initiatives
from agenda.web import db_session, state
from agenda.web.links.display import initiative_links_context
from agenda.web.public.listing import Pager, commune_options, current_region, request_page
from agenda.web.public.pages import PageLinks, page_links
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import N_, theme_label
from agenda.web.shared.links import http_url

bp = Blueprint("initiatives", __name__)

PER_PAGE = 30
STATUSES = {"project": N_("Project"), "active": N_("Active"), "ended": N_("Ended")}
_ID = re.compile(r"[0-9a-f]{1,32}")


@bp.get("/initiatives/")
def initiative_list():
    theme, department, commune = request_choices()
    page = request_page()
    found = published_initiatives(db_session(), theme=theme, department=department,
                                  commune=commune)
    pager = Pager(page, PER_PAGE, len(found))
    region = current_region()
    return render_template(
        "initiatives/list.html", initiatives=found[(page - 1) * PER_PAGE:page * PER_PAGE],
        pager=pager, page_urls=page_urls(pager, theme, department, commune), theme=theme,
        department=department, commune=commune, statuses=STATUSES,
        communes=commune_options(region, communes_with_initiatives(db_session())),
        departments=[(d.code, f"{d.name} ({d.code})") for d in region.departments],
        themes=[(t.slug, theme_label(t)) for t in region.themes])


@bp.get("/initiatives/<initiative_id>")
def initiative(initiative_id: str):
    if not _ID.fullmatch(initiative_id):
        abort(404)
    try:
        found = get_initiative(db_session(), initiative_id)
    except NotFound:
        abort(404)
    if found.removed_at is not None:
        return render_template("error.html", status=410,
                               heading=gettext("Initiative withdrawn"), message=gettext(
            "This initiative is no longer published: it was withdrawn.")), 410
    return render_template("initiatives/initiative.html", initiative=found,
                           statuses=STATUSES, description=description_of(found),
                           links={"url": http_url(found.url),
                                  "actor": http_url(found.actor.website if found.actor
                                                    else None)},
                           zone=state().settings.tz, **initiative_links_context(found))


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return render_template("error.html", status=400,
                           message=translate_filter_error(str(error))), 400


def request_choices() -> tuple[str | None, str | None, str | None]:
    """The theme, the department and the commune asked for (each one at most); BadFilter when
    unknown."""
    wanted = {key: request.args.get(key, "") for key in ("theme", "dept", "commune")}
    filters = parse_filters({k: v for k, v in wanted.items() if v}, region=current_region())
    return ((filters.themes or (None,))[0], (filters.departments or (None,))[0],
            (filters.communes or (None,))[0])


def page_urls(pager: Pager, theme: str | None, department: str | None,
              commune: str | None = None) -> PageLinks:
    """Numbered pages of the list, with its filters."""
    args = {k: v for k, v in (("theme", theme), ("dept", department), ("commune", commune))
            if v}

    def url(page: int) -> str:
        return url_for("initiatives.initiative_list", **args,
                       **({"page": page} if page > 1 else {}))
    return page_links(pager.page, pager.pages, url)


def description_of(initiative: Initiative) -> Markup | None:
    """The description, sanitised again on the way out (it was when proposed)."""
    html = sanitize_description(initiative.description_html)
    return Markup(html) if html else None
