"""Pairs of events that may be one event announced twice: what matching found and what was
decided (see ``agenda.models.match``).  A pair is stored once, by its two event rows, the
smaller id first, so that a decision is found again whatever the order it is asked in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from agenda.models import Event, MatchPair

CHUNK = 500


@dataclass(frozen=True)
class PairView:
    """A pair in the review queue, with both events loaded (their source too)."""

    pair: MatchPair
    first: Event
    second: Event


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def pairs_touching(session: Session, event_ids: Iterable[str]) -> dict[tuple[str, str], MatchPair]:
    """The stored pairs with one of these events on either side, by (first id, second id)."""
    ids, found = sorted(set(event_ids)), {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = session.scalars(select(MatchPair).where(
            or_(MatchPair.first_id.in_(chunk), MatchPair.second_id.in_(chunk))))
        found.update(((pair.first_id, pair.second_id), pair) for pair in rows)
    return found


def save_pair(session: Session, a: str, b: str, *, score: float, reasons: dict, state: str,
              now: datetime, decided_by: str | None = None) -> MatchPair:
    """Store a new pair (a and b in any order)."""
    first, second = ordered(a, b)
    pair = MatchPair(first_id=first, second_id=second, score=round(score, 4), reasons=reasons,
                     state=state, created_at=now, decided_by=decided_by,
                     decided_at=now if decided_by else None)
    session.add(pair)
    return pair


def add_pairs(session: Session, pairs: list[dict], *, now: datetime) -> None:
    """Store many new pairs at once (dicts of ``save_pair``'s arguments, ``a`` and ``b``)."""
    rows = []
    for p in pairs:
        first, second = ordered(p["a"], p["b"])
        rows.append({"first_id": first, "second_id": second, "score": round(p["score"], 4),
                     "reasons": p["reasons"], "state": p["state"], "created_at": now,
                     "decided_by": p.get("decided_by"),
                     "decided_at": now if p.get("decided_by") else None})
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(MatchPair.__table__), rows[start:start + CHUNK])


def decide(pair: MatchPair, state: str, *, who: str, now: datetime) -> None:
    pair.state, pair.decided_by, pair.decided_at = state, who, now


def pair_between(session: Session, a: str, b: str) -> MatchPair | None:
    first, second = ordered(a, b)
    return session.scalars(select(MatchPair).where(
        MatchPair.first_id == first, MatchPair.second_id == second)).one_or_none()


def get_pair(session: Session, pair_id: int) -> MatchPair | None:
    return session.get(MatchPair, pair_id)


def _pending_query():
    first, second = aliased(Event), aliased(Event)
    return (select(MatchPair, first, second)
            .join(first, first.id == MatchPair.first_id)
            .join(second, second.id == MatchPair.second_id)
            .where(MatchPair.state == "pending", first.removed_at.is_(None),
                   second.removed_at.is_(None)))


def pending_pairs(session: Session, *, limit: int = 50, offset: int = 0) -> list[PairView]:
    """The pairs waiting for a staff decision (both events still published), the likeliest
    first."""
    query = (_pending_query().order_by(MatchPair.score.desc(), MatchPair.id)
             .limit(limit).offset(offset))
    return [PairView(pair, a, b) for pair, a, b in session.execute(query)]


def count_pending(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_pending_query().subquery())) or 0


def refused_pairs(session: Session, event_ids: Iterable[str]) -> set[tuple[str, str]]:
    """The pairs among these events that staff said are not the same event."""
    return {key for key, pair in pairs_touching(session, event_ids).items()
            if pair.state == "refused"}


def merged_pairs(session: Session, *, limit: int = 20) -> list[PairView]:
    """The latest merges (automatic or confirmed by staff), the latest first: what staff may
    want to split."""
    first, second = aliased(Event), aliased(Event)
    query = (select(MatchPair, first, second)
             .join(first, first.id == MatchPair.first_id)
             .join(second, second.id == MatchPair.second_id)
             .where(MatchPair.state == "merged")
             .order_by(MatchPair.decided_at.desc(), MatchPair.id.desc()).limit(limit))
    return [PairView(pair, a, b) for pair, a, b in session.execute(query)]
