"""Staff who paste the old address of a merged copy into a campaign's picks pick the listed
event (the one shown and counted), never the copy."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Campaign, CampaignPick, Event, User
from agenda.services.accounts import create_user
from agenda.services.campaign_picks import PickRefused, pick_event
from agenda.store.campaigns import create_campaign
from tests.store.merged import NOW, add_events, forum, merge_into


@pytest.fixture
def merged(factory):
    listed, = add_events(factory, "Organisateur", [forum("forum")])
    copy, = add_events(factory, "CRESS", [forum("cress-forum", "Forum ESS")])
    merge_into(factory, copy, listed)
    with transaction(factory) as session:
        create_user(session, email="staff@region.example", password="un mot de passe long",
                    role="staff", now=NOW)
        campaign = create_campaign(session, slug="mois-ess", name="Mois de l'ESS",
                                   starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30),
                                   now=NOW)
    return {"listed": listed, "copy": copy, "campaign_id": campaign.id}


def test_picking_a_copys_address_picks_the_listed_event(factory, merged):
    with transaction(factory) as session:
        campaign = session.get(Campaign, merged["campaign_id"])
        user = session.scalar(select(User))
        event = pick_event(session, campaign, f"https://agenda.example/evenements/"
                           f"{merged['copy']}/2026-11-24", included=True, user=user, now=NOW)
        assert event.id == merged["listed"]
    with transaction(factory) as session:
        assert list(session.scalars(select(CampaignPick.event_id))) == [merged["listed"]]


def test_a_copy_of_a_removed_event_cannot_be_picked(factory, merged):
    with transaction(factory) as session:
        session.get(Event, merged["listed"]).removed_at = NOW
    with transaction(factory) as session:
        campaign, user = session.get(Campaign, merged["campaign_id"]), session.scalar(select(User))
        with pytest.raises(PickRefused):
            pick_event(session, campaign, merged["copy"], included=True, user=user, now=NOW)
