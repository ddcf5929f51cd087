"""SQL of the claims: which worker is collecting a source right now.

A claim is ``claimed_by`` + ``claim_token`` + ``claimed_until`` on the source.  It is taken only
on an unclaimed source (a compare-and-set ``UPDATE`` everywhere, ``SELECT ... FOR UPDATE SKIP
LOCKED`` on PostgreSQL; one token per batch).  When its collection starts, the claim records
the attempt (``last_attempt_at``, ``claim_started``); the collection renews it, and the claims
of its batch still waiting, between stages and clears it in its final transaction, whose first
statement checks that the token is still its own (fencing: on PostgreSQL that ``UPDATE`` also
locks the row until commit).  A claim found expired was never finished: :func:`expired_claims`
finds those and :func:`clear_expired_claim` frees one, once; the caller counts it as a failed
run only if its collection had started (the sources still waiting behind a dead worker's
collection are simply freed, not blamed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agenda.db import is_postgresql
from agenda.models import Source
from agenda.store.sources import get_source


@dataclass(frozen=True)
class Claim:
    """The right of one worker to collect one source, until it loses it."""

    source_id: int
    worker: str
    token: str
    lease: timedelta


def claim_due_sources(session: Session, *, now: datetime, worker: str, lease: timedelta,
                      limit: int) -> list[Claim]:
    """Take up to ``limit`` due, unclaimed sources for ``worker``; another worker will not get them.

    A source whose claim has expired is not taken here: it must be settled first (counted as
    an interrupted collection), see :func:`expired_claims`.
    """
    query = (
        select(Source.id)
        .where(Source.enabled.is_(True), Source.next_run_at <= now,
               Source.claimed_until.is_(None))
        .order_by(Source.next_run_at)
        .limit(limit)
    )
    if is_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    token = secrets.token_hex(16)  # one per batch: renewing one claim renews those waiting
    while candidates := list(session.scalars(query)):
        claims = [_take(session, sid, now=now, worker=worker, lease=lease, token=token)
                  for sid in candidates]
        if taken := [claim for claim in claims if claim]:
            return taken  # else another worker took these first: look again, some may remain
    return []


def claim_source(session: Session, source_id: int, *, now: datetime, worker: str,
                 lease: timedelta) -> Claim | None:
    """Claim one source now, due or not (a collection run by hand); None if another has it."""
    get_source(session, source_id)
    return _take(session, source_id, now=now, worker=worker, lease=lease,
                 token=secrets.token_hex(16))


def _take(session: Session, source_id: int, *, now: datetime, worker: str, lease: timedelta,
          token: str) -> Claim | None:
    result = session.execute(
        update(Source)
        .where(Source.id == source_id, Source.claimed_until.is_(None))
        .values(claimed_by=worker, claimed_until=now + lease, claim_token=token,
                claim_started=False)
        .execution_options(synchronize_session=False)
    )
    return Claim(source_id, worker, token, lease) if result.rowcount == 1 else None


def renew_claim(session: Session, claim: Claim, *, now: datetime) -> bool:
    """Extend ``claim`` to ``now`` + its lease; False when it is no longer this worker's.

    The claims of its batch still waiting for their turn are extended with it.
    """
    session.execute(
        update(Source)
        .where(Source.claim_token == claim.token, Source.claimed_by == claim.worker,
               Source.id != claim.source_id)
        .values(claimed_until=now + claim.lease)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        update(Source)
        .where(Source.id == claim.source_id, Source.claim_token == claim.token,
               Source.claimed_by == claim.worker)
        .values(claimed_until=now + claim.lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def start_claim(session: Session, claim: Claim, *, now: datetime) -> bool:
    """The collection under ``claim`` starts now: the attempt is recorded (``last_attempt_at``)
    and, should the claim expire from here on, it counts as a collection that died.  False when
    the claim is no longer this worker's."""
    if not renew_claim(session, claim, now=now):
        return False
    session.execute(
        update(Source)
        .where(Source.id == claim.source_id, Source.claim_token == claim.token)
        .values(claim_started=True, last_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return True


def release_claim(session: Session, claim: Claim) -> bool:
    """Give ``claim`` up without collecting; False when it was no longer this worker's."""
    result = session.execute(
        update(Source)
        .where(Source.id == claim.source_id, Source.claim_token == claim.token)
        .values(claimed_by=None, claimed_until=None, claim_token=None, claim_started=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def expired_claims(session: Session, *, now: datetime,
                   source_id: int | None = None) -> list[Source]:
    """The sources whose claim expired before its collection finished (``source_id``: that one)."""
    query = select(Source).where(Source.claimed_until < now).order_by(Source.id)
    if source_id is not None:
        query = query.where(Source.id == source_id)
    if is_postgresql(session):  # of=Source: not the outer-joined actor
        query = query.with_for_update(skip_locked=True, of=Source)
    return list(session.scalars(query).unique())


def clear_expired_claim(session: Session, source: Source, *, now: datetime) -> bool:
    """Free the expired claim ``source`` was loaded with; False when another worker already
    did, or its holder finished after all (so the interruption is counted once)."""
    token = (Source.claim_token.is_(None) if source.claim_token is None
             else Source.claim_token == source.claim_token)
    result = session.execute(
        update(Source)
        .where(Source.id == source.id, token, Source.claimed_until < now)
        .values(claimed_by=None, claimed_until=None, claim_token=None, claim_started=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
