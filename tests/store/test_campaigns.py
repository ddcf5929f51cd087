"""Campaigns in the database: lookups, the counters of their events, the rows of their CSV
(which events belong to them: tests/web/test_campaign_rules.py)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.errors import NotFound
from agenda.listing.filters import Filters, parse_filters, to_query
from agenda.listing.query import find_event_ids, find_occurrences
from agenda.models import Submission
from agenda.store import campaigns as store
from agenda.store.campaign_members import (
    CampaignScope,
    campaign_scope,
    member_counts,
    member_totals,
    members_span,
)
from tests.export.collecting import REGION
from tests.web.campaign_data import MOIS_TITLES, store_campaigns


@pytest.fixture
def calendar(factory):
    return store_campaigns(factory)


def test_lookups(factory, calendar):
    with transaction(factory) as session:
        assert [c.slug for c in store.list_campaigns(session)] == ["semaine-velo",
                                                                   "mois-ess-2026"]
        assert store.campaign_covering(session, date(2026, 11, 18)).slug == "semaine-velo"
        assert store.campaign_covering(session, date(2026, 11, 30)).slug == "mois-ess-2026"
        assert store.campaign_covering(session, date(2026, 12, 1)) is None
        assert store.get_campaign_by_slug(session, "mois-ess-2026").id == calendar.mois_id
        with pytest.raises(NotFound):
            store.get_campaign_by_slug(session, "mois-ess-2025")


def test_slug_taken_except_by_the_campaign_itself(factory, calendar):
    with transaction(factory) as session:
        assert store.slug_taken(session, "mois-ess-2026")
        assert not store.slug_taken(session, "mois-ess-2026", except_id=calendar.mois_id)
        assert not store.slug_taken(session, "mois-ess-2027")


def test_update_changes_only_editable_fields(factory, calendar):
    with transaction(factory) as session:
        campaign = store.get_campaign(session, calendar.mois_id)
        store.update_campaign(session, campaign, name="Mois de l'ESS", ends_on=date(2026, 12, 1))
        with pytest.raises(ValueError):
            store.update_campaign(session, campaign, id=99)
    with transaction(factory) as session:
        campaign = store.get_campaign(session, calendar.mois_id)
        assert (campaign.name, campaign.ends_on) == ("Mois de l'ESS", date(2026, 12, 1))


PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = (datetime(2026, 10, 31, 23, tzinfo=timezone.utc),
            datetime(2026, 11, 30, 23, tzinfo=timezone.utc))


def scope(session, campaign_id: int) -> CampaignScope:
    return campaign_scope(store.get_campaign(session, campaign_id), PARIS)


def test_counters_count_published_uncancelled_events_of_the_campaign_only(factory, calendar):
    """Six events: the cancelled forum, the removed one, the other campaign's and the events of
    no campaign in the same dates are not counted."""
    with transaction(factory) as session:
        counts = member_counts(session, scope(session, calendar.mois_id), NOVEMBER)
        assert counts.total == 6
        assert counts.departments == [("37", 2), ("18", 1), ("41", 1), ("45", 1), (None, 1)]
        assert counts.themes == [
            ("reemploi", 2), ("finance-solidaire", 1), ("mobilite", 1), ("mois-ess", 1)]
        scopes = [scope(session, calendar.mois_id), scope(session, calendar.semaine_id)]
        assert member_totals(session, scopes, PARIS) == {calendar.mois_id: 6,
                                                         calendar.semaine_id: 1}


def test_counters_of_a_campaign_without_events(factory):
    with transaction(factory) as session:
        campaign = store.create_campaign(session, slug="vide", name="Vide",
                                         starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2),
                                         now=datetime(2026, 11, 21, tzinfo=timezone.utc))
        empty = campaign_scope(campaign, PARIS)
        counts = member_counts(session, empty, NOVEMBER)
        assert (counts.total, counts.departments, counts.themes) == (0, [], [])
        assert members_span(session, empty) is None
        assert store.export_rows(session, []) == []


def test_events_span_covers_the_published_occurrences(factory, calendar):
    with transaction(factory) as session:
        first, last = members_span(session, scope(session, calendar.mois_id))
    assert first == datetime(2026, 11, 12, 17, 0, tzinfo=timezone.utc)  # 18:00 in Paris
    assert last == datetime(2026, 11, 29, 23, 0, tzinfo=timezone.utc)  # the festival's end


def test_export_rows_by_start_with_the_approved_public_contact(factory, calendar):
    with transaction(factory) as session:
        session.add(Submission(
            reference="P-TEST01", secret_hash="0" * 64, kind="event", status="pending",
            data={"public_contact": "not-approved-yet@example.org"},
            published_data={"public_contact": "contact@repair.example.org"},
            contact_email="private@example.org", event_id=calendar.ids["Repair café"]))
    with transaction(factory) as session:
        filters = Filters(campaign=scope(session, calendar.mois_id))
        rows = store.export_rows(session, find_event_ids(session, filters, window=NOVEMBER))
        titles = [event.title for event, _ in rows]
        contacts = {event.title: contact for event, contact in rows}
    assert set(titles) == MOIS_TITLES
    assert titles[0] == "Atelier vélo" and titles[-1] == "Festival des solidarités"
    assert contacts["Repair café"] == "contact@repair.example.org"
    assert contacts["Conférence finance solidaire"] == ""


class RefusingIndex:
    """A search index that must not be asked: it knows nothing of campaigns."""

    def search(self, *args, **kwargs):
        raise AssertionError("the search index was asked about a campaign")

    event_ids = search


def test_a_campaign_s_listing_is_answered_from_sql(factory, calendar):
    window = (datetime(2026, 11, 1, tzinfo=timezone.utc),
              datetime(2026, 12, 1, tzinfo=timezone.utc))
    with transaction(factory) as session:
        filters = Filters(campaign=scope(session, calendar.mois_id))
        listing = find_occurrences(session, filters, window=window, search=RefusingIndex())
        ids = find_event_ids(session, filters, window=window, search=RefusingIndex())
        assert {o.event.title for o in listing.occurrences} == MOIS_TITLES
        assert {calendar.ids[t] for t in MOIS_TITLES} == set(ids)
        other = find_event_ids(session, Filters(campaign=scope(session, calendar.semaine_id)),
                               window=window)
        assert other == [calendar.ids["Balade à vélo"]]


def test_the_campaign_s_slug_is_part_of_the_filters_query_but_not_parsed_there(factory,
                                                                                calendar):
    """``campaign=<slug>`` is looked up by the web layer (agenda.web.campaigns.scope)."""
    with transaction(factory) as session:
        filters = Filters(campaign=scope(session, calendar.mois_id))
    assert ("campaign", "mois-ess-2026") in to_query(filters)
    assert parse_filters({"campaign": "mois-ess-2026"}, region=REGION).campaign is None
