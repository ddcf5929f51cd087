"""How alike two candidates are: a score from 0 to 1 and its parts, for showing staff why (pure).

The score weighs the folded titles (rapidfuzz), the start and end and the place, nudged by the
organisers and lifted by one same link; then *caps* keep out of the automatic merges what must
be seen by a person, whatever the score:

- two titles that each say something the other does not (two workshops at one place; apart
  when their organisers differ too);
- two copies from one source with different UIDs (only staff merge those);
- a start exactly the zone's UTC offset away (the classic mistake of a feed that wrote local
  times as UTC, or two sessions an hour apart), unless everything else says the mistake: the
  end shifted alike, so that the two copies overlap (sessions of one series at one place follow
  each other, they never overlap), the same title words, the same venue; or any start more
  than half an hour away;
- a different span (a festival and one of its days), an online copy of a physical event;
- two communes, two venues of one commune (names or coordinates apart), or a commune known on
  one side only with nothing else telling the place (the other side's town, written the same
  in the same department, tells it).

Below ``REVIEW`` nothing is returned: titles too far apart, starts more than three hours apart,
two departments.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from agenda.geography.names import fold as fold_town
from agenda.matching.blocking import department_of
from agenda.matching.candidate import Candidate
from agenda.matching.folding import fold_organizer, fold_place, fold_title, normalize_url

AUTO_MERGE = 0.85
REVIEW = 0.6
REVIEW_AT_MOST = AUTO_MERGE - 0.001   # a cap: may be reviewed, never merged by itself
APART = REVIEW - 0.001                # a cap: not returned at all
NO_CAP = 1.0

WEIGHTS = {"title": 0.5, "time": 0.3, "place": 0.2}
TITLE_FLOOR = 0.5     # below: apart (unless one same link)
SAME_NAME = 0.85      # place or organiser names this alike are the same
OTHER_NAME = 0.65     # below: two different places or organisers
NEAR_KM = 0.15
SAME_VENUE = 0.95     # a place part this high: one venue (its name, or coordinates this near)
FAR_KM = 2.0
HALF_HOUR = 30
FAR_MINUTES = 180


class Prepared(NamedTuple):
    """A candidate with the compare forms the blocking needs, computed once."""

    candidate: Candidate
    title: str
    words: frozenset[str]
    url: str


def prepare(candidate: Candidate) -> Prepared:
    title = fold_title(candidate.title, candidate.city)
    url = normalize_url(candidate.url) if candidate.url else ""
    return Prepared(candidate, title, frozenset(title.split()), url)


def score_pair(a: Candidate, b: Candidate, *, tz: ZoneInfo) -> tuple[float, dict[str, float]]:
    """The score of two candidates and its parts (title, time, place, and organizer and url
    when both sides know them).  Who may be paired at all (never two occurrences of one
    event) is :func:`agenda.matching.find_matches`'s business."""
    score, parts = score_prepared(prepare(a), prepare(b), tz=tz)
    return round(score, 4), rounded(parts)


def rounded(parts: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 4) for name, value in parts.items()}


def score_prepared(a: Prepared, b: Prepared, *, tz: ZoneInfo) -> tuple[float, dict[str, float]]:
    title = title_similarity(a.title, b.title)
    time, time_cap = time_closeness(a.candidate, b.candidate, tz)
    place, place_cap = place_closeness(a, b)
    parts = {"title": title, "time": time, "place": place}
    score = sum(WEIGHTS[name] * parts[name] for name in WEIGHTS)
    organizers = _organizer(a.candidate), _organizer(b.candidate)
    if all(organizers):
        parts["organizer"] = organizer = _ratio(fuzz.token_set_ratio, *organizers)
        score += 0.05 if organizer >= SAME_NAME else -0.1 if organizer < OTHER_NAME else 0.0
    same_url = bool(a.url) and a.url == b.url
    if a.url and b.url:
        parts["url"] = 1.0 if same_url else 0.0
    if same_url:
        score += (1.0 - score) * 0.6
    if time_cap < NO_CAP and _written_as_utc(a, b, tz, title, place, parts):
        time_cap = NO_CAP
    cap = min(time_cap, place_cap, _title_cap(title, same_url))
    if not same_url and _each_says_more(a.title, b.title):
        other_organizer = parts.get("organizer", 1.0) < OTHER_NAME
        cap = min(cap, APART if other_organizer else REVIEW_AT_MOST)
    cap = min(cap, _source_cap(a, b, min(score, cap)))
    return max(0.0, min(score, cap)), parts


