"""A campaign's exports, on the ``campaigns`` blueprint: iCalendar, Atom, JSON (as
``/api/events``), CSV, and JSON in the shape of OpenAgenda's events.  They read the campaign's
events with the filters of its page (``campaign_filters``), so they hold the same events."""

from __future__ import annotations

import json

from flask import request, url_for

from agenda.export.campaign_csv import campaign_csv
from agenda.export.openagenda import openagenda_document
from agenda.export.subscription import FeedLinks, atom_for, calendar_for
from agenda.listing.query import find_event_ids, find_occurrences
from agenda.store import campaigns as store
from agenda.web.api.views import cached_json, events_document
from agenda.web.campaigns.views import bp, campaign_filters, campaign_or_404, page_window
from agenda.web.feeds.views import (
    ATOM_TYPE,
    ICS_TYPE,
    cached_response,
    event_page_url,
    export_state,
)

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
MOST_DATES = 20_000  # dates an OpenAgenda export lists at most


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
    window = page_window(filters)

    def build(session, _today) -> bytes:
        event_ids = find_event_ids(session, filters, window=window)
        return campaign_csv(store.export_rows(session, event_ids), region=exporter.region,
                            tz=exporter.tz, page_url=event_page_url)

    return cached_response("csv", filters, build, CSV_TYPE, {
        "Content-Disposition": f'attachment; filename="{campaign.slug}.csv"'},
        host=request.host_url)


@bp.get("/campagnes/<slug>.openagenda.json")
def campaign_openagenda(slug: str):
    """The campaign's events in the shape of OpenAgenda's API v2 (``agenda.export.openagenda``),
    each with the dates its page lists."""
    campaign = campaign_or_404(slug)
    filters = campaign_filters(campaign)
    exporter = export_state().exporter
    window = page_window(filters)

    def build(session, _today) -> bytes:
        listing = find_occurrences(session, filters, window=window, limit=MOST_DATES)
        by_event: dict = {}
        for occurrence in listing.occurrences:
            by_event.setdefault(occurrence.event_id, (occurrence.event, []))[1].append(occurrence)
        document = openagenda_document(by_event.values(), region=exporter.region,
                                       tz=exporter.tz, page_url=event_page_url)
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    return cached_response("openagenda", filters, build, JSON_TYPE, {
        "Content-Disposition": f'inline; filename="{campaign.slug}.openagenda.json"'},
        host=request.host_url)
