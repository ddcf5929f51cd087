"""The rows of merged events: a listed event (the head) and the copies that point to it.

The head's columns hold the merged values while its own wait in ``own_values``; a copy's
columns always hold its own.  Everything here flushes, nothing commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import func, null, or_, select, update
from sqlalchemy.orm import Session, aliased

from agenda.models import Event, Occurrence, Source
from agenda.services.merge_values import MERGED_COLUMNS, Copy

CHUNK = 500


@dataclass(frozen=True)
class Member:
    """One row of a cluster: the copy (own values), and what chooses the head."""

    copy: Copy
    source_id: int
    removed: bool
    series: bool
    duplicate_of: str | None
    own_values: dict | None
    sequence: int


def heads_of(session: Session, event_ids: Iterable[str]) -> dict[str, str]:
    """Each event's head: its ``duplicate_of``, or itself."""
    ids, found = sorted(set(event_ids)), {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(select(Event.id, Event.duplicate_of)
                               .where(Event.id.in_(ids[start:start + CHUNK])))
        found.update((event_id, head or event_id) for event_id, head in rows)
    return found


def cluster_members(session: Session, head_id: str) -> list[Member]:
    """The head and its copies (removed ones included), with their own values."""
    columns = [getattr(Event, name) for name in MERGED_COLUMNS]
    occurrences = (select(func.count()).where(Occurrence.event_id == Event.id)
                   .correlate(Event).scalar_subquery())
    query = (select(Event.id, Event.source_id, Event.created_at, Event.removed_at, Event.rrule, Event.rdate,
                    Event.duplicate_of, Event.own_values, Event.sequence, Source.priority,
                    Source.kind, Source.name, occurrences.label("occurrences"), *columns)
             .join(Source, Source.id == Event.source_id)
             .where(or_(Event.id == head_id, Event.duplicate_of == head_id)))
    return [_member(row) for row in session.execute(query)]


def _member(row) -> Member:
    columns = {name: getattr(row, name) for name in MERGED_COLUMNS}
    own = row.own_values if row.duplicate_of is None and row.own_values else None
    values = {**columns, **own} if own else columns
    copy = Copy(event_id=row.id, values=values, created_at=row.created_at,
                source_priority=row.priority or 0, source_kind=row.kind, source_name=row.name)
    return Member(copy=copy, source_id=row.source_id, removed=row.removed_at is not None,
                  series=bool(row.rrule or row.rdate) or (row.occurrences or 0) > 1,
                  duplicate_of=row.duplicate_of, own_values=row.own_values,
                  sequence=row.sequence)


def own_columns(session: Session, event_id: str) -> dict:
    """An event's columns as they are now (the values a collection just wrote)."""
    row = session.execute(select(*[getattr(Event, n) for n in MERGED_COLUMNS])
                          .where(Event.id == event_id)).one()
    return _json_ready(dict(row._mapping))


def write_head(session: Session, member: Member, merged: dict, *, now: datetime) -> None:
    """Make this row the listed event of its cluster, showing ``merged``."""
    own = member.own_values or _json_ready(member.copy.values)
    changed = member.duplicate_of is not None or any(
        member.copy.values.get(n) != merged.get(n) for n in MERGED_COLUMNS) or not member.own_values
    values = {**merged, "own_values": own, "duplicate_of": None, "merged_at": None}
    if changed:
        values.update(updated_at=now, sequence=member.sequence + 1)
    session.execute(update(Event).where(Event.id == member.copy.event_id).values(**values)
                    .execution_options(synchronize_session=False))


def write_alone(session: Session, member: Member, *, now: datetime) -> None:
    """A row that no longer heads anything nor is a copy: its own values back in its columns."""
    values: dict = {"duplicate_of": None, "merged_at": None, "own_values": null()}
    if member.own_values or member.duplicate_of is not None:
        values.update(member.own_values or {}, updated_at=now, sequence=member.sequence + 1)
    session.execute(update(Event).where(Event.id == member.copy.event_id).values(**values)
                    .execution_options(synchronize_session=False))


def write_copy(session: Session, member: Member, head_id: str, *, now: datetime) -> None:
    """Point a row to its head (its own values back in its columns if it headed before)."""
    if member.duplicate_of == head_id:
        return
    values: dict = {"duplicate_of": head_id, "own_values": null(), "updated_at": now,
                    "sequence": member.sequence + 1}
    if member.duplicate_of is None:
        values.update(member.own_values or {}, merged_at=now)
    session.execute(update(Event).where(Event.id == member.copy.event_id).values(**values)
                    .execution_options(synchronize_session=False))


def _json_ready(values: dict) -> dict:
    return {name: list(value) if isinstance(value, tuple) else value
            for name, value in values.items()}


def keep_own_values(session: Session, event_id: str) -> None:
    """A head rewritten by its source: its columns hold its own values again; keep them."""
    held = session.scalar(select(Event.own_values).where(Event.id == event_id))
    if held:  # (a JSON column: tested here, not in SQL, where None may be a JSON null)
        session.execute(update(Event).where(Event.id == event_id)
                        .values(own_values=own_columns(session, event_id))
                        .execution_options(synchronize_session=False))


def merged_heads_of_source(session: Session, source_id: int) -> set[str]:
    """The heads of the clusters that hold an event of this source."""
    copy = aliased(Event)
    has_copies = select(copy.id).where(copy.duplicate_of == Event.id).exists()
    rows = session.scalars(select(func.coalesce(Event.duplicate_of, Event.id))
                           .where(Event.source_id == source_id,
                                  or_(Event.duplicate_of.is_not(None), has_copies)))
    return set(rows)