def title_similarity(a: str, b: str) -> float:
    """1 for the same words; a title contained in the other scores high (a subtitle, the town
    added); two titles that share some words and each add their own score lower."""
    if not a or not b:
        return 0.0
    whole = fuzz.token_set_ratio(a, b)
    ordered = fuzz.token_sort_ratio(a, b)
    if whole >= 100:
        return (90.0 + ordered / 10.0) / 100.0
    return (0.5 * whole + 0.5 * ordered) / 100.0


def _organizer(candidate: Candidate) -> str:
    return fold_organizer(candidate.organizer, candidate.city) if candidate.organizer else ""


def _place(candidate: Candidate) -> str:
    return fold_place(candidate.place_name, candidate.city) if candidate.place_name else ""


def _each_says_more(a: str, b: str) -> bool:
    """Each title has words of its own, unlike the other's ("atelier vélo", "atelier couture";
    two round tables of one forum): maybe two events at one place and time."""
    words_a, words_b = set(a.split()), set(b.split())
    own_a, own_b = words_a - words_b, words_b - words_a
    if not own_a or not own_b:
        return False
    return fuzz.token_sort_ratio(" ".join(own_a), " ".join(own_b)) < 50


def _written_as_utc(a: Prepared, b: Prepared, tz: ZoneInfo, title: float, place: float,
                    parts: dict[str, float]) -> bool:
    """One copy is the other with local times written as UTC, not another session: both times
    shifted by the zone's offset (:func:`_utc_slip`), the same title words (or titles this
    alike with the same link or organiser), the same venue (name or coordinates) or both
    online.  (Two copies of one source stay capped by :func:`_source_cap`.)"""
    if not _utc_slip(a.candidate, b.candidate, tz) or place < SAME_VENUE:
        return False
    if a.words == b.words:
        return True
    vouched = parts.get("url") == 1.0 or parts.get("organizer", 0.0) >= SAME_NAME
    return vouched and title >= SAME_NAME


def _utc_slip(a: Candidate, b: Candidate, tz: ZoneInfo) -> bool:
    """Start and end both exactly the zone's UTC offset apart, and the two copies overlapping
    (the event lasts longer than the offset): the shape of the UTC mistake.  Two sessions of one
    series that follow each other (the second starting as the first ends) have the shape too
    when they last the offset exactly, so that is not taken for the mistake."""
    if a.all_day or b.all_day or a.end <= a.start or b.end <= b.start:
        return False
    shift = b.start - a.start
    if b.end - a.end != shift or not shift:
        return False
    minutes = abs(shift.total_seconds()) / 60
    lasts = (a.end - a.start).total_seconds() / 60
    return minutes in _offsets_minutes(a, b, tz) and lasts > minutes


def _title_cap(title: float, same_url: bool) -> float:
    if same_url:      # one page of one event: the titles may say it differently
        return NO_CAP if title >= 0.3 else REVIEW_AT_MOST
    return NO_CAP if title >= TITLE_FLOOR else APART


def _source_cap(a: Prepared, b: Prepared, score: float) -> float:
    """Two events of one source (two UIDs) are never merged without staff, and are shown to
    staff only when they would have merged from two sources: a source's own sessions of one
    day (two shows, a morning and an afternoon) would fill the review queue otherwise."""
    if a.candidate.source_id != b.candidate.source_id:
        return NO_CAP
    return REVIEW_AT_MOST if score >= AUTO_MERGE else APART


def _ratio(scorer, a: str, b: str) -> float:
    return scorer(a, b) / 100.0


def time_closeness(a: Candidate, b: Candidate, tz: ZoneInfo) -> tuple[float, float]:
    """How close the two times are, and the cap they put on the score."""
    if a.all_day and b.all_day:
        same_span = _local_days(a, tz) == _local_days(b, tz)
        return (1.0, NO_CAP) if same_span else (0.3, REVIEW_AT_MOST)
    if a.all_day or b.all_day:
        whole, timed = (a, b) if a.all_day else (b, a)
        if _several_days(whole, tz) or _several_days(timed, tz):
            return 0.3, REVIEW_AT_MOST
        return 0.75, NO_CAP
    return _timed_closeness(a, b, tz)


def _timed_closeness(a: Candidate, b: Candidate, tz: ZoneInfo) -> tuple[float, float]:
    minutes = abs((a.start - b.start).total_seconds()) / 60
    offset_mistake = 0 < minutes <= 180 and minutes in _offsets_minutes(a, b, tz)
    start = _start_closeness(minutes, offset_mistake)
    cap = REVIEW_AT_MOST if minutes > HALF_HOUR or offset_mistake else NO_CAP
    if minutes > FAR_MINUTES and not offset_mistake:
        cap = APART
    end, end_cap = _end_closeness(a, b, offset_mistake)
    return 0.7 * start + 0.3 * end, min(cap, end_cap)


