"""The copies merged into a listed event, and the listed event a copy stands for (SQL, no Flask).

A copy (``events.duplicate_of`` set, see ``agenda.services.merging``) keeps its row, its source
and its own link; the listed event is shown, counted and exported for all of them.  Readers use
this module to say where else an event was announced ("Aussi annoncé par …") and to send an old
address of a copy to the listed event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Actor, Event, Source

CHUNK = 1000
MAX_HOPS = 4  # duplicate_of is always one hop; a longer (or looping) chain is not followed


@dataclass(frozen=True)
class CopyView:
    """One copy of a listed event, as its page and the staff pages show it."""

    event_id: str
    source_id: int
    source_name: str
    source_kind: str
    url: str | None  # the copy's own link (its page at the origin), as the source gave it
    title: str
    site_url: str | None  # the origin's site: the actor's website, else the source's URL
    source_url: str = ""  # the source's own URL (its feed, as collected)


def copies_of(session: Session, event_id: str) -> list[CopyView]:
    """The copies merged into ``event_id`` that their source still publishes, by source name
    (a copy removed from its source no longer announces the event)."""
    return copies_by_event(session, [event_id]).get(event_id, [])


def copies_by_event(session: Session, event_ids: Iterable[str]) -> dict[str, list[CopyView]]:
    """``copies_of`` each of ``event_ids`` at once (a page of a listing): listed event id ->
    its copies; events without copies are left out."""
    found: dict[str, list[CopyView]] = {}
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(Event.duplicate_of, Event.id, Event.source_id, Source.name, Source.kind,
                   Event.url, Event.title, Actor.website, Source.url.label("source_url"))
            .join(Source, Source.id == Event.source_id)
            .outerjoin(Actor, Actor.id == Source.actor_id)
            .where(Event.duplicate_of.in_(ids[start:start + CHUNK]), Event.removed_at.is_(None))
            .order_by(Source.name, Event.id))
        for row in rows:
            found.setdefault(row.duplicate_of, []).append(CopyView(
                row.id, row.source_id, row.name, row.kind, row.url, row.title,
                row.website or row.source_url, row.source_url))
    return found


def listed_event_id(session: Session, event_id: str) -> str | None:
    """The id of the event listed for ``event_id``: itself when it is no copy, else the event
    its ``duplicate_of`` chain ends at.  None when ``event_id`` is unknown, or the chain is
    longer than MAX_HOPS or loops.  Whether that event is still published is the caller's
    question (a removed one is gone, as its copies are)."""
    seen = []
    current: str | None = event_id
    while current is not None and len(seen) <= MAX_HOPS:
        row = session.execute(select(Event.id, Event.duplicate_of)
                              .where(Event.id == current)).one_or_none()
        if row is None or row.id in seen:
            return None
        if row.duplicate_of is None:
            return row.id
        seen.append(row.id)
        current = row.duplicate_of
    return None
