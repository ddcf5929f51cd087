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


WINTER, SUMMER = date(2026, 11, 14), date(2026, 6, 13)     # UTC+1, UTC+2


def written_as_utc(make_candidate, day, begin, end, **values):
    """A copy from a feed that wrote the local times as UTC."""
    return make_candidate(start=local(begin, day, timezone.utc), end=local(end, day, timezone.utc),
                          **values)


@pytest.mark.parametrize("day, shift", [(WINTER, 1), (SUMMER, 2)])
def test_local_times_written_as_utc_merge_when_all_else_agrees(make_candidate, day, shift):
    a = make_candidate(title="Ciné-débat « Ma part du gâteau »", start=local("20:00", day),
                       end=local("22:30", day))
    b = written_as_utc(make_candidate, day, "20:00", "22:30",
                       title="Ciné-débat Ma part du gâteau")
    assert b.start - a.start == timedelta(hours=shift) == b.end - a.end
    assert score(a, b) >= AUTO_MERGE
    assert score_pair(a, b, tz=PARIS) == score_pair(b, a, tz=PARIS)


def test_written_as_utc_at_one_venue_told_by_coordinates(make_candidate):
    a = make_candidate(title="Marché de producteurs locaux", start="16:00", end="19:30")
    b = written_as_utc(make_candidate, WINTER, "16:00", "19:30",
                       title="Marché des producteurs locaux", place_name="Place du marché")
    assert score(a, b) >= AUTO_MERGE


def test_written_as_utc_with_titles_said_otherwise_needs_the_same_link(make_candidate):
    url = "https://cress-centre.org/agenda/ma-part-du-gateau"
    a = make_candidate(title="Ciné-débat « Ma part du gâteau »", start="20:00", end="22:30")
    b = written_as_utc(make_candidate, WINTER, "20:00", "22:30",
                       title="Ma part du gâteau : projection et débat avec l'équipe")
    assert REVIEW <= score(a, b) < AUTO_MERGE
    with_link = make_candidate(title=a.title, start="20:00", end="22:30", url=url)
    b_with_link = written_as_utc(make_candidate, WINTER, "20:00", "22:30", title=b.title,
                                 url=url + "?utm_source=x")
    assert score(with_link, b_with_link) >= AUTO_MERGE


@pytest.mark.parametrize("changes", [
    dict(title="Visite guidée des serres"),                 # another title
    dict(end="23:00"),                                      # another length
    dict(place_name="Les Halles", lat=47.3905, lon=0.6790),  # another venue of the town
    dict(place_name=None, lat=None, lon=None),              # the venue unknown on one side
    dict(source_id=1),                                      # the same source, two UIDs
])
def test_a_start_one_utc_offset_away_otherwise_stays_in_review(make_candidate, changes):
    a = make_candidate(title="Visite guidée du jardin", start="20:00", end="22:30", source_id=1)
    values = dict(title="Visite guidée du jardin", source_id=2, end="22:30") | changes
    end = values.pop("end")
    b = written_as_utc(make_candidate, WINTER, "20:00", end, **values)
    assert score(a, b) < AUTO_MERGE


@pytest.mark.parametrize("day", [WINTER, SUMMER])
def test_sessions_that_follow_each_other_are_not_taken_for_the_utc_mistake(make_candidate, day):
    """Sessions of one series, each as long as the offset: the second starts as the first ends,
    as with a one-hour event written as UTC in winter.  Sessions never overlap; the mistake of
    an event longer than the offset does."""
    hour = 1 if day == WINTER else 2
    a = make_candidate(title="Visite guidée du jardin", start=local("14:00", day),
                       end=local("14:00", day) + timedelta(hours=hour))
    b = make_candidate(title="Visite guidée du jardin", start=a.end,
                       end=a.end + timedelta(hours=hour))
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


@pytest.mark.parametrize("city", ["Tours", "TOURS", "Saint-Pierre-des-Corps"])
def test_a_commune_known_on_one_side_and_named_on_the_other_may_merge(make_candidate, city):
    code = "37261" if city.casefold() == "tours" else "37233"
    a = make_candidate(title="Fresque du climat", commune_code=code, city=city.title())
    written = "St Pierre des Corps" if city.startswith("Saint") else city
    b = make_candidate(title="Fresque du Climat", commune_code=None, city=written,
                       place_name=None, lat=None, lon=None)
    assert score(a, b) >= AUTO_MERGE


@pytest.mark.parametrize("changes", [
    dict(city="Joué-lès-Tours"),           # another town named
    dict(department=None),                 # a town name alone: maybe another department's
    dict(place_name="Salle polyvalente"),  # the town agrees, the venue does not
])
def test_a_commune_named_otherwise_or_without_department_stays_in_review(make_candidate,
                                                                          changes):
    a = make_candidate(title="Fresque du climat")
    values = dict(commune_code=None, city="Tours", place_name=None, lat=None, lon=None)
    b = make_candidate(title="Fresque du climat", **(values | changes))
    assert score(a, b) < AUTO_MERGE


def test_a_film_shown_is_one_event_whatever_the_source_calls_it(make_candidate):
    a = make_candidate(title="Projection « Après demain »", start="20:30", end="23:00")
    b = make_candidate(title="Ciné-débat : Après-demain, de Cyril Dion", start="20:30",
                       end="23:00")
    other_film = make_candidate(title="Ciné-débat : Nos jours heureux", start="20:30",
                                end="23:00")
    assert score(a, b) >= AUTO_MERGE
    assert score(a, other_film) < AUTO_MERGE


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
