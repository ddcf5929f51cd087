"""What the staff do to sources: the list with counts and latest runs, adding, editing, pausing,
resuming, resetting errors, and the alert state that keeps owners' e-mails to one per change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from agenda.models import CollectionRun, Event, Initiative, Source
from agenda.store.actors import get_or_create_actor
from agenda.store.sources import add_source
from agenda.text_clean import clean_line

RUNS_LISTED = 5
# What the list can be filtered by: a status, or "paused"
STATE_FILTERS = ("ok", "error", "broken", "never", "paused")
KEY_KEEP, KEY_REMOVE = "keep", "remove"  # the API key is left alone, or removed


@dataclass
class SourceRow:
    """One line of the staff list: the source, its published events and its latest outcomes."""

    source: Source
    events: int = 0
    runs: int = 0
    last_outcomes: list[str] = field(default_factory=list)  # the most recent first


def list_source_rows(session: Session, *, state: str | None = None) -> list[SourceRow]:
    """Every source (of one state: a status or "paused", when given), by name."""
    query = select(Source).order_by(func.lower(Source.name), Source.id)
    if state == "paused":
        query = query.where(Source.enabled.is_(False))
    elif state in STATE_FILTERS:
        query = query.where(Source.status == state, Source.enabled.is_(True))
    rows = {s.id: SourceRow(s) for s in session.scalars(query).unique()}
    if not rows:
        return []
    for source_id, count in session.execute(
            select(Event.source_id, func.count()).where(Event.removed_at.is_(None),
                                                        Event.source_id.in_(rows))
            .group_by(Event.source_id)):
        rows[source_id].events = count
    for source_id, count in session.execute(  # a feed of projects: its initiatives
            select(Initiative.source_id, func.count()).where(Initiative.removed_at.is_(None),
                                                             Initiative.source_id.in_(rows))
            .group_by(Initiative.source_id)):
        rows[source_id].events = count
    _add_latest_runs(session, rows)
    return list(rows.values())


def _add_latest_runs(session: Session, rows: dict[int, SourceRow]) -> None:
    rank = func.row_number().over(partition_by=CollectionRun.source_id,
                                  order_by=(CollectionRun.started_at.desc(),
                                            CollectionRun.id.desc())).label("rank")
    total = func.count().over(partition_by=CollectionRun.source_id).label("total")
    ranked = (select(CollectionRun.source_id, CollectionRun.outcome, rank, total)
              .where(CollectionRun.source_id.in_(rows)).subquery())
    for source_id, outcome, _rank, count in session.execute(
            select(ranked).where(ranked.c.rank <= RUNS_LISTED)
            .order_by(ranked.c.source_id, ranked.c.rank)):
        rows[source_id].runs = count
        rows[source_id].last_outcomes.append(outcome)


def create_source(session: Session, *, name: str, url: str, kind: str, interval_minutes: int,
                  owner: str | None, contact_email: str | None, api_key: str | None,
                  diagnosis: dict | None, now: datetime) -> Source:
    """A new source, due at once."""
    source = add_source(session, name=name, url=url, kind=kind, interval_minutes=interval_minutes,
                        actor_name=clean_line(owner or "") or None, now=now)
    source.contact_email = contact_email or None
    source.api_key = api_key or None
    source.diagnosis = diagnosis
    session.flush()
    return source


def update_source(session: Session, source: Source, *, name: str, owner: str | None,
                  contact_email: str | None, interval_minutes: int, api_key: str,
                  priority: int | None = None) -> list[str]:
    """Change what the staff can edit; ``api_key`` is a new key, KEY_KEEP or KEY_REMOVE.
    Returns the names of the fields that changed (never the key's value)."""
    changed = []
    owner = clean_line(owner or "") or None
    if (source.actor.name if source.actor else None) != owner:
        source.actor = get_or_create_actor(session, owner) if owner else None
        changed.append("owner")
    for name_, value in (("name", clean_line(name)), ("contact_email", contact_email or None),
                         ("interval_minutes", interval_minutes), ("priority", priority)):
        if value is None and name_ == "priority":
            continue  # not asked: kept
        if getattr(source, name_) != value:
            setattr(source, name_, value)
            changed.append(name_)
    if api_key != KEY_KEEP:
        new_key = None if api_key == KEY_REMOVE else api_key
        if new_key != source.api_key:
            source.api_key = new_key
            changed.append("api_key")
    session.flush()
    return changed


def pause_source(session: Session, source: Source) -> None:
    """Not collected until resumed (its events stay published)."""
    source.enabled = False
    session.flush()


def resume_source(session: Session, source: Source, *, now: datetime) -> None:
    """Collected again, at once."""
    source.enabled = True
    source.next_run_at = now
    session.flush()


def reset_errors(session: Session, source: Source, *, now: datetime) -> None:
    """Forget the failures in a row (and with them the backoff): tried again at once."""
    source.consecutive_failures = 0
    source.status = "ok" if source.last_success_at else "never"
    source.last_error = source.last_error_code = source.last_error_params = None
    source.next_run_at = now
    session.flush()


def set_alert_state(session: Session, source_id: int, *, expected: str | None,
                    new: str | None) -> bool:
    """Move the alert state from ``expected`` to ``new``; False when another process did it
    first (so that only one of them sends the e-mail)."""
    current = (Source.alert_state.is_(None) if expected is None
               else Source.alert_state == expected)
    result = session.execute(update(Source).where(Source.id == source_id, current)
                             .values(alert_state=new).execution_options(synchronize_session=False))
    return result.rowcount == 1
