"""Does a proposal look like an event already published, or another proposal still waiting?

Two things make a look-alike: the same day and a similar title (accents, case and small words
set aside, a typo or a plural forgiven), or the same place at the same start time.  A rejected
or cancelled proposal is never one (only pending proposals and published events are compared).

The comparison is pure (``lookalikes_among``); ``find_lookalikes`` gathers the candidates of the
proposal's first day from the store.  Nothing is merged: the staff are only told, with a link.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from difflib import SequenceMatcher
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agenda.models import Submission
from agenda.store.lookalikes import events_starting_between
from agenda.store.submissions import pending_queue

SMALL_WORDS = frozenset(
    "a au aux avec d de des du en et l la le les par pour sur un une "
    "an and at for in of on the to with".split())
SAME_WORD = 0.85      # two words this close are the same word misspelt ("repaire", "repair")
SAME_TITLE = 0.6      # share of the words in common (Jaccard) for two titles to look alike
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Candidate:
    """A published event's occurrence or a proposal, as the comparison needs it."""

    kind: str            # "event" or "proposal"
    key: str             # the event id or the proposal id
    title: str
    start: datetime      # UTC (an all-day one: local midnight)
    all_day: bool
    place: str           # folded place name, or address and town ("" when unknown)


@dataclass(frozen=True)
class Lookalike:
    kind: str            # "event" or "proposal"
    key: str
    title: str
    day: date            # its local start day (an event's page opens on that occurrence)
    reason: str          # "title" (same day, similar title) or "place" (same place and time)


def fold(text: str | None) -> str:
    """Lower case, without accents or punctuation: 'Répar’Café !' -> 'repar cafe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


def title_words(title: str) -> list[str]:
    """The words that carry a title's meaning, folded, plurals set aside."""
    words = [w for w in fold(title).split() if w not in SMALL_WORDS]
    return [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words]


def similar_titles(first: str, second: str) -> bool:
    a, b = title_words(first), title_words(second)
    if not a or not b:
        return bool(fold(first)) and fold(first) == fold(second)
    shorter, longer = sorted((set(a), set(b)), key=len)
    shared = sum(1 for word in shorter if any(_same_word(word, other) for other in longer))
    if len(shorter) >= 2 and shared == len(shorter):  # "Repair café" in "Repair café de Tours"
        return True
    return shared / (len(shorter) + len(longer) - shared) >= SAME_TITLE


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= SAME_WORD)


def place_key(name: str | None, address: str | None, city: str | None) -> str:
    """What identifies a place: its name, else its street address in its town."""
    if fold(name):
        return fold(name)
    return fold(f"{address} {city}") if fold(address) else ""


def lookalikes_among(proposal: Candidate, candidates: Iterable[Candidate], *,
                     tz: ZoneInfo) -> list[Lookalike]:
    """The candidates that look like ``proposal``, each once, title matches first."""
    day = local_day(proposal, tz)
    found: dict[tuple[str, str], Lookalike] = {}
    for other in candidates:
        if (other.kind, other.key) == (proposal.kind, proposal.key) or local_day(other, tz) != day:
            continue
        reason = _reason(proposal, other)
        if reason and (other.kind, other.key) not in found:
            found[(other.kind, other.key)] = Lookalike(other.kind, other.key, other.title, day,
                                                       reason)
    return sorted(found.values(), key=lambda found: found.reason != "title")


def _reason(proposal: Candidate, other: Candidate) -> str | None:
    if similar_titles(proposal.title, other.title):
        return "title"
    same_time = proposal.start == other.start and proposal.all_day == other.all_day
    if same_time and proposal.place and proposal.place == other.place:
        return "place"
    return None


def local_day(candidate: Candidate, tz: ZoneInfo) -> date:
    return candidate.start.astimezone(tz).date()


def proposal_candidate(submission: Submission, tz: ZoneInfo) -> Candidate | None:
    """An event proposal as a candidate (None for an initiative or a start that does not read)."""
    data = submission.data or {}
    if submission.kind != "event" or not data.get("start"):
        return None
    try:
        start = _start_instant(str(data["start"]), bool(data.get("all_day")), tz)
    except ValueError:
        return None
    return Candidate("proposal", str(submission.id), str(data.get("title") or ""), start,
                     bool(data.get("all_day")),
                     place_key(data.get("location_name"), data.get("address"), data.get("city")))


def _start_instant(value: str, all_day: bool, tz: ZoneInfo) -> datetime:
    if all_day or "T" not in value:
        moment = datetime.combine(date.fromisoformat(value[:10]), time.min)
    else:
        moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=tz).astimezone(timezone.utc)


def find_lookalikes(session: Session, submission: Submission, *, tz: ZoneInfo,
                    pending: list[Submission] | None = None) -> list[Lookalike]:
    """The published events and pending proposals that look like ``submission`` (its first
    day's).  ``pending`` saves a query when the caller has the queue already."""
    proposal = proposal_candidate(submission, tz)
    if proposal is None:
        return []
    day = local_day(proposal, tz)
    begin = datetime.combine(day, time.min, tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time.min, tz).astimezone(timezone.utc)
    events = [Candidate("event", row.event_id, row.title, row.start_at, row.all_day,
                        place_key(row.location_name, row.address, row.city))
              for row in events_starting_between(session, begin, end,
                                                 besides=submission.event_id)]
    others = pending if pending is not None else pending_queue(session)
    proposals = [c for s in others if s.status == "pending" and s.id != submission.id
                 and (c := proposal_candidate(s, tz)) is not None]
    return lookalikes_among(proposal, events + proposals, tz=tz)
