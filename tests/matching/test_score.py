"""The score of one pair: each rule of the matcher on a pair built for it."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest

from agenda.matching import AUTO_MERGE, REVIEW, score_pair
from tests.matching.conftest import PARIS, local


def score(a, b):
    return score_pair(a, b, tz=PARIS)[0]


def test_the_same_event_from_two_sources_scores_a_merge(make_candidate):
    a = make_candidate(title="Forum de l'ESS de Tours", start="09:00", end="17:00")
    b = make_candidate(title="Forum ESS Tours 2026", start="09:00", end="17:00")
    value, parts = score_pair(a, b, tz=PARIS)
    assert value >= AUTO_MERGE
    assert set(parts) == {"title", "time", "place"}
    assert parts["title"] == 1.0


def test_the_score_is_symmetric(make_candidate):
    a = make_candidate(title="Atelier vélo", start="14:00", end="17:00")
    b = make_candidate(title="Atelier réparation de vélos", start="14:15", end=local("14:15"),
                       organizer="Roue libre")
    assert score_pair(a, b, tz=PARIS) == score_pair(b, a, tz=PARIS)


@pytest.mark.parametrize("first, second", [
    ("AG de l'association Les Jardins de Cocagne", "Assemblée générale - Jardins de Cocagne"),
    ("Petit déj' de l'ESS", "Petit-déjeuner de l'économie sociale et solidaire"),
    ("Découvrir les SCOP", "Découvrir les sociétés coopératives et participatives"),
    ("Répar'Café", "Repair Café"),
    ("🌱 GRATUIT - Atelier compostage !!", "Atelier compostage"),
])
def test_abbreviations_and_noise_do_not_keep_titles_apart(make_candidate, first, second):
    assert score(make_candidate(title=first), make_candidate(title=second)) >= AUTO_MERGE


def test_two_copies_from_one_source_with_two_uids_are_at_most_reviewed(make_candidate):
    a = make_candidate(source_id=3, source_uid="one")
    b = make_candidate(source_id=3, source_uid="two")
    assert REVIEW <= score(a, b) < AUTO_MERGE


def test_a_missing_end_is_hardly_held_against(make_candidate):
    a = make_candidate()
    b = make_candidate(end="14:00")
    assert score(a, b) >= AUTO_MERGE


@pytest.mark.parametrize("day, shift", [
    (date(2026, 11, 14), 1),    # winter: UTC+1
    (date(2026, 6, 13), 2),     # summer: UTC+2
])
def test_a_start_one_utc_offset_away_goes_to_review(make_candidate, day, shift):
    a = make_candidate(start=local("20:00", day), end=local("22:00", day))
    wrong = local("20:00", day, timezone.utc), local("22:00", day, timezone.utc)
    b = make_candidate(start=wrong[0], end=wrong[1])
    assert b.start - a.start == timedelta(hours=shift)
    assert REVIEW <= score(a, b) < AUTO_MERGE


def test_two_sessions_of_one_day_stay_apart(make_candidate):
    a = make_candidate(title="Visite de la ressourcerie", start="10:00", end="11:30")
    b = make_candidate(title="Visite de la ressourcerie", start="14:00", end="15:30")
    assert score(a, b) < REVIEW


def test_two_sessions_an_hour_apart_are_never_merged(make_candidate):
    a = make_candidate(title="Visite guidée du jardin", start="14:00", end="15:00")
    b = make_candidate(title="Visite guidée du jardin", start="15:00", end="16:00")
    assert score(a, b) < AUTO_MERGE


def test_a_festival_and_one_of_its_days_are_never_merged(make_candidate):
    start = local("00:00")
    a = make_candidate(title="Festival Alimenterre", all_day=True, start=start,
                       end=start + timedelta(days=3))
    b = make_candidate(title="Festival Alimenterre – journée d'ouverture", all_day=True,
                       start=start, end=start + timedelta(days=1))
    assert score(a, b) < AUTO_MERGE


def test_all_day_and_timed_the_same_day_may_merge(make_candidate):
    start = local("00:00")
    a = make_candidate(title="Portes ouvertes de la ressourcerie", all_day=True, start=start,
                       end=start + timedelta(days=1))
    b = make_candidate(title="Portes ouvertes de la ressourcerie", start="10:00", end="18:00")
    assert score(a, b) >= AUTO_MERGE


def test_two_events_at_one_place_and_time_stay_apart(make_candidate):
    a = make_candidate(title="Atelier compostage")
    b = make_candidate(title="Cours de yoga du rire")
    assert score(a, b) < REVIEW


def test_two_workshops_of_one_place_are_never_merged(make_candidate):
    a = make_candidate(title="Atelier vélo")
    b = make_candidate(title="Atelier couture")
    assert score(a, b) < AUTO_MERGE


def test_different_communes_are_never_merged(make_candidate):
    a = make_candidate()
    b = make_candidate(commune_code="37122", city="Joué-lès-Tours", place_name="Espace Malraux",
                       lat=47.347, lon=0.661)
    assert score(a, b) < AUTO_MERGE


def test_two_departments_stay_apart(make_candidate):
    a = make_candidate()
    b = make_candidate(commune_code="41018", department="41", city="Blois", place_name=None,
                       lat=47.586, lon=1.336)
    assert score(a, b) < REVIEW


def test_two_venues_of_one_commune_are_never_merged(make_candidate):
    a = make_candidate(title="Marché bio", place_name="Place de la Résistance", lat=47.3935,
                       lon=0.6880)
    b = make_candidate(title="Marché bio", place_name="Les Halles", lat=47.3905, lon=0.6790)
    assert score(a, b) < AUTO_MERGE


def test_a_commune_known_on_one_side_only_is_reviewed(make_candidate):
    a = make_candidate(title="Fresque du climat")
    b = make_candidate(title="Fresque du climat", commune_code=None, city=None, place_name=None,
                       lat=None, lon=None)
    assert REVIEW <= score(a, b) < AUTO_MERGE


def test_the_same_link_lifts_different_titles(make_candidate):
    url = "https://mois-ess.org/evenements/village-ess-tours"
    a = make_candidate(title="Mois de l'ESS 2026 – temps fort à Tours", url=url)
    b = make_candidate(title="Village de l'ESS", url=url.replace("https", "http") + "/?utm_source=x")
    without = make_candidate(title="Village de l'ESS")
    value, parts = score_pair(a, b, tz=PARIS)
    assert parts["url"] == 1.0
    assert value >= AUTO_MERGE > score(a, without)


def test_organisers_apart_count_against(make_candidate):
    a = make_candidate(organizer="Zéro Déchet Touraine")
    same = make_candidate(organizer="Association Zero Dechet Touraine")
    other = make_candidate(organizer="Les Petits Débrouillards")
    assert score_pair(a, same, tz=PARIS)[1]["organizer"] == 1.0
    assert score(a, other) < score(a, same)


def test_online_copies_are_at_one_place(make_candidate):
    online = dict(online=True, commune_code=None, department=None, city=None, place_name=None,
                  address=None, lat=None, lon=None)
    a = make_candidate(title="Webinaire : créer une SCOP", **online)
    b = make_candidate(title="Créer une SCOP (en ligne)", **online)
    assert score_pair(a, b, tz=PARIS)[1]["place"] == 1.0
    assert score(a, b) >= AUTO_MERGE


@pytest.mark.parametrize("title", ["", "!!!", "2026", "🌱🌱"])
def test_titles_without_words_never_crash_nor_match(make_candidate, title):
    assert score(make_candidate(title=title), make_candidate(title=title)) < REVIEW
