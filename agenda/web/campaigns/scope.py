"""The ``campaign=<slug>`` filter of the listings and feeds: the campaign is looked up and its
scope (dates and rules, ``agenda.store.campaign_members``) put into the filters."""

from __future__ import annotations

from dataclasses import replace

from flask import request

from agenda.errors import NotFound
from agenda.listing.filters import BadFilter, Filters
from agenda.models import Campaign
from agenda.services.campaigns import SLUG
from agenda.store.campaign_members import CampaignScope, campaign_scope
from agenda.store.campaigns import get_campaign_by_slug
from agenda.web import db_session, state


def with_campaign(filters: Filters) -> Filters:
    """``filters`` with the campaign named by this request's ``campaign`` parameter (none when
    absent); BadFilter (a 400) when no campaign has that address."""
    slug = request.args.get("campaign", "").strip()
    if not slug:
        return filters
    try:
        if not SLUG.fullmatch(slug):
            raise NotFound("Not a campaign address.")
        campaign = get_campaign_by_slug(db_session(), slug)
    except NotFound:
        raise BadFilter(f"Unknown campaign '{slug[:80]}'.") from None
    return replace(filters, campaign=scope_of(campaign))


def scope_of(campaign: Campaign) -> CampaignScope:
    return campaign_scope(campaign, state().settings.tz)
