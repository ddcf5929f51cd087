"""Finding pairs among many candidates: what is never paired, the blocking, the verdicts and the
incremental run."""

from __future__ import annotations

from datetime import timedelta

from agenda.matching import AUTO_MERGE, REVIEW, Match, find_matches
from tests.matching.conftest import PARIS, local


def test_a_merge_and_a_review_with_their_verdicts(make_candidate):
    forum = [make_candidate(title="Forum de l'ESS", start="09:00", end="17:00"),
             make_candidate(title="Forum ESS 2026", start="09:00", end="17:00")]
    twice = [make_candidate(title="Atelier cuisine", source_id=9, source_uid="a"),
             make_candidate(title="Atelier cuisine", source_id=9, source_uid="b")]
    matches = find_matches(forum + twice, tz=PARIS)
    assert [(m.verdict, {m.first.key, m.second.key}) for m in matches] == [
        ("merge", {forum[0].key, forum[1].key}), ("review", {twice[0].key, twice[1].key})]
    assert all(isinstance(m, Match) for m in matches)
    assert matches[0].score >= AUTO_MERGE > matches[1].score >= REVIEW


def test_occurrences_of_one_event_are_never_paired(make_candidate):
    a = make_candidate(event_id="series")
    b = make_candidate(event_id="series", key="another occurrence")
    assert find_matches([a, b], tz=PARIS) == []


def test_master_and_override_of_one_uid_are_never_paired(make_candidate):
    a = make_candidate(source_id=4, source_uid="weekly@asso")
    b = make_candidate(source_id=4, source_uid="weekly@asso", event_id="override")
    assert find_matches([a, b], tz=PARIS) == []


def test_two_departments_are_never_compared(make_candidate):
    a = make_candidate()
    b = make_candidate(commune_code="41018", department="41", city="Blois", lat=47.586,
                       lon=1.336)
    assert find_matches([a, b], tz=PARIS) == []


def test_two_communes_of_one_department_only_through_the_same_title_and_start(make_candidate):
    joue = dict(commune_code="37122", city="Joué-lès-Tours", place_name="Espace Malraux",
                lat=47.347, lon=0.661)
    a = make_candidate(title="Salon des initiatives solidaires")
    same = make_candidate(title="Salon des initiatives solidaires", **joue)
    said_otherwise = make_candidate(title="Salon des initiatives solidaires et citoyennes",
                                    **joue)
    assert [m.verdict for m in find_matches([a, same], tz=PARIS)] == ["review"]
    assert find_matches([a, said_otherwise], tz=PARIS) == []


def test_two_local_days_are_never_compared(make_candidate):
    a = make_candidate(start="23:30", end="23:59")
    b = make_candidate(start=local("23:30") + timedelta(minutes=45),
                       end=local("23:30") + timedelta(minutes=90))
    assert find_matches([a, b], tz=PARIS) == []


def test_an_unknown_place_is_compared_through_its_title(make_candidate):
    nowhere = dict(commune_code=None, department=None, city=None, place_name=None,
                   address=None, lat=None, lon=None)
    known = make_candidate(title="Conférence sur la monnaie locale", start="19:00", end="21:00")
    proposal = make_candidate(title="Conférence : la monnaie locale", start="19:00",
                              end="21:00", **nowhere)
    other = make_candidate(title="Soirée contes", start="19:00", end="21:00", **nowhere)
    matches = find_matches([known, proposal, other], tz=PARIS)
    assert [{m.first.key, m.second.key} for m in matches] == [{known.key, proposal.key}]
    assert matches[0].verdict == "review"


def test_changed_limits_the_pairs_to_the_changed_events(make_candidate):
    old = [make_candidate(title="Repair café"), make_candidate(title="Repair café")]
    new = [make_candidate(title="Fresque du climat", start="18:30", end="21:30"),
           make_candidate(title="Fresque du Climat", start="18:30", end="21:30")]
    everything = old + new
    assert len(find_matches(everything, tz=PARIS)) == 2
    only_new = find_matches(everything, tz=PARIS, changed={new[0].event_id})
    assert [{m.first.key, m.second.key} for m in only_new] == [{new[0].key, new[1].key}]
    assert find_matches(everything, tz=PARIS, changed=set()) == []


