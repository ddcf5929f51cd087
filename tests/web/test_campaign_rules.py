"""Which events belong to a campaign: those its rules match with a date in its dates (themes,
words, sources, actors, departments; any value of a kind, every kind), those proposed for it,
those staff added by hand (even outside the rules or the dates), never those staff excluded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids, find_occurrences
from agenda.models import Campaign, Event
from agenda.services.campaign_picks import event_id_from
from agenda.services.campaign_rules import CampaignRules, read_words
from agenda.services.campaigns import CampaignValues, check_values
from agenda.store.campaign_members import (
    campaign_scope,
    member_counts,
    preview_rules,
    set_pick,
)
from tests.export.collecting import REGION
from tests.web.campaign_rules_data import NOVEMBER_TITLES, store_rules_calendar
from tests.web.pages import NOW, PARIS

AUTUMN = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))


@pytest.fixture
def calendar(factory):
    return store_rules_calendar(factory)


def give_rules(factory, calendar, **rules) -> None:
    """Set the campaign's rules: kind -> values (sources and actors by their key)."""
    for kind in ("sources", "actors"):
        rules[kind] = [getattr(calendar, kind)[key] for key in rules.get(kind, [])]
    with transaction(factory) as session:
        campaign = session.get(Campaign, calendar.campaign_id)
        for kind, values in rules.items():
            setattr(campaign, f"rule_{kind}", list(values))


def members(factory, calendar) -> set[str]:
    """The titles of the campaign's events, asked over a window wider than its dates."""
    with transaction(factory) as session:
        scope = campaign_scope(session.get(Campaign, calendar.campaign_id), PARIS)
        ids = find_event_ids(session, Filters(campaign=scope), window=AUTUMN)
        return set(session.scalars(select(Event.title).where(Event.id.in_(ids))))


@pytest.mark.parametrize("rules, expected", [
    pytest.param({}, set(), id="no rule: nothing"),
    pytest.param({"themes": ["mois-ess"]}, {"Forum de l'emploi", "Permanence ESS"},
                 id="theme, in the dates only"),
    pytest.param({"themes": ["reemploi", "mobilite"]}, {"Repair café", "Atelier vélo"},
                 id="two themes: any"),
    pytest.param({"words": ["Mois de l'ESS"]}, {"Conférence du Mois de l'ESS"},
                 id="words in the title"),
    pytest.param({"words": ["objets cassés", "répar'37"]}, {"Repair café"},
                 id="words in the description or the organiser"),
    pytest.param({"sources": ["fabrique"]}, {"Repair café", "Atelier vélo"}, id="source"),
    pytest.param({"actors": ["cress"]}, {"Forum de l'emploi", "Conférence du Mois de l'ESS",
                                         "Webinaire finance", "Permanence ESS"}, id="actor"),
    pytest.param({"departments": ["41", "45"]}, {"Forum de l'emploi", "Permanence ESS",
                                                 "Conférence du Mois de l'ESS"},
                 id="departments"),
    pytest.param({"themes": ["mois-ess"], "departments": ["41"]}, {"Permanence ESS"},
                 id="theme and department: both"),
    pytest.param({"actors": ["fabrique"], "words": ["vélo"]}, {"Atelier vélo"},
                 id="actor and word: both"),
    pytest.param({"themes": ["mois-ess"], "sources": ["fabrique"]}, set(),
                 id="kinds that never meet: nothing"),
])
def test_rules_match_events_in_the_campaign_s_dates(factory, calendar, rules, expected):
    give_rules(factory, calendar, **rules)
    assert members(factory, calendar) == expected


def test_a_series_belongs_by_its_dates_in_the_campaign_and_lists_only_those(factory,
                                                                            calendar):
    give_rules(factory, calendar, themes=["mois-ess"])
    with transaction(factory) as session:
        scope = campaign_scope(session.get(Campaign, calendar.campaign_id), PARIS)
        listing = find_occurrences(session, Filters(campaign=scope), window=AUTUMN)
        days = sorted(o.start_at.astimezone(PARIS).date().isoformat()
                      for o in listing.occurrences if o.event.title == "Permanence ESS")
    assert days == ["2026-11-02", "2026-11-09"]  # not 26 October


def test_a_proposal_for_the_campaign_belongs_to_it_whatever_the_rules(factory, calendar):
    give_rules(factory, calendar, themes=["reemploi"])
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.id == calendar.ids["Marché de Noël solidaire"])
                        .values(campaign_id=calendar.campaign_id))
    assert members(factory, calendar) == {"Repair café", "Marché de Noël solidaire"}


@pytest.mark.parametrize("included, title, expected", [
    pytest.param(False, "Forum de l'emploi", {"Permanence ESS"}, id="excluded by hand"),
    pytest.param(True, "Marché de Noël solidaire",
                 {"Forum de l'emploi", "Permanence ESS", "Marché de Noël solidaire"},
                 id="added by hand outside the dates"),
    pytest.param(True, "Atelier vélo", {"Forum de l'emploi", "Permanence ESS", "Atelier vélo"},
                 id="added by hand outside the rules"),
])
def test_hand_picked_events(factory, calendar, included, title, expected):
    give_rules(factory, calendar, themes=["mois-ess"])
    with transaction(factory) as session:
        set_pick(session, calendar.campaign_id, calendar.ids[title], included=included,
                 user_id=None, now=NOW)
    assert members(factory, calendar) == expected


