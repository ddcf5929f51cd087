"""The text of each event's VEVENT, kept with the event (``events.ics_text``), so that no
request writes the VEVENTs of what a collection just changed.

``ics_key`` says what the text was written from: the event's SEQUENCE and last change, the
UID, zone and status of how its series sends it out (all that the per-process cache keys on)
and a digest of the :class:`IcsContext` (default zone, theme labels).  The read path
(:func:`agenda.export.ics.vevent_texts`) serves a stored text only when its key is the one it
would write now: a text stored before a change that did not refill it, or by a process with
other theme labels, is never served (the VEVENT is then written in the request, as before).

The texts are written before any session that wrote events commits (the hook below), for
every member of the series of each event written (a master's removal or merge changes how its
overrides go out).  The events written are found in the statements themselves: the ids of
executemany parameters (``id``, ``row_id``) or of a ``WHERE events.id = … / IN (…)``, and the
ORM objects flushed.  A statement that changes events some other way is not followed: their
texts are then written in the request until ``fill_stale`` or the next write of their series.
"""

from __future__ import annotations

import hashlib
import weakref
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from agenda.export.ics_event import ExportItem, IcsContext, Vevent, vevent, vevent_zones
from agenda.export.selection import ALL_COLUMNS
from agenda.export.series import export_items
from agenda.models import Event
from agenda.region import cached_region

CHUNK = 1000
KEY_LENGTH = 200  # the column's
_EVER = datetime.min.replace(tzinfo=timezone.utc)  # no cutoff: every member's text is kept
_TOUCHED = "agenda_vevents_touched"
_NOT_WRITTEN = frozenset({  # columns a VEVENT neither shows nor is keyed on
    "last_seen_at", "campaign_id", "content_hash", "department", "commune_code", "commune_name",
    "own_values", "search_vector", "description_html", "ics_text", "ics_key"})
_contexts: weakref.WeakKeyDictionary[Engine, tuple[Path, ZoneInfo]] = weakref.WeakKeyDictionary()


def use_context(engine: Engine, region_file: Path, tz: ZoneInfo) -> None:
    """The region (theme labels) and zone the texts of ``engine``'s events are written with
    (``agenda.db.make_engine`` says it for every engine of ours; without it nothing is kept)."""
    _contexts[engine] = (region_file, tz)


def engine_context(engine: Engine) -> IcsContext | None:
    known = _contexts.get(engine)
    if known is None:
        return None
    region_file, tz = known
    return IcsContext(tz, {t.slug: t.label_fr for t in cached_region(region_file).themes})


def context_digest(ctx: IcsContext) -> str:
    text = repr((ctx.default_tz.key, sorted(ctx.theme_labels.items())))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def stored_key(item: ExportItem, digest: str) -> str:
    """What ``ics_key`` holds for ``item`` written with the context of ``digest``."""
    row = item.row
    zone = item.series_zone.key if item.series_zone else ""
    return (f"{row.sequence}|{row.updated_at.isoformat()}|{item.uid}|{zone}|"
            f"{int(item.cancelled)}|{digest}")


def stored_vevent(item: ExportItem, ctx: IcsContext, digest: str) -> Vevent | None:
    """The item's stored text, if its row was read with it and it was written from what the
    item is now; else None."""
    row = item.row
    text = getattr(row, "ics_text", None)
    if not text or getattr(row, "ics_key", None) != stored_key(item, digest):
        return None
    return Vevent(text.encode("utf-8"), vevent_zones(item, ctx))


def store_series(session: Session, event_ids, ctx: IcsContext) -> int:
    """Write the texts of every member of the series of ``event_ids`` whose stored key is not
    the one it would be written with now; how many were written."""
    series: set[tuple] = set()
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), CHUNK):
        series.update(session.execute(select(Event.source_id, Event.source_uid)
                                      .where(Event.id.in_(ids[start:start + CHUNK]))))
    by_source: dict[int, list[str]] = {}
    for source_id, source_uid in series:
        by_source.setdefault(source_id, []).append(source_uid)
    written = 0
    for source_id, uids in sorted(by_source.items()):
        uids.sort()
        for start in range(0, len(uids), CHUNK):
            rows = session.execute(select(*ALL_COLUMNS, Event.ics_key).where(
                Event.source_id == source_id, Event.source_uid.in_(uids[start:start + CHUNK])))
            written += _store(session, list(rows), ctx)
    return written


