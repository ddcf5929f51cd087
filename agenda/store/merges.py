"""The rows of merged events: a listed event (the head) and the copies that point to it.

The head's columns hold the merged values while its own wait in ``own_values``; a copy's
columns always hold its own.  Reads are batched (a fresh collection of 100,000 events touches
thousands of clusters); the ``*_values`` functions say what to write, ``write`` writes it all
in one executemany.  Everything here flushes, nothing commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence, Source
from agenda.services.merge_values import MERGED_COLUMNS, Copy

CHUNK = 500
_MERGED = tuple(getattr(Event, name) for name in MERGED_COLUMNS)


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
    shown: dict  # the columns as they are (a head's: its merged values)


def heads_of(session: Session, event_ids: Iterable[str]) -> dict[str, str]:
    """Each event's head: its ``duplicate_of``, or itself."""
    return {event_id: head or event_id
            for event_id, head, _ in _chunked(session, event_ids, Event.id, Event.duplicate_of,
                                              Event.own_values)}


def clustered(session: Session, event_ids: Iterable[str]) -> set[str]:
    """The heads of the clusters these events belong to (events alone left out): a copy's
    head, a head with copies, or a row still holding merged values."""
    ids = set(event_ids)
    rows = list(_chunked(session, ids, Event.id, Event.duplicate_of, Event.own_values))
    heads = {head for _, head, _ in rows if head}
    heads |= {event_id for event_id, head, own in rows if head is None and own}
    for start, chunk in _slices(sorted(ids)):
        heads.update(session.scalars(select(Event.duplicate_of).where(
            Event.duplicate_of.in_(chunk)).distinct()))
    return heads


def members_of(session: Session, head_ids: Iterable[str]) -> dict[str, list[Member]]:
    """Each head's cluster: the head and its copies (removed ones included)."""
    heads, found = sorted(set(head_ids)), defaultdict(list)
    for _, chunk in _slices(heads):
        query = (select(Event.id, Event.source_id, Event.created_at, Event.removed_at,
                        Event.rrule, Event.rdate, Event.duplicate_of, Event.own_values,
                        Event.sequence, Source.priority, Source.kind, Source.name, *_MERGED)
                 .join(Source, Source.id == Event.source_id)
                 .where(or_(Event.id.in_(chunk), Event.duplicate_of.in_(chunk))))
        rows = list(session.execute(query))
        counts = _occurrence_counts(session, [row.id for row in rows])
        for row in rows:
            found[row.duplicate_of or row.id].append(_member(row, counts.get(row.id, 0)))
    return dict(found)


def _occurrence_counts(session: Session, event_ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, chunk in _slices(event_ids):
        counts.update(session.execute(select(Occurrence.event_id, func.count())
                                      .where(Occurrence.event_id.in_(chunk))
                                      .group_by(Occurrence.event_id)).all())
    return counts


def _member(row, occurrences: int) -> Member:
    columns = {name: getattr(row, name) for name in MERGED_COLUMNS}
    own = row.own_values if row.duplicate_of is None and row.own_values else None
    values = {**columns, **own} if own else columns
    copy = Copy(event_id=row.id, values=values, created_at=row.created_at,
                source_priority=row.priority or 0, source_kind=row.kind, source_name=row.name)
    return Member(copy=copy, source_id=row.source_id, removed=row.removed_at is not None,
                  series=bool(row.rrule or row.rdate) or occurrences > 1,
                  duplicate_of=row.duplicate_of, own_values=row.own_values,
                  sequence=row.sequence, shown=columns)


def refreshed_own_values(session: Session, event_ids: Iterable[str]) -> list[dict]:
    """Heads rewritten by their source: their columns hold their own values again, to keep."""
    rows = _chunked(session, event_ids, Event.id, Event.duplicate_of, Event.own_values)
    heads = [event_id for event_id, head, own in rows if head is None and own]
    writes = []
    for _, chunk in _slices(heads):
        for row in session.execute(select(Event.id, *_MERGED).where(Event.id.in_(chunk))):
            own = _json_ready({name: getattr(row, name) for name in MERGED_COLUMNS})
            writes.append({"id": row.id, "own_values": own})
    return writes


def head_values(member: Member, merged: dict, *, now: datetime) -> dict | None:
    """The row that lists its cluster, showing ``merged``: the columns that change (None:
    nothing to write)."""
    differ = {name: merged.get(name) for name in MERGED_COLUMNS
              if _plain(member.shown.get(name)) != _plain(merged.get(name))}
    values: dict = {"id": member.copy.event_id, **differ}
    if not member.own_values:
        values["own_values"] = _json_ready(member.copy.values)
    if member.duplicate_of is not None:
        values.update(duplicate_of=None, merged_at=None)
    if len(values) == 1:
        return None
    if differ or member.duplicate_of is not None:
        values.update(updated_at=now, sequence=member.sequence + 1)
    return values


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def alone_values(member: Member, *, now: datetime) -> dict | None:
    """A row that no longer heads anything nor is a copy: its own values back in its columns
    (None: nothing to write)."""
    if not member.own_values and member.duplicate_of is None:
        return None
    return {"id": member.copy.event_id, **(member.own_values or {}), "duplicate_of": None,
            "merged_at": None, "own_values": None, "updated_at": now,
            "sequence": member.sequence + 1}


def copy_values(member: Member, head_id: str, *, now: datetime) -> dict | None:
    """A row pointing to its head (its own values back in its columns if it headed before)."""
    if member.duplicate_of == head_id:
        return None
    values = {"id": member.copy.event_id, "duplicate_of": head_id, "own_values": None,
              "updated_at": now, "sequence": member.sequence + 1}
    if member.duplicate_of is None:
        values.update(member.own_values or {}, merged_at=now)
    return values


def write(session: Session, writes: list[dict]) -> None:
    """Every row's new values, one executemany per set of columns."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for values in writes:
        groups[tuple(sorted(values))].append(values)
    table = Event.__table__
    for names, rows in groups.items():
        columns = [name for name in names if name != "id"]
        statement = (update(table).where(table.c.id == bindparam("row_id"))
                     .values({name: bindparam(f"v_{name}") for name in columns}))
        params = [{"row_id": row["id"], **{f"v_{n}": row[n] for n in columns}} for row in rows]
        for start in range(0, len(params), CHUNK):
            session.execute(statement, params[start:start + CHUNK])


def _chunked(session: Session, event_ids: Iterable[str], *columns):
    for _, chunk in _slices(sorted(set(event_ids))):
        yield from session.execute(select(*columns).where(Event.id.in_(chunk)))


def _slices(items: list):
    for start in range(0, len(items), CHUNK):
        yield start, items[start:start + CHUNK]


def _json_ready(values: dict) -> dict:
    return {name: list(value) if isinstance(value, tuple) else value
            for name, value in values.items()}
