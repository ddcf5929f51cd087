"""The text vectors of PostgreSQL's search, kept in step with the rows in the writing transaction.

Migration 0019's triggers make a row's ``search_vector`` NULL when one of its searched columns
changes; a new row starts without one.  Before any session that wrote commits on PostgreSQL,
:func:`fill_missing` gives every row without a vector its vector (our own analysis: see
:mod:`agenda.search.pg.lexemes`), so a collection is searchable on every machine the moment it
commits.  Whatever wrote outside a session (a raw connection) is caught up by the next commit
of a session that wrote, by every collection's index stage and by ``agenda reindex``.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import bindparam, cast, event, select, update
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from agenda.finder.documents import actor_record, initiative_record
from agenda.finder.rows import _ACTOR_COLUMNS, _INITIATIVE_COLUMNS, initiative_actor_names
from agenda.models import Actor, Event, Initiative
from agenda.region import Region, cached_region
from agenda.search.documents import word_fields
from agenda.search.pg.lexemes import vector_literal
from agenda.search.rows import _EVENT_COLUMNS, _indexed
from agenda.settings import PROJECT_ROOT

CHUNK = 2000
DEFAULT_REGION = PROJECT_ROOT / "config" / "region.toml"
_WROTE = "agenda_wrote"
_regions: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()
_NO_EVENT_VALUES = {column.key: None for column in _EVENT_COLUMNS}


def use_region(engine: Engine, region_file: Path) -> None:
    """The region whose theme labels and department names the vectors of ``engine``'s rows
    hold (``agenda.db.make_engine`` says it for every engine of ours)."""
    _regions[engine] = region_file


def fill_missing(session: Session, region: Region, *, limit: int | None = None) -> int:
    """Give every event, actor and initiative without a vector its vector; how many (at
    most about ``limit``, when given)."""
    done = 0
    for model, vectors in ((Event, _event_vectors), (Actor, _actor_vectors),
                           (Initiative, _initiative_vectors)):
        missing = select(model.id).where(model.search_vector.is_(None)).order_by(model.id)
        after = None
        while limit is None or done < limit:
            # from the last id on: the rows just filled stay in the partial index (as dead
            # entries) until a vacuum, and reading past them again made a big fill quadratic
            ids = list(session.scalars((missing if after is None else
                                        missing.where(model.id > after)).limit(CHUNK)))
            if not ids:
                break
            write_vectors(session, model, vectors(session, ids, region))
            done += len(ids)
            after = ids[-1]
    return done


def refresh(session: Session, model, ids, region: Region) -> int:
    """(Re)write the vectors of these rows of ``model`` (Event, Actor or Initiative)."""
    ids = sorted(set(ids))
    makers = {Event: _event_vectors, Actor: _actor_vectors, Initiative: _initiative_vectors}
    for start in range(0, len(ids), CHUNK):
        write_vectors(session, model, makers[model](session, ids[start:start + CHUNK], region))
    return len(ids)


def with_event_vectors(session: Session, rows: list[dict]) -> list[dict]:
    """On PostgreSQL, the store's ``rows`` of events about to be inserted or updated, each
    with its vector: the row is written once, not written and then updated for its vector (a
    dead row version less per event in a big collection).  Elsewhere, ``rows`` as they are."""
    region = session_region(session)
    if region is None:
        return rows
    for row in rows:
        event = SimpleNamespace(**(_NO_EVENT_VALUES | row))
        row["search_vector"] = vector_literal(word_fields(_indexed(event, ()), region))
    return rows


def session_region(session: Session) -> Region | None:
    """The region of the vectors of ``session``'s database; None when it is not PostgreSQL."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    engine = bind if isinstance(bind, Engine) else bind.engine
    return cached_region(_regions.get(engine, DEFAULT_REGION))


def forget_writes(session: Session) -> None:
    """What ``session`` wrote so far needs no fill at its commit (its writer filled them)."""
    session.info.pop(_WROTE, None)


def write_vectors(session: Session, model, vectors: dict) -> None:
    if not vectors:
        return
    table = model.__table__
    statement = (update(table).where(table.c.id == bindparam("row_id"))
                 .values(search_vector=cast(bindparam("vector"), TSVECTOR)))
    session.execute(statement, [{"row_id": row_id, "vector": vector}
                                for row_id, vector in vectors.items()])


def _event_vectors(session: Session, ids, region: Region) -> dict:
    rows = session.execute(select(*_EVENT_COLUMNS).where(Event.id.in_(ids)))
    return {row.id: vector_literal(word_fields(_indexed(row, ()), region)) for row in rows}


def _actor_vectors(session: Session, ids, region: Region) -> dict:
    rows = session.execute(select(*_ACTOR_COLUMNS).where(Actor.id.in_(ids)))
    return {row.id: _record_vector(actor_record(row, region)) for row in rows}


def _initiative_vectors(session: Session, ids, region: Region) -> dict:
    names = initiative_actor_names(session, ids)
    rows = session.execute(select(*_INITIATIVE_COLUMNS).where(Initiative.id.in_(ids)))
    return {row.id: _record_vector(initiative_record(row, region, tuple(names.get(row.id, ()))))
            for row in rows}


def _record_vector(record) -> str:
    return vector_literal({name: record.text(name) for name in
                           ("title", "tags", "place", "description")})


# --- the hook: every session that wrote fills the missing vectors before it commits ----------

@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "before_commit")
def _fill_before_commit(session: Session) -> None:
    # before_commit comes before the commit's own flush: pending changes are writes too
    if not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted):
        return
    region = session_region(session)
    if region is not None:
        session.flush()
        fill_missing(session, region)
    session.info.pop(_WROTE, None)
