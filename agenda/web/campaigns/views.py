"""Campaigns in public: the list, a campaign's page (its events, counters by department and
theme), and its own subscriptions: iCalendar, Atom, JSON (the formats, caching and validators
of ``/calendar.ics``, ``/feed.atom`` and ``/api/events``) and CSV for the national organisers.

A campaign's events are those published with its id (``Filters.campaign``); its listing covers
the campaign's dates, widened to any of its events that fall outside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext

from agenda.errors import NotFound
from agenda.export.campaign_csv import campaign_csv
from agenda.export.subscription import FeedLinks, atom_for, calendar_for
from agenda.listing.filters import BadFilter, Filters
from agenda.listing.query import find_occurrences
from agenda.models import Campaign
from agenda.services.campaigns import SLUG
from agenda.store import campaigns as store
from agenda.store.campaign_members import members_span
from agenda.web import db_session, state
from agenda.web.api.views import cached_json, events_document, json_response
from agenda.web.campaigns.scope import scope_of
from agenda.web.feeds.views import (
    ATOM_TYPE,
    ICS_TYPE,
    cached_response,
    event_page_url,
    export_state,
)
from agenda.web.public.listing import Pager, current_region, group_by_day, request_page
from agenda.web.shared.dates import midnight, today_in
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import webcal_url

bp = Blueprint("campaigns", __name__)

CSV_TYPE = "text/csv; charset=utf-8"
PER_PAGE = 30


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@bp.get("/campagnes/")
def campaign_list():
    session = db_session()
    today = today_in(state().settings.tz)
    campaigns = store.list_campaigns(session)
    return render_template("campaigns/list.html", campaigns=campaigns, today=today,
                           counts=store.event_counts(session))


@bp.get("/campagnes/<slug>")
def campaign(slug: str):
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    page = request_page()
    tz = state().settings.tz
    window = (midnight(filters.start, tz), midnight(filters.end + timedelta(days=1), tz))
    listing = find_occurrences(db_session(), filters, window=window, limit=PER_PAGE,
                               offset=(page - 1) * PER_PAGE)
    pager = Pager(page, PER_PAGE, listing.total)
    return render_template(
        "campaigns/campaign.html", campaign=campaign, listing=listing, pager=pager,
        days=group_by_day(listing.occurrences, tz, filters.start),
        page_urls=page_urls(campaign, pager), counters=counters(campaign),
        links=feed_links(campaign), propose_url=propose_url(campaign, today_in(tz)))


@bp.get("/campagnes/<slug>.ics")
def campaign_ics(slug: str):
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    exporter = export_state().exporter

    def build(session, today) -> bytes:
        return calendar_for(session, filters, today=today, exporter=exporter,
                            title=campaign.name)

    return cached_response("ics", filters, build, ICS_TYPE,
                           {"Content-Disposition": f'inline; filename="{campaign.slug}.ics"'})


@bp.get("/campagnes/<slug>.atom")
def campaign_atom(slug: str):
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    exporter = export_state().exporter
    links = FeedLinks(
        self_url=url_for("campaigns.campaign_atom", slug=campaign.slug, _external=True),
        alternate_url=url_for("campaigns.campaign", slug=campaign.slug, _external=True),
        page_url=event_page_url)

    def build(session, today) -> bytes:
        return atom_for(session, filters, today=today, exporter=exporter, links=links,
                        updated=exporter.midnight(today), title=campaign.name)

    return cached_response("atom", filters, build, ATOM_TYPE, host=request.host_url)


@bp.get("/campagnes/<slug>.json")
def campaign_json(slug: str):
    """The campaign's occurrences as ``/api/events`` gives them (same shape and paging)."""
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    return cached_json({"campaign": {"slug": campaign.slug, "name": campaign.name},
                        **events_document(filters, filters.start, filters.end)})


@bp.get("/campagnes/<slug>.csv")
def campaign_csv_export(slug: str):
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    exporter = export_state().exporter

    def build(session, _today) -> bytes:
        return campaign_csv(store.export_rows(session, campaign.id), region=exporter.region,
                            tz=exporter.tz, page_url=event_page_url)

    return cached_response("csv", filters, build, CSV_TYPE, {
        "Content-Disposition": f'attachment; filename="{campaign.slug}.csv"'},
        host=request.host_url)


@bp.errorhandler(BadFilter)
def bad_parameter(error: BadFilter):
    """A bad ``page`` or ``per_page``: JSON for the JSON export, else the error page."""
    if request.endpoint == "campaigns.campaign_json":
        return json_response({"error": str(error)}, status=400)
    return render_template("error.html", status=400,
                           message=translate_filter_error(str(error))), 400


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


def counters(campaign: Campaign) -> dict[str, object]:
    """The number of events, by department (in the region's order of counts) and by theme."""
    session = db_session()
    region = current_region()
    departments = [
        Count(_department_label(region, code), count)
        for code, count in store.counts_by_department(session, campaign.id)]
    themes = [Count(theme_label(region.theme(slug)), count)
              for slug, count in store.counts_by_theme(session, campaign.id)
              if region.theme(slug)]
    return {"total": store.count_events(session, campaign.id), "departments": departments,
            "themes": themes}


def _department_label(region, code: str | None) -> str:
    department = region.department(code) if code else None
    if department is None:
        return gettext("Online or outside the region") if not code else code
    return f"{department.name} ({department.code})"


def page_urls(campaign: Campaign, pager: Pager) -> dict[str, str | None]:
    def url(page: int) -> str:
        return url_for("campaigns.campaign", slug=campaign.slug,
                       **({"page": page} if page > 1 else {}))
    return {"first": url(1), "previous": url(pager.page - 1) if pager.page > 1 else None,
            "next": url(pager.page + 1) if pager.page < pager.pages else None}


def feed_links(campaign: Campaign) -> dict[str, str]:
    def url(endpoint: str) -> str:
        return url_for(f"campaigns.{endpoint}", slug=campaign.slug, _external=True)
    ics = url("campaign_ics")
    return {"ics": ics, "webcal": webcal_url(ics), "atom": url("campaign_atom"),
            "json": url("campaign_json"), "csv": url("campaign_csv_export")}


def propose_url(campaign: Campaign, today: date) -> str | None:
    """The form's address while the campaign is not over (when the form is installed)."""
    if campaign.ends_on < today:
        return None
    rule = next((r for r in current_app.url_map.iter_rules() if r.rule == "/submit"), None)
    return url_for(rule.endpoint) if rule is not None else None