def test_an_incremental_run_finds_what_the_full_run_finds_for_the_changed(make_candidate):
    towns = [("37261", "37", "Tours"), ("37122", "37", "Joué-lès-Tours"),
             ("45234", "45", "Orléans")]
    titles = ["Repair café", "Repair Café", "Fresque du climat", "Atelier vélo",
              "Atelier réparation de vélos", "Marché bio", "AG de l'AMAP"]
    candidates = []
    for n in range(300):
        code, department, city = towns[n % 3]
        hour = f"{9 + n % 4 * 3}:00"
        unknown = n % 17 == 0
        candidates.append(make_candidate(
            title=titles[n % 7], start=local(hour) + timedelta(days=n % 5),
            end=local(hour) + timedelta(days=n % 5, hours=2),
            commune_code=None if unknown else code, department=None if unknown else department,
            city=None if unknown else city, place_name=None, lat=None, lon=None))
    changed = {c.event_id for c in candidates[::10]}
    full = {_pair(m) for m in find_matches(candidates, tz=PARIS)
            if m.first.event_id in changed or m.second.event_id in changed}
    incremental = {_pair(m) for m in find_matches(candidates, tz=PARIS, changed=changed)}
    assert full
    assert full <= incremental
    assert all(any(c.event_id in changed for c in _sides(pair, candidates)) for pair in incremental)


def _pair(match):
    return frozenset((match.first.key, match.second.key))


def _sides(pair, candidates):
    return [c for c in candidates if c.key in pair]


def test_bad_times_never_crash(make_candidate):
    aware = make_candidate(title="Atelier vélo")
    naive = make_candidate(title="Atelier vélo", start=aware.start.replace(tzinfo=None),
                           end=aware.end.replace(tzinfo=None))
    backwards = make_candidate(title="Atelier vélo", end=aware.start - timedelta(hours=1))
    matches = find_matches([aware, naive, backwards], tz=PARIS)
    assert len(matches) == 3


def test_a_very_large_block_still_finds_its_pairs(make_candidate):
    """Five hundred events of one town on one day: compared through their rarest title words,
    the pairs that share a word are still found."""
    many = [make_candidate(title=f"Atelier thème{n} sujet{n}", start="10:00", end="12:00")
            for n in range(500)]
    twin = make_candidate(title="Atelier thème7 sujet7", start="10:00", end="12:00")
    matches = find_matches([*many, twin], tz=PARIS)
    assert {frozenset((m.first.key, m.second.key)) for m in matches} == {
        frozenset((many[7].key, twin.key))}


def test_sessions_of_two_sources_pair_each_with_its_own_time_first(make_candidate):
    """Two sessions of a visit (90 minutes, an hour apart) announced by two sources: the
    shifted pairs look like a feed's UTC mistake, but each session's copy at its own time
    scores higher, so merging best first (one source per cluster) keeps the sessions apart."""
    sessions = [make_candidate(title="Visite guidée du jardin", source_id=source,
                               start=start, end=end)
                for source in (4, 6) for start, end in (("14:00", "15:30"), ("15:00", "16:30"))]
    scores = {frozenset((m.first.key, m.second.key)): m.score
              for m in find_matches(sessions, tz=PARIS)}
    same_time = [scores[frozenset((sessions[i].key, sessions[i + 2].key))] for i in (0, 1)]
    shifted = [scores.get(frozenset((sessions[i].key, sessions[j].key)), 0.0)
               for i, j in ((0, 3), (1, 2))]
    assert min(same_time) >= AUTO_MERGE
    assert min(same_time) > max(shifted)


def test_two_shows_of_one_source_the_same_day_do_not_reach_the_review_queue(make_candidate):
    shows = [make_candidate(title="Théâtre : Les voisins", source_id=9, source_uid="14h",
                            start="14:00", end="15:30"),
             make_candidate(title="Théâtre : Les voisins", source_id=9, source_uid="16h",
                            start="16:00", end="17:30")]
    assert find_matches(shows, tz=PARIS) == []
    # from two sources, the same pair is shown to staff (a time mistake is possible)
    other = make_candidate(title="Théâtre : Les voisins", source_id=8, source_uid="x",
                           start="16:00", end="17:30")
    assert [m.verdict for m in find_matches([shows[0], other], tz=PARIS)] == ["review"]