def _start_closeness(minutes: float, offset_mistake: bool) -> float:
    if offset_mistake:
        return 0.6
    for limit, value in ((0, 1.0), (15, 0.9), (30, 0.75), (60, 0.4), (120, 0.2)):
        if minutes <= limit:
            return value
    return 0.0


def _end_closeness(a: Candidate, b: Candidate, offset_mistake: bool) -> tuple[float, float]:
    if a.end <= a.start or b.end <= b.start:
        return 0.9, NO_CAP        # one side gave no end: says little either way
    if offset_mistake:
        gap = abs((a.end - a.start) - (b.end - b.start))
    else:
        gap = abs(a.end - b.end)
    minutes = gap.total_seconds() / 60
    if minutes >= 12 * 60:
        return 0.0, REVIEW_AT_MOST   # a span of days against a few hours
    for limit, value in ((30, 1.0), (60, 0.85), (180, 0.6)):
        if minutes <= limit:
            return value, NO_CAP
    return 0.2, NO_CAP


def _offsets_minutes(a: Candidate, b: Candidate, tz: ZoneInfo) -> set[float]:
    """The zone's UTC offsets (in minutes) at both starts: a start that far off is the mistake
    of a feed that wrote local times as UTC (or the reverse)."""
    found = set()
    for moment in (a.start, b.start):
        offset = moment.astimezone(tz).utcoffset() or timedelta(0)
        if offset:
            found.add(abs(offset.total_seconds()) / 60)
    return found


def _several_days(candidate: Candidate, tz: ZoneInfo) -> bool:
    first, last = _local_days(candidate, tz)
    return first != last


def _local_days(candidate: Candidate, tz: ZoneInfo) -> tuple:
    """The first and last local days covered (an all-day end is exclusive midnight)."""
    first = candidate.start.astimezone(tz).date()
    end = candidate.end
    if candidate.all_day and end > candidate.start:
        end = end - timedelta(seconds=1)
    return first, max(first, end.astimezone(tz).date())


def place_closeness(a: Prepared, b: Prepared) -> tuple[float, float]:
    """How surely the two are at one place, and the cap that puts on the score."""
    ca, cb = a.candidate, b.candidate
    if ca.online or cb.online:
        if ca.online and cb.online:
            return 1.0, NO_CAP
        return (0.5, REVIEW_AT_MOST) if _place_unknown(ca) or _place_unknown(cb) else (0.0, APART)
    department_a, department_b = department_of(ca), department_of(cb)
    if department_a and department_b and department_a != department_b:
        return 0.0, APART
    if ca.commune_code and cb.commune_code:
        if ca.commune_code != cb.commune_code:
            return 0.0, REVIEW_AT_MOST
        base, cap = 0.7, NO_CAP
    elif _town_named_alike(ca, cb, department_a, department_b):
        base, cap = 0.7, NO_CAP               # the other side's town names the same commune
    else:
        base, cap = 0.5, REVIEW_AT_MOST       # the commune is known on one side at most
    return _venue_closeness(a, b, base, cap)


def _venue_closeness(a: Prepared, b: Prepared, base: float, cap: float) -> tuple[float, float]:
    place_a, place_b = _place(a.candidate), _place(b.candidate)
    names = _ratio(fuzz.token_set_ratio, place_a, place_b) if place_a and place_b else None
    distance = _distance_km(a.candidate, b.candidate)
    far = distance is not None and distance > FAR_KM
    if names is not None and names >= SAME_NAME and not far:
        return 1.0, NO_CAP
    if distance is not None and distance <= NEAR_KM:
        return 0.95, NO_CAP
    if far or (names is not None and names < OTHER_NAME):
        return 0.2, REVIEW_AT_MOST
    if distance is not None and distance <= 1.0:
        base += 0.1
    return base, cap


def _town_named_alike(a: Candidate, b: Candidate, department_a: str | None,
                      department_b: str | None) -> bool:
    """The commune is known on one side, and the other side's town is written the same (case,
    accents, hyphens, "St" aside) in the same department: one commune (two communes of one
    name in one department are rare; two departments are apart already)."""
    if bool(a.commune_code) == bool(b.commune_code) or not (department_a and department_b):
        return False
    town = fold_town(a.city)
    return bool(town) and town == fold_town(b.city)


def _place_unknown(candidate: Candidate) -> bool:
    return not (candidate.online or candidate.commune_code or candidate.department
                or candidate.place_name or candidate.lat is not None)


def _distance_km(a: Candidate, b: Candidate) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))