def fill_stale(session: Session, ctx: IcsContext, *, after: str = "",
               limit: int = 5000) -> tuple[str | None, int]:
    """Refill the series of the next ``limit`` events by id after ``after`` (an operator's
    catch-up, chunk by chunk): the last id looked at (None when done) and how many written."""
    ids = list(session.scalars(select(Event.id).where(Event.id > after)
                               .order_by(Event.id).limit(limit)))
    return (ids[-1] if ids else None), (store_series(session, ids, ctx) if ids else 0)


def _store(session: Session, rows: list, ctx: IcsContext) -> int:
    digest = context_digest(ctx)
    writes = []
    for item in export_items(rows, cutoff=_EVER, default_tz=ctx.default_tz):
        key = stored_key(item, digest)
        if key != item.row.ics_key:
            fits = len(key) <= KEY_LENGTH
            writes.append({"row_id": item.row.id, "key": key if fits else None,
                           "text": vevent(item, ctx).data.decode("utf-8") if fits else None})
    if writes:
        table = Event.__table__
        statement = (update(table).where(table.c.id == bindparam("row_id"))
                     .values(ics_key=bindparam("key"), ics_text=bindparam("text")))
        for start in range(0, len(writes), CHUNK):
            session.execute(statement, writes[start:start + CHUNK])
    return len(writes)


# --- which events a session wrote ------------------------------------------------------------

def written_event_ids(statement, parameters) -> set[str] | None:
    """The ids of the events a DML statement on ``events`` changes in a way a VEVENT shows
    (empty: none, or not such a statement); None when they cannot be told from the statement."""
    if not _is_events(getattr(statement, "table", None)):
        return set()
    params = parameters if isinstance(parameters, (list, tuple)) else [parameters or {}]
    names = {getattr(c, "key", str(c)) for c in (getattr(statement, "_values", None) or {})}
    for values in params:
        names.update(name.removeprefix("v_") for name in values)
    if getattr(statement, "is_delete", False) is False and names - {"id", "row_id"} <= _NOT_WRITTEN:
        return set()
    ids = {values.get("id") or values.get("row_id") for values in params} - {None}
    if ids:
        return {str(i) for i in ids}
    return _where_ids(getattr(statement, "whereclause", None))


def _where_ids(clause) -> set[str] | None:
    if clause is None:
        return None
    for element in visitors.iterate(clause):
        if (isinstance(element, BinaryExpression) and isinstance(element.right, BindParameter)
                and element.operator in (operators.eq, operators.in_op)
                and _is_events(getattr(element.left, "table", None))
                and element.left.key == "id"):
            value = element.right.value
            return {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}
    return None


def _is_events(table) -> bool:
    """``events`` itself or as an ORM statement names it (an annotated copy)."""
    return table is not None and getattr(table, "name", None) == Event.__tablename__


def _note(session: Session, ids) -> None:
    session.info.setdefault(_TOUCHED, set()).update(ids)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_select or _TOUCHED + "_writing" in state.session.info:
        return
    ids = written_event_ids(state.statement, state.parameters)
    if ids:
        _note(state.session, ids)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, context) -> None:
    objects = [*session.new, *session.dirty]
    ids = [o.id for o in objects if isinstance(o, Event) and o.id]
    if ids:
        _note(session, ids)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)


@event.listens_for(Session, "before_commit")
def _store_before_commit(session: Session) -> None:
    if any(isinstance(o, Event) for o in (*session.new, *session.dirty)):
        session.flush()  # before_commit comes before the commit's own flush
    if not session.info.get(_TOUCHED):
        return
    session.flush()
    ids = session.info.pop(_TOUCHED, set())
    bind = session.get_bind()
    ctx = engine_context(bind if isinstance(bind, Engine) else bind.engine)
    if ctx is None or not ids:
        return
    session.info[_TOUCHED + "_writing"] = True
    try:
        store_series(session, ids, ctx)
    finally:
        session.info.pop(_TOUCHED + "_writing", None)
