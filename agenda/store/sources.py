"""Sources: registration, listing, recording the health of each collection (claims: claims.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Event, Source
from agenda.store.actors import get_or_create_actor
from agenda.store.conditions import listed
from agenda.text_clean import clean_line, clean_url


def add_source(session: Session, *, name: str, url: str, kind: str = "auto",
               interval_minutes: int = 60, actor_name: str | None = None,
               actor_kind: str | None = None, now: datetime) -> Source:
    actor = get_or_create_actor(session, actor_name, kind=actor_kind) if actor_name else None
    source = Source(name=clean_line(name), url=clean_url(url), kind=kind, interval_minutes=interval_minutes,
                    actor=actor, status="never", next_run_at=now, created_at=now)
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.", source_id=source_id)
    return source


def find_source_by_url(session: Session, url: str) -> Source | None:
    return session.scalar(select(Source).where(Source.url == url))


def list_sources(session: Session) -> list[tuple[Source, int]]:
    """Every source with the number of its events still published."""
    counts = (
        select(Event.source_id, func.count().label("n"))
        .where(Event.removed_at.is_(None))
        .group_by(Event.source_id)
        .subquery()
    )
    rows = session.execute(
        select(Source, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == Source.id)
        .order_by(Source.id)
    )
    return [(source, count) for source, count in rows]


@dataclass(frozen=True)
class Validators:
    """What the next conditional GET and change detection need."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None
    detected_format: str | None = None


def record_success(session: Session, source: Source, *, now: datetime, next_run_at: datetime,
                   validators: Validators | None, parsed: bool,
                   sync_state: dict | None = None, diagnosis: dict | None = None) -> None:
    """``sync_state``: what a paged API reader keeps for its next read (None: unchanged);
    ``diagnosis``: the feed doctor's, of the document just read (None: unchanged)."""
    source.status = "ok"
    source.last_attempt_at = now
    source.last_success_at = now
    source.last_error = None
    source.last_error_code = None
    source.last_error_params = None
    source.consecutive_failures = 0
    source.next_run_at = next_run_at
    source.claimed_by = None
    source.claimed_until = None
    source.claim_token = None
    source.claim_started = False
    if validators is not None:
        source.etag = validators.etag
        source.last_modified = validators.last_modified
        source.body_hash = validators.body_hash
        source.detected_format = validators.detected_format or source.detected_format
    if parsed:
        source.parsed_at = now
    if sync_state is not None:
        source.sync_state = sync_state
    if diagnosis is not None:
        source.diagnosis = diagnosis
    session.flush()


def record_failure(session: Session, source: Source, *, now: datetime, code: str, message: str,
                   failures: int, status: str, next_run_at: datetime,
                   params: dict | None = None) -> None:
    """``params``: the values written in ``message`` (JSON), for pages to translate it."""
    source.status = status
    source.consecutive_failures = failures
    source.last_attempt_at = now
    source.last_error = message
    source.last_error_code = code
    source.last_error_params = params
    source.next_run_at = next_run_at
    source.claimed_by = None
    source.claimed_until = None
    source.claim_token = None
    source.claim_started = False
    session.flush()


def sources_with_events(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the sources that have published events: one index probe per source,
    where counting every event (``list_sources``) reads the whole table."""
    published = select(Event.id).where(Event.source_id == Source.id, listed()).exists()
    return [(sid, name) for sid, name in
            session.execute(select(Source.id, Source.name).where(published).order_by(Source.id))]


def register_sources(session: Session, entries, *, base_url: str, now: datetime) -> int:
    """Add each entry (a DemoSource-like object) under ``base_url`` unless its URL is known;
    returns how many were added (the offline demo, idempotent)."""
    added = 0
    for item in entries:
        url = item.url(base_url)
        if find_source_by_url(session, url) is None:
            add_source(session, name=item.name, url=url, kind=item.kind,
                       interval_minutes=item.interval_minutes, actor_name=item.actor_name,
                       actor_kind=item.actor_kind, now=now)
            added += 1
    return added
