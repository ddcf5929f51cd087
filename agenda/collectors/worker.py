"""The scheduler: every tick, claim the due sources in the database and collect them.

The database is the schedule: each source's ``next_run_at`` carries its interval, jitter and
backoff, and the claim (``claimed_by``/``claim_token``/``claimed_until``, taken with ``SKIP
LOCKED`` on PostgreSQL, renewed between stages, checked by the final write) guarantees that two
workers, on one machine or several, never collect the same source at once; an expired claim is
a collection that died, counted as a failed run (see ``claims``).  APScheduler only drives the
tick, in one process, with a memory job store (sharing its job store between processes is not
safe: see DEPENDENCIES.md).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timezone
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.orm import Session, sessionmaker

from agenda.collectors.claims import claim_due
from agenda.collectors.refresh import RefreshOutcome, refresh_source
from agenda.settings import Settings

log = logging.getLogger(__name__)

TICK_JOB_ID = "collect-due-sources"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def collect_due_sources(factory: sessionmaker[Session], settings: Settings, *,
                        worker: str | None = None,
                        clock: Callable[[], datetime] = utcnow) -> list[RefreshOutcome]:
    """Claim the due sources (a batch at a time) and collect each one; returns what happened.

    Claims found expired (a collection that died) are first counted as failed runs.  The
    claims waiting in a batch share a token with the one being collected, and are renewed
    with it.
    """
    worker = worker or worker_name()
    outcomes: list[RefreshOutcome] = []
    while claims := claim_due(factory, settings, now=clock(), worker=worker):
        for claim in claims:
            outcomes.append(refresh_source(factory, claim.source_id, now=clock(),
                                           settings=settings, worker=worker, claim=claim,
                                           clock=clock))
    return outcomes


def build_scheduler(factory: sessionmaker[Session], settings: Settings, *,
                    background: bool = True):
    """A scheduler whose single job collects due sources every tick, starting now."""
    scheduler_class = BackgroundScheduler if background else BlockingScheduler
    scheduler = scheduler_class(timezone=timezone.utc)
    scheduler.add_job(
        _safe_tick, "interval", args=(factory, settings), id=TICK_JOB_ID,
        seconds=settings.scheduler_tick_seconds, next_run_time=utcnow(),
        coalesce=True, max_instances=1, misfire_grace_time=settings.scheduler_tick_seconds,
    )
    return scheduler


def _safe_tick(factory, settings) -> None:
    try:
        outcomes = collect_due_sources(factory, settings)
    except Exception:  # the database may be briefly unreachable: try again next tick
        log.exception("collection tick failed")
        return
    if outcomes:
        failed = sum(1 for o in outcomes if not o.ok)
        log.info("tick: %s sources collected, %s failed", len(outcomes), failed)
