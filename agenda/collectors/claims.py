"""Claims seen from the collectors: take them, renew them, and count the collections that died.

A collection works under a claim (see :mod:`agenda.store.claims`).  Before any source is
claimed, the claims found expired are settled: such a claim was never finished (its collector
was killed, by hand or by the out-of-memory killer), so it counts as a failed run with the usual
backoff, and a source that keeps killing its collector ends ``broken`` instead of looping.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from agenda.collectors import schedule
from agenda.db import transaction
from agenda.errors import ClaimLost
from agenda.models import Source
from agenda.settings import Settings
from agenda.store.claims import (
    Claim,
    claim_due_sources,
    claim_source,
    clear_expired_claim,
    expired_claims,
    renew_claim,
    start_claim,
)
from agenda.store.runs import add_run
from agenda.store.sources import record_failure

INTERRUPTED = ("The last collection of this source stopped before finishing "
               "(the collector was killed or ran out of memory).")
CLAIM_LOST = ("Another worker took this source over while it was being collected "
              "(this collection outlived its claim); nothing was written.")


def failure_health(source: Source, settings: Settings, *,
                   now: datetime) -> schedule.FailureHealth:
    """The source's health after one more failure (count, status, backed-off next run)."""
    return schedule.health_after_failure(
        now, source.consecutive_failures, source.interval_minutes,
        broken_after=settings.broken_after_failures,
        max_backoff_minutes=settings.max_backoff_minutes, jitter_seconds=settings.jitter_seconds)


def lease(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.claim_lease_minutes)


def running_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at ``start`` and runs at the speed of real time."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def claim_due(factory: sessionmaker[Session], settings: Settings, *, now: datetime,
              worker: str) -> list[Claim]:
    """Settle the dead collections, then claim a batch of due sources."""
    with transaction(factory) as session:
        settle_interrupted(session, settings, now=now)
    with transaction(factory) as session:
        return claim_due_sources(session, now=now, worker=worker, lease=lease(settings),
                                 limit=settings.claim_batch_size)


def claim_one(factory: sessionmaker[Session], settings: Settings, source_id: int, *,
              now: datetime, worker: str) -> Claim | None:
    """Claim one source, due or not (by hand); None when another worker is collecting it."""
    with transaction(factory) as session:
        settle_interrupted(session, settings, now=now, source_id=source_id)
    with transaction(factory) as session:
        return claim_source(session, source_id, now=now, worker=worker, lease=lease(settings))


def start(factory: sessionmaker[Session], claim: Claim, *, now: datetime) -> None:
    """The collection starts: record the attempt; raise ClaimLost if another worker has it."""
    with transaction(factory) as session:
        if not start_claim(session, claim, now=now):
            raise ClaimLost(CLAIM_LOST, source_id=claim.source_id)


def renew(factory: sessionmaker[Session], claim: Claim, *, now: datetime) -> None:
    """Extend the lease between stages; raise ClaimLost if another worker has the source."""
    with transaction(factory) as session:
        fence(session, claim, now=now)


def fence(session: Session, claim: Claim, *, now: datetime) -> None:
    """First statement of a collection's final transaction: write only if the claim is ours."""
    if not renew_claim(session, claim, now=now):
        raise ClaimLost(CLAIM_LOST, source_id=claim.source_id)


def settle_interrupted(session: Session, settings: Settings, *, now: datetime,
                       source_id: int | None = None) -> list[int]:
    """Count each expired claim whose collection had started as a failed run
    (``collect.interrupted``); free the others (they waited behind a collection that died).
    Returns the ids counted."""
    settled = []
    for source in expired_claims(session, now=now, source_id=source_id):
        expired_at, started = source.claimed_until, source.claim_started
        if clear_expired_claim(session, source, now=now) and started:
            _record_interruption(session, source, settings, now=now, expired_at=expired_at)
            settled.append(source.id)
    return settled


def _record_interruption(session: Session, source: Source, settings: Settings, *,
                         now: datetime, expired_at: datetime) -> None:
    started, holder = source.last_attempt_at or expired_at, source.claimed_by
    record_failure(session, source, now=started, code="collect.interrupted",
                   message=INTERRUPTED, **failure_health(source, settings, now=now)._asdict())
    add_run(session, source_id=source.id, started_at=started, finished_at=max(started, expired_at),
            outcome="error", error_code="collect.interrupted", error_message=INTERRUPTED,
            warnings=[], worker=holder)

