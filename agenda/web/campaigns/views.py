"""Campaigns in public: the list, a campaign's page (a portal: banner, counters that link to
the filtered listing, a button to propose an event for it, its subscribe box and its events),
the home page's announcement, and its own subscriptions: iCalendar, Atom, JSON (the formats,
caching and validators of ``/calendar.ics``, ``/feed.atom`` and ``/api/events``), CSV for the
national organisers and JSON in the shape of OpenAgenda's events.

A campaign's events are those of ``agenda.store.campaign_members`` (``Filters.campaign``): the
page, its counters and every export read them with the same filters, so they agree.  Its
listing covers the campaign's dates, widened to any of its events that fall outside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext

from agenda.errors import NotFound
from agenda.listing.filters import BadFilter, Filters, to_query
from agenda.listing.query import find_occurrences
from agenda.models import Campaign
from agenda.services.campaigns import SLUG
from agenda.store import campaigns as store
from agenda.store.campaign_members import (
    campaign_scope,
    member_counts,
    member_totals,
    members_span,
)
from agenda.web import db_session, state
from agenda.web.api.views import json_response
from agenda.web.campaigns.scope import scope_of
from agenda.web.public.listing import Pager, current_region, group_by_day, request_page
from agenda.web.public.pages import PageLinks, page_links
from agenda.web.public.window_words import window_label
from agenda.web.shared.dates import midnight, today_in
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import webcal_url

bp = Blueprint("campaigns", __name__)

PER_PAGE = 30
ANNOUNCE_DAYS = 30  # the home page announces a campaign starting within this many days


@dataclass(frozen=True)
class CounterLink:
    label: str
    count: int
    url: str


@bp.get("/campagnes/")
def campaign_list():
    session = db_session()
    tz = state().settings.tz
    campaigns = store.list_campaigns(session)
    counts = member_totals(session, [campaign_scope(c, tz) for c in campaigns], tz)
    return render_template("campaigns/list.html", campaigns=campaigns, today=today_in(tz),
                           counts=counts)


@bp.get("/campagnes/<slug>")
def campaign(slug: str):
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    page = request_page()
    tz = state().settings.tz
    window = page_window(filters)
    listing = find_occurrences(db_session(), filters, window=window, limit=PER_PAGE,
                               offset=(page - 1) * PER_PAGE)
    pager = Pager(page, PER_PAGE, listing.total)
    return render_template(
        "campaigns/campaign.html", campaign=campaign, listing=listing, pager=pager,
        days=group_by_day(listing.occurrences, tz, filters.start),
        page_urls=page_urls(campaign, pager), counters=counters(filters, window),
        links=feed_links(campaign), propose_url=propose_url(campaign, today_in(tz)),
        window_words=window_label(filters.start, filters.end), today=today_in(tz))


@bp.errorhandler(BadFilter)
def bad_parameter(error: BadFilter):
    """A bad ``page`` or ``per_page``: JSON for the JSON export, else the error page."""
    if request.endpoint == "campaigns.campaign_json":
        return json_response({"error": str(error)}, status=400)
    return render_template("error.html", status=400,
                           message=translate_filter_error(str(error))), 400


@dataclass(frozen=True)
class Announcement:
    campaign: Campaign
    running: bool
    propose_url: str | None


@bp.app_context_processor
def announcement_functions() -> dict:
    """``announced_campaign()`` for the home page: the campaign running today, else the next
    one starting within 30 days (None when neither); asked only by the pages that show it."""
    def announced_campaign() -> Announcement | None:
        today = today_in(state().settings.tz)
        found = store.running_or_next(db_session(), today, within_days=ANNOUNCE_DAYS)
        if found is None:
            return None
        return Announcement(found, found.starts_on <= today, propose_url(found, today))
    return {"announced_campaign": announced_campaign, "campaign_filter": campaign_filter}


@dataclass(frozen=True)
class CampaignFilter:
    name: str
    page_url: str
    without_url: str  # the same listing without the campaign filter


def campaign_filter(filters: Filters) -> CampaignFilter | None:
    """What a listing filtered by a campaign says of it (None when it is not)."""
    if filters.campaign is None:
        return None
    campaign = db_session().get(Campaign, filters.campaign.id)
    args: dict[str, list[str]] = {}
    for key, value in to_query(filters, campaign=None):
        args.setdefault(key, []).append(value)
    return CampaignFilter(campaign.name, url_for("campaigns.campaign", slug=campaign.slug),
                          url_for("public.home", **args))


def campaign_or_404(slug: str) -> Campaign:
    if not SLUG.fullmatch(slug):
        abort(404)
    try:
        return store.get_campaign_by_slug(db_session(), slug)
    except NotFound:
        abort(404)


def campaign_filters(campaign: Campaign) -> Filters:
    """The campaign's events over its dates, widened to those of its events outside them."""
    first, last = campaign.starts_on, campaign.ends_on
    scope = scope_of(campaign)
    span = members_span(db_session(), scope)
    if span is not None:
        tz = state().settings.tz
        first = min(first, span[0].astimezone(tz).date())
        last = max(last, (span[1] - timedelta(microseconds=1)).astimezone(tz).date())
    return Filters(start=first, end=last, campaign=scope)


