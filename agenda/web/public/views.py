"""Public pages: the upcoming events (with search and filters), the month, an event, the sources.

Every listing reads its filters from the URL (a GET form, no JavaScript), shows facet counts as
links and its subscription twins. A malformed filter is a 400 page, in the visitor's language,
with the form filled as it was sent.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import text

from agenda.listing.filters import BadFilter, default_window
from agenda.listing.query import find_occurrences
from agenda.store.sources import list_sources
from agenda.web import db_session, state
from agenda.web.public.cards import organiser_name, origin_of, summary_of
from agenda.web.public.event_page import event_page
from agenda.web.public.listing import (
    Pager,
    active_filters,
    current_region,
    facet_links,
    form_options,
    form_values,
    group_by_day,
    pager_urls,
    range_links,
    request_filters,
    request_page,
    subscription_links,
)
from agenda.web.public.month import BadMonth, month_page, this_month
from agenda.web.public.subscribe_links import subscribe_links
from agenda.web.public.window_words import window_label
from agenda.web.shared.dates import (
    day_label,
    hours_text,
    local_days,
    midnight,
    month_label,
    now_utc,
    stamp_label,
    time_label,
    today_in,
    when_text,
)
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import N_, theme_label
from agenda.web.shared.links import http_url

bp = Blueprint("public", __name__)
bp.add_url_rule("/mois", "this_month", this_month)
bp.add_url_rule("/mois/<month>", "month", month_page)
bp.add_url_rule("/evenements/<event_id>", "event", event_page)
bp.add_url_rule("/evenements/<event_id>/<day>", "occurrence", event_page)

bp.add_app_template_global(subscribe_links, "subscribe_links")

SOURCE_STATES = {"never": N_("not collected yet"), "ok": N_("working"), "error": N_("in error"),
                 "broken": N_("broken")}
HOME_DAYS = 365
PER_PAGE = 30


@bp.get("/")
def home():
    filters = request_filters()
    page = request_page()
    tz = state().settings.tz
    today = today_in(tz)
    first, last = default_window(filters, today, HOME_DAYS)
    # from this minute on (not this microsecond): the search remembers its answers by window,
    # so every visitor of the same minute gets the answer the first one's request made
    this_minute = now_utc().replace(second=0, microsecond=0)
    start = midnight(first, tz) if filters.start else max(midnight(first, tz), this_minute)
    window = (start, midnight(last + timedelta(days=1), tz))
    listing = find_occurrences(db_session(), filters, window=window, offset=(page - 1) * PER_PAGE,
                               limit=PER_PAGE, with_facets=True, search=state().search)
    pager = Pager(page, PER_PAGE, listing.total)
    by_relevance = filters.sort == "relevance" and bool(filters.q)
    return render_template(
        "public/home.html", filters=filters, listing=listing, first_day=first, last_day=last,
        days=[] if by_relevance else group_by_day(listing.occurrences, tz, first),
        pager=pager, page_urls=pager_urls(pager, filters, "public.home"),
        ranges=range_links(filters, today, "public.home"), active=active_filters(filters),
        window_label=window_label(filters.start, filters.end),
        facets=facet_links(filters, listing.facets, "public.home"),
        twins=subscription_links(filters), form=form_values(), options=form_options())


@bp.get("/sources")
def sources():
    return render_template("public/sources.html", sources=list_sources(db_session()),
                           source_states=SOURCE_STATES, stamp_label=stamp_label)


@bp.get("/healthz")
def healthz():
    db_session().execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    """A refused filter: the listing's form, filled as sent, with the reason (HTTP 400)."""
    on_month = request.endpoint == "public.month" and not isinstance(error, BadMonth)
    action = url_for(request.endpoint, **request.view_args) if on_month else url_for("public.home")
    return render_template("public/bad_request.html", message=translate_filter_error(str(error)),
                           action=action, show_dates=not on_month, form=form_values(),
                           options=form_options()), 400


@bp.app_context_processor
def page_functions() -> dict:
    """What the templates call to write dates, places and themes."""
    tz = state().settings.tz
    region = current_region()
    return {
        "region_name": region.name, "day_label": day_label, "month_label": month_label,
        "http_url": http_url, "start_day": lambda occurrence: local_days(occurrence, tz)[0],
        "hours_text": lambda occurrence: hours_text(occurrence, tz),
        "start_time": lambda occurrence: time_label(occurrence.start_at, tz),
        "when_text": lambda occurrence: when_text(occurrence, tz),
        "department_name": lambda code: (region.department(code).name
                                         if code and region.department(code) else code),
        "theme_name": lambda slug: theme_label(region.theme(slug)) if region.theme(slug) else None,
        "card_organiser": organiser_name, "card_origin": origin_of, "card_summary": summary_of,
    }
