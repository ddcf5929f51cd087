"""Whole-table work on PostgreSQL's text vectors: what ``agenda init`` and ``agenda reindex`` run.

* :func:`text_search_problem`: can this server keep and match our vectors (``tsvector``,
  ``tsquery``, ``@@``, the ranking functions)?  Asked before the migrations, so that a server
  that cannot says so at ``agenda init``, not at the first search.
* :func:`fill_all_missing`: the rows without a vector (an instance upgraded from before the
  vectors, rows written by a raw connection), a chunk per transaction.
* :func:`rewrite_all`: every vector written again (after a change of the analysis or of the
  region's labels), a chunk per transaction by id; a row keeps its old vector until its new one
  commits, so word searches go on finding it meanwhile, and a collection never waits long for
  the rows a chunk locks.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select, text, true
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.models import Actor, Event, Initiative
from agenda.region import Region
from agenda.search.pg import vectors
from agenda.search.pg.vectors import CHUNK, refresh
from agenda.store.changes import bump_data_version

MODELS = (Event, Actor, Initiative)
Progress = Callable[[int], None]

_PROBE = text("""
    SELECT CAST(:vector AS tsvector) @@ CAST(:query AS tsquery),
           ts_rank(CAST(:vector AS tsvector), CAST(:query AS tsquery)) > 0,
           ts_rank_cd('{0.25, 0.375, 0.5, 1.0}', CAST(:vector AS tsvector),
                      CAST(:query AS tsquery)) > 0,
           to_tsquery('simple', CAST(:query AS text)) = CAST(:query AS tsquery)""")
_PROBE_VALUES = {"vector": "'cooper':1A,4D 'forum':1A", "query": "('cooper' | 'coop') & 'forum':A"}


def text_search_problem(connection: Connection) -> str | None:
    """Why this PostgreSQL server cannot run our word searches; None when it can."""
    try:
        row = connection.execute(_PROBE, _PROBE_VALUES).one()
    except DBAPIError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        return f"PostgreSQL's text search does not work on this server ({reason})."
    if not all(row):
        return ("PostgreSQL's text search gives unexpected answers on this server "
                f"(match, rank, cover rank, simple query: {tuple(row)}).")
    return None


def missing_counts(session: Session) -> dict[str, int]:
    """Rows without a vector, per table (read through the partial indexes of migration 0019)."""
    return {model.__tablename__: session.scalar(
        select(func.count()).select_from(model).where(model.search_vector.is_(None))) or 0
        for model in MODELS}


def row_counts(session: Session) -> dict[str, int]:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in MODELS}


def fill_all_missing(factory: sessionmaker[Session], region: Region, *,
                     progress: Progress = lambda done: None) -> int:
    """Give every row without a vector its vector, ``CHUNK`` rows per transaction, reading on
    from the last id filled (the rows filled stay in the partial index as dead entries until
    a vacuum: starting over each time made a big fill quadratic); ``progress`` hears the
    running total.  How many rows."""
    done = 0
    for model in MODELS:
        for ids in _chunks(factory, model, model.search_vector.is_(None), region):
            done += len(ids)
            progress(done)
    return done


def _chunks(factory: sessionmaker[Session], model, condition, region: Region):
    """The rows of ``model`` meeting ``condition``, by id, ``CHUNK`` at a time, each chunk's
    vectors written in a transaction of its own; yields each chunk's ids once committed."""
    after = None
    while True:
        with transaction(factory) as session:
            query = select(model.id).where(condition).order_by(model.id).limit(CHUNK)
            if after is not None:
                query = query.where(model.id > after)
            ids = list(session.scalars(query))
            if ids:
                refresh(session, model, ids, region)
                bump_data_version(session)  # what searches find changed: nothing remembered
                _only_vectors(session)
        if not ids:
            return
        after = ids[-1]
        yield ids


def rewrite_all(factory: sessionmaker[Session], region: Region, *,
                progress: Progress = lambda done: None) -> dict[str, int]:
    """Write every event's, actor's and initiative's vector again, ``CHUNK`` rows per
    transaction; rows written meanwhile get theirs from their own transaction.  Rows per
    table."""
    done: dict[str, int] = {}
    total = 0
    for model in MODELS:
        done[model.__tablename__] = 0
        for ids in _chunks(factory, model, true(), region):
            done[model.__tablename__] += len(ids)
            total += len(ids)
            progress(total)
    return done


def _only_vectors(session: Session) -> None:
    """This transaction wrote vectors only: the commit hook of :mod:`agenda.search.pg.vectors`
    would otherwise fill every other missing vector in it too (an upgraded instance's million
    rows in one transaction, without progress)."""
    vectors.forget_writes(session)