def page_window(filters: Filters):
    tz = state().settings.tz
    return midnight(filters.start, tz), midnight(filters.end + timedelta(days=1), tz)


def counters(filters: Filters, window) -> dict[str, object]:
    """The number of events (and organisers), by department, theme and source: each a link
    to the listing of those events."""
    counts = member_counts(db_session(), filters.campaign, window)
    region = current_region()

    def listing(**more) -> str:
        return url_for("public.home", campaign=filters.campaign.slug,
                       **{"from": filters.start.isoformat(), "to": filters.end.isoformat()},
                       **more)
    return {
        "total": counts.total, "organisers": counts.organisers, "all_url": listing(),
        "department_count": sum(1 for code, _ in counts.departments if code),
        "departments": [CounterLink(_department_label(region, code), n,
                                listing(dept=code) if code else listing(mode="online"))
                        for code, n in counts.departments],
        "themes": [CounterLink(theme_label(region.theme(slug)), n, listing(theme=slug))
                   for slug, n in counts.themes if region.theme(slug)],
        "sources": [CounterLink(name, n, listing(source=source_id))
                    for source_id, name, n in counts.sources]}


def _department_label(region, code: str | None) -> str:
    department = region.department(code) if code else None
    if department is None:
        return gettext("Online or outside the region") if not code else code
    return f"{department.name} ({department.code})"


def page_urls(campaign: Campaign, pager: Pager) -> PageLinks:
    """Numbered pages of the campaign's events."""
    def url(page: int) -> str:
        return url_for("campaigns.campaign", slug=campaign.slug,
                       **({"page": page} if page > 1 else {}))
    return page_links(pager.page, pager.pages, url)


def feed_links(campaign: Campaign) -> dict[str, str]:
    def url(endpoint: str) -> str:
        return url_for(f"campaigns.{endpoint}", slug=campaign.slug, _external=True)
    ics = url("campaign_ics")
    return {"ics": ics, "webcal": webcal_url(ics), "atom": url("campaign_atom"),
            "json": url("campaign_json"), "csv": url("campaign_csv_export"),
            "openagenda": url("campaign_openagenda")}


def propose_url(campaign: Campaign, today: date) -> str | None:
    """The form's address with the campaign preselected, while the campaign is not over."""
    if campaign.ends_on < today:
        return None
    rule = next((r for r in current_app.url_map.iter_rules() if r.rule == "/submit"), None)
    return url_for(rule.endpoint, campagne=campaign.slug) if rule is not None else None


from agenda.web.campaigns import exports  # noqa: E402,F401  (its routes join this blueprint)
