"""Collection runs: one row per collection of one source, for the health history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import CollectionRun
from agenda.text_clean import printable


def add_run(session: Session, **values) -> CollectionRun:
    """Its error sentence and warnings are kept printable (they may quote a source's text, and
    are read in terminals and logs)."""
    if values.get("error_message") is not None:
        values["error_message"] = printable(values["error_message"])
    values["warnings"] = [printable(w) for w in values.get("warnings") or []]
    run = CollectionRun(**values)
    session.add(run)
    session.flush()
    return run


def recent_runs(session: Session, source_id: int, limit: int = 20) -> list[CollectionRun]:
    return list(session.scalars(
        select(CollectionRun).where(CollectionRun.source_id == source_id)
        .order_by(CollectionRun.started_at.desc(), CollectionRun.id.desc()).limit(limit)
    ))
