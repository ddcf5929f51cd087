"""Every reader counts a merged event once: the listing and its facets, the export's choice of
events, campaign counters, the proposals' look-alikes, the sources offered as a filter; and
the store's view of copies (``agenda.store.event_copies``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from agenda.db import transaction
from agenda.export.selection import removed_event_ids
from agenda.listing.filters import Filters
from agenda.listing.query import (
    find_event_ids,
    find_occurrences,
    load_occurrences,
    published_among,
)
from agenda.models import Event
from agenda.store.campaign_members import (
    CampaignScope,
    campaign_scope,
    member_counts,
    preview_rules,
    set_pick,
)
from agenda.store.campaigns import create_campaign
from agenda.store.event_copies import MAX_HOPS, copies_by_event, copies_of, listed_event_id
from agenda.store.lookalikes import events_starting_between
from agenda.store.sources import sources_with_events
from tests.store.merged import NOW, PARIS, add_events, forum, merge_into

WINDOW = (datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc))
NOVEMBER = CampaignScope(id=None, slug="mois-ess", start_at=WINDOW[0], end_at=WINDOW[1],
                         themes=("emploi-insertion",))


@pytest.fixture
def merged(factory):
    """The forum announced by the organiser (listed) and by the CRESS (a copy), and another
    event of the organiser."""
    listed, other = add_events(factory, "Organisateur", [
        forum("forum-1"), forum("atelier", "Atelier compta", day=25)])
    copy, = add_events(factory, "CRESS", [forum("cress-forum", "Forum ESS 2026",
                                                url="https://cress.example.org/forum")],
                       actor_name="CRESS Centre", actor_website="https://cress.example.org/")
    merge_into(factory, copy, listed)
    return {"listed": listed, "copy": copy, "other": other}


def test_the_listing_shows_counts_and_facets_a_merged_event_once(factory, merged):
    with transaction(factory) as session:
        found = find_occurrences(session, Filters(), window=WINDOW, with_facets=True)
        assert sorted(o.event_id for o in found.occurrences) == sorted(
            [merged["listed"], merged["other"]])
        assert (found.total, found.events) == (2, 2)
        assert dict(found.facets["departments"]) == {"45": 2}
        assert dict(found.facets["themes"]) == {"emploi-insertion": 2}
        words = find_occurrences(session, Filters(q="forum"), window=WINDOW)
        assert [o.event_id for o in words.occurrences] == [merged["listed"]]


def test_exports_pick_the_listed_event_not_its_copy(factory, merged):
    with transaction(factory) as session:
        assert merged["copy"] not in find_event_ids(session, Filters(), window=WINDOW)
        assert merged["copy"] not in find_event_ids(session, Filters(), window=WINDOW, limit=5)


def test_a_stale_index_never_brings_a_copy_back(factory, merged):
    """The index may still hold the copy: what it answers is checked against the database."""
    ids = [merged["copy"], merged["listed"], merged["other"]]
    with transaction(factory) as session:
        assert published_among(session, ids) == [merged["listed"], merged["other"]]
        start = int(datetime(2026, 11, 24, 17, 0, tzinfo=timezone.utc).timestamp())
        kept = load_occurrences(session, [(merged["copy"], start), (merged["listed"], start)])
        assert [o.event_id for o in kept] == [merged["listed"]]


def test_a_copy_goes_out_cancelled_for_the_grace_period_after_its_merge(factory, merged):
    window = WINDOW
    with transaction(factory) as session:
        recent = removed_event_ids(session, Filters(), window=window,
                                   cutoff=NOW - timedelta(days=30))
        assert recent == [merged["copy"]]
        assert removed_event_ids(session, Filters(q="forum"), window=window,
                                 cutoff=NOW - timedelta(days=30)) == [merged["copy"]]
        assert removed_event_ids(session, Filters(), window=window,
                                 cutoff=NOW + timedelta(seconds=1)) == []


def test_campaign_counters_count_a_merged_event_once(factory, merged):
    with transaction(factory) as session:
        counts = member_counts(session, NOVEMBER, WINDOW)
        assert counts.total == 2
        assert [(name, n) for _id, name, n in counts.sources] == [("Organisateur", 2)]
        preview = preview_rules(session, NOVEMBER)
        assert (preview.matched, preview.in_dates) == (2, 2)


def test_a_proposal_is_compared_with_the_listed_event_only(factory, merged):
    with transaction(factory) as session:
        day = datetime(2026, 11, 24, tzinfo=timezone.utc)
        rows = events_starting_between(session, day, day + timedelta(days=1))
        assert [row.event_id for row in rows] == [merged["listed"]]


def test_a_source_whose_events_are_all_copies_is_not_offered_as_a_filter(factory, merged):
    with transaction(factory) as session:
        assert [name for _id, name in sources_with_events(session)] == ["Organisateur"]


def test_copies_of_names_each_origin_with_its_link(factory, merged):
    with transaction(factory) as session:
        copies = copies_of(session, merged["listed"])
        assert copies_of(session, merged["other"]) == []
        assert copies_of(session, merged["copy"]) == []
    assert len(copies) == 1
    copy = copies[0]
    assert (copy.event_id, copy.source_name, copy.source_kind) == (merged["copy"], "CRESS", "auto")
    assert (copy.url, copy.title) == ("https://cress.example.org/forum", "Forum ESS 2026")
    assert copy.site_url == "https://cress.example.org/"


def test_copies_are_read_for_a_whole_page_at_once(factory, merged):
    with transaction(factory) as session:
        found = copies_by_event(session, [merged["listed"], merged["other"], merged["copy"]])
    assert list(found) == [merged["listed"]]
    assert [c.event_id for c in found[merged["listed"]]] == [merged["copy"]]
    assert found[merged["listed"]][0].source_url == "http://127.0.0.1/CRESS.ics"


def test_a_copy_removed_by_its_source_no_longer_announces_the_event(factory, merged):
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.id == merged["copy"]).values(removed_at=NOW))
    with transaction(factory) as session:
        assert copies_of(session, merged["listed"]) == []


def test_the_listed_event_of_an_id(factory, merged):
    with transaction(factory) as session:
        assert listed_event_id(session, merged["copy"]) == merged["listed"]
        assert listed_event_id(session, merged["listed"]) == merged["listed"]
        assert listed_event_id(session, "0" * 32) is None


def test_a_looping_or_endless_chain_of_copies_is_not_followed(factory):
    ids = add_events(factory, "Réseau", [forum(f"f{n}", day=10 + n) for n in range(MAX_HOPS + 2)])
    for copy, listed in zip(ids, ids[1:]):
        merge_into(factory, copy, listed)
    with transaction(factory) as session:
        assert listed_event_id(session, ids[1]) == ids[-1]  # MAX_HOPS hops
        assert listed_event_id(session, ids[0]) is None  # one more
    merge_into(factory, ids[-1], ids[-2])  # a loop
    with transaction(factory) as session:
        assert listed_event_id(session, ids[-2]) is None


# --- A copy's campaign membership counts for the listed event --------------------------------

def _scope(session, **rules):
    campaign = create_campaign(session, slug="mois", name="Mois de l'ESS", now=NOW,
                               starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30),
                               **rules)
    return campaign, campaign_scope(campaign, PARIS)


def test_a_copy_proposed_for_a_campaign_brings_the_listed_event_into_it(factory, merged):
    with transaction(factory) as session:
        campaign, scope = _scope(session)
        session.execute(update(Event).where(Event.id == merged["copy"])
                        .values(campaign_id=campaign.id))
        counts = member_counts(session, scope, WINDOW)
        assert counts.total == 1 and counts.sources[0][1] == "Organisateur"


def test_a_copy_picked_by_hand_before_its_merge_keeps_the_event_in(factory, merged):
    with transaction(factory) as session:
        campaign, scope = _scope(session)
        set_pick(session, campaign.id, merged["copy"], included=True, user_id=None, now=NOW)
        assert member_counts(session, scope, WINDOW).total == 1


@pytest.mark.parametrize("rule", ["sources", "actors"])
def test_a_rule_naming_the_copys_source_or_actor_takes_the_listed_event(factory, merged,
                                                                        rule):
    with transaction(factory) as session:
        copy = session.get(Event, merged["copy"])
        value = copy.source_id if rule == "sources" else copy.source.actor_id
        _campaign, scope = _scope(session, **{f"rule_{rule}": [value]})
        counts = member_counts(session, scope, WINDOW)
        assert counts.total == 1 and counts.sources[0][1] == "Organisateur"
        assert preview_rules(session, scope).titles == [(merged["listed"], "Forum de l'ESS")]