def test_an_exclusion_wins_over_a_proposal_for_the_campaign(factory, calendar):
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.id == calendar.ids["Repair café"])
                        .values(campaign_id=calendar.campaign_id))
        set_pick(session, calendar.campaign_id, calendar.ids["Repair café"], included=False,
                 user_id=None, now=NOW)
    assert members(factory, calendar) == set()


def test_a_newly_collected_matching_event_joins_without_anyone_acting(factory, calendar):
    from agenda.store.events import upsert_events
    from tests.web.campaign_rules_data import CRESS
    from tests.web.pages import timed

    give_rules(factory, calendar, themes=["mois-ess"])
    with transaction(factory) as session:
        upsert_events(session, calendar.sources["cress"],
                      [*CRESS, timed("nouveau", "Portes ouvertes", 27, themes=("mois-ess",))],
                      now=NOW, tz=PARIS)
    assert "Portes ouvertes" in members(factory, calendar)


def test_the_counters_count_uncancelled_events_once(factory, calendar):
    give_rules(factory, calendar, actors=["cress"])
    with transaction(factory) as session:
        scope = campaign_scope(session.get(Campaign, calendar.campaign_id), PARIS)
        counts = member_counts(session, scope, (scope.start_at, scope.end_at))
    assert counts.total == 3  # the cancelled webinar is not counted, the series once
    assert counts.departments == [("41", 2), ("45", 1)]
    assert counts.sources == [(calendar.sources["cress"], "Agenda de CRESS Centre-Val de Loire",
                               3)]


@pytest.mark.parametrize("rules, matched, nothing, everything", [
    pytest.param({"themes": ["habitat"]}, 0, True, False, id="matches nothing"),
    pytest.param({"themes": ["mois-ess"]}, 2, False, False, id="some"),
    pytest.param({"words": ["e"]}, 6, False, True, id="matches everything"),
])
def test_the_preview_says_when_rules_match_nothing_or_everything(factory, calendar, rules,
                                                                 matched, nothing, everything):
    give_rules(factory, calendar, **rules)
    with transaction(factory) as session:
        scope = campaign_scope(session.get(Campaign, calendar.campaign_id), PARIS)
        preview = preview_rules(session, scope)
    assert (preview.matched, preview.in_dates) == (matched, len(NOVEMBER_TITLES))
    assert (preview.matches_nothing, preview.matches_everything) == (nothing, everything)


@pytest.mark.parametrize("typed, words", [
    ("Mois de l'ESS\nESS ", ("Mois de l'ESS", "ESS")),
    ("économie sociale, solidaire; ", ("économie sociale", "solidaire")),
    ("\n \n", ()),
])
def test_words_are_read_one_per_line_or_separated_by_commas(typed, words):
    assert read_words(typed) == words


@pytest.mark.parametrize("typed, event_id", [
    ("https://agenda.example.org/evenements/abc123/2026-11-12", "abc123"),
    ("  abc123 ", "abc123"),
    ("https://agenda.example.org/campagnes/mois-ess", None),
    ("<script>", None),
    ("", None),
])
def test_the_event_is_found_in_what_staff_paste(typed, event_id):
    assert event_id_from(typed) == event_id


@pytest.mark.parametrize("changes, field", [
    ({"image_url": "http://example.org/affiche.png"}, "image_url"),
    ({"image_url": "https://example.org/une affiche.png"}, "image_url"),
    ({"image_url": "javascript:alert(1)"}, "image_url"),
    ({"banner_text": "x" * 301}, "banner_text"),
    ({"rules": CampaignRules(words=("e" * 101,))}, "rule_words"),
    ({"rules": CampaignRules(words=("x",))}, "rule_words"),
    ({"rules": CampaignRules(themes=("pas-un-theme",))}, "rule_themes"),
    ({"rules": CampaignRules(departments=("75",))}, "rule_departments"),
    ({"rules": CampaignRules(sources=(999,))}, "rule_sources"),
    ({"rules": CampaignRules(actors=(999,))}, "rule_actors"),
    ({"rules": CampaignRules(words=tuple(f"mot {n}" for n in range(31)))}, "rule_words"),
])
def test_bad_portal_or_rule_values_are_refused_by_field(factory, calendar, changes, field):
    values = replace(CampaignValues("Mois de l'ESS", "mois-bis", date(2026, 11, 1),
                                    date(2026, 11, 30)), **changes).cleaned()
    with transaction(factory) as session:
        assert list(check_values(session, values, region=REGION)) == [field]


def test_good_portal_and_rule_values_pass(factory, calendar):
    rules = CampaignRules(themes=("mois-ess",), words=("ESS",), departments=("45",),
                          sources=(calendar.sources["cress"],),
                          actors=(calendar.actors["cress"],))
    values = CampaignValues("Mois de l'ESS", "mois-bis", date(2026, 11, 1), date(2026, 11, 30),
                            banner_text="Un mois.", image_url="https://example.org/a.png",
                            rules=rules).cleaned()
    with transaction(factory) as session:
        assert check_values(session, values, region=REGION) == {}
