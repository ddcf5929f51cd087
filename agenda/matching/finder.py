"""Find the pairs of candidates that look like one real event, among many (pure).

Candidates are grouped by local start day, then blocked (:mod:`agenda.matching.blocking`); each
pair is scored once (:mod:`agenda.matching.score`), after two cheap title tests (a word in
common, then rapidfuzz's token set ratio).  Never paired: two occurrences of one event, or two
rows of one (source, UID) (a series' master and its override).  With ``changed``, only the days
holding a changed event are looked at, and only pairs with a changed side are scored: an
incremental collection costs what it changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta, timezone
from typing import Collection, Sequence
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from agenda.matching.blocking import day_pairs
from agenda.matching.candidate import Candidate, Match
from agenda.matching.score import (
    AUTO_MERGE,
    FAR_MINUTES,
    REVIEW,
    TITLE_FLOOR,
    Prepared,
    prepare,
    rounded,
    score_prepared,
)

FAR_APART = timedelta(minutes=FAR_MINUTES)


def find_matches(candidates: Sequence[Candidate], *, tz: ZoneInfo,
                 changed: Collection[str] | None = None) -> list[Match]:
    """Pairs scoring at least ``REVIEW``, best first; ``verdict`` "merge" from ``AUTO_MERGE``."""
    candidates = [_sane(c) for c in candidates]
    changed_ids = None if changed is None else frozenset(changed)
    if changed_ids is None:     # everything is compared: prepare everything at once
        prepared: list[Prepared | None] = [prepare(c) for c in candidates]
    else:                       # only what the changed events' days need
        prepared = [None] * len(candidates)

    def prepared_of(index: int) -> Prepared:
        found = prepared[index]
        if found is None:
            found = prepared[index] = prepare(candidates[index])
        return found

    def title_of(index: int) -> str:
        return prepared_of(index).title

    matches = []
    for members in _by_day(candidates, tz).values():
        wanted = None
        if changed_ids is not None:
            wanted = frozenset(i for i in members if candidates[i].event_id in changed_ids)
            if not wanted:
                continue
        for i, j in day_pairs(candidates, members, title_of, wanted):
            a, b = prepared[i] or prepared_of(i), prepared[j] or prepared_of(j)
            if a.words.isdisjoint(b.words) and (not a.url or a.url != b.url):
                continue
            match = _match(a, b, tz)
            if match is not None:
                matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.first.key, m.second.key))
    return matches


def _sane(candidate: Candidate) -> Candidate:
    """The candidate, or a copy whose times are usable: a naive time read as UTC, an end
    before the start taken as no end (bad input is never a crash)."""
    start, end = candidate.start, candidate.end
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    if end is None or end.tzinfo is None:
        end = start if end is None else end.replace(tzinfo=timezone.utc)
    if end < start:
        end = start
    if start is candidate.start and end is candidate.end:
        return candidate
    return replace(candidate, start=start, end=end)


def _by_day(candidates: Sequence[Candidate], tz: ZoneInfo) -> dict:
    days = defaultdict(list)
    for index, candidate in enumerate(candidates):
        days[candidate.start.astimezone(tz).date()].append(index)
    return days


def _match(a: Prepared, b: Prepared, tz: ZoneInfo) -> Match | None:
    first, second = a.candidate, b.candidate
    if not (first.all_day or second.all_day) and abs(first.start - second.start) > FAR_APART:
        return None           # the score would cap it below REVIEW
    same_url = bool(a.url) and a.url == b.url
    if not same_url and fuzz.token_set_ratio(a.title, b.title,
                                             score_cutoff=TITLE_FLOOR * 100) == 0:
        return None
    if first.event_id == second.event_id or (
            first.source_id == second.source_id and first.source_uid == second.source_uid):
        return None
    score, parts = score_prepared(a, b, tz=tz)
    if score < REVIEW:
        return None
    verdict = "merge" if score >= AUTO_MERGE else "review"
    return Match(first, second, round(score, 4), rounded(parts), verdict)
