"""What the staff review of possible duplicates shows: each event of a pair as facts (dates in
the page's language, place and commune, organiser, source, links), the score in words and why
(the parts of the score as short phrases: "very close titles", "same commune", "same link")."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext, ngettext

from agenda.models import Event, MatchPair
from agenda.web.public.calendar_links import event_place
from agenda.web.shared.dates import when_text
from agenda.web.shared.i18n import N_
from agenda.web.shared.links import http_url

# The score in words: the review band runs from 0.6 to 0.85 (agenda.matching.score)
SCORE_WORDS = ((0.75, N_("very likely")), (0.65, N_("likely")), (0.0, N_("possible")))
SAME, CLOSE = 0.95, 0.6


@dataclass(frozen=True)
class EventFacts:
    event_id: str
    title: str
    when: str
    more_dates: str | None
    place: str
    commune: str | None
    organiser: str | None
    source: str
    page_url: str
    origin_url: str | None
    merged: bool  # already a copy of another listed event


@dataclass(frozen=True)
class PairCard:
    pair: MatchPair
    first: EventFacts
    second: EventFacts
    likelihood: str
    reasons: list[str]


def pair_card(pair: MatchPair, first: Event, second: Event, tz: ZoneInfo) -> PairCard:
    return PairCard(pair, event_facts(first, tz), event_facts(second, tz),
                    score_words(pair.score), pair_reasons(pair.reasons or {}, first, second))


def score_words(score: float) -> str:
    """'very likely', 'likely' or 'possible'."""
    return gettext(next(words for floor, words in SCORE_WORDS if score >= floor))


def event_facts(event: Event, tz: ZoneInfo) -> EventFacts:
    occurrences = list(event.occurrences)
    when = when_text(occurrences[0], tz) if occurrences else "—"
    others = len(occurrences) - 1
    more = ngettext("and %(num)d other date", "and %(num)d other dates", others) if others > 0 \
        else None
    return EventFacts(
        event_id=event.id, title=event.title, when=when, more_dates=more,
        place=event_place(event) or "—", commune=commune_of(event),
        organiser=event.organizer or None, source=event.source.name,
        page_url=url_for("public.event", event_id=event.id), origin_url=http_url(event.url),
        merged=event.duplicate_of is not None)


def commune_of(event: Event) -> str | None:
    """'Tours (37)', 'Tours', or None when the commune is not known."""
    if not event.commune_name:
        return None
    return f"{event.commune_name} ({event.department})" if event.department \
        else event.commune_name


def pair_reasons(parts: dict, first: Event, second: Event) -> list[str]:
    """Why the two may be one event (and what speaks against it), as short phrases."""
    return [gettext(phrase) for phrase in (
        _title_reason(parts.get("title")), _time_reason(parts.get("time")),
        _place_reason(parts.get("place"), first, second),
        _organiser_reason(parts.get("organizer")),
        N_("same link") if parts.get("url") == 1.0 else None,
        N_("same source") if first.source_id == second.source_id else None) if phrase]


def _title_reason(score: float | None) -> str | None:
    if score is None:
        return None
    if score >= 0.97:
        return N_("same title")
    if score >= 0.85:
        return N_("very close titles")
    return N_("close titles") if score >= 0.65 else N_("rather different titles")


def _time_reason(score: float | None) -> str | None:
    if score is None:
        return None
    if score >= SAME:
        return N_("same time")
    return N_("close times") if score >= CLOSE else N_("different times")


def _place_reason(score: float | None, first: Event, second: Event) -> str | None:
    if first.online_url and second.online_url and not (first.city or second.city):
        return N_("both online")
    if score is not None and score >= SAME:
        return N_("same place")
    if first.commune_code and second.commune_code:
        if first.commune_code != second.commune_code:
            return N_("different communes")
        return N_("same commune, different venues") if score is not None and score <= 0.2 \
            else N_("same commune")
    if first.commune_code or second.commune_code:
        return N_("commune known on one side only")
    return None


def _organiser_reason(score: float | None) -> str | None:
    if score is None:
        return None
    if score >= 0.85:
        return N_("same organiser")
    return N_("different organisers") if score < 0.5 else None
