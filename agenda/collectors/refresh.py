"""The one orchestrator of a collection: claim -> read (fetch -> detect -> parse, over every
document the source takes: see ``reading.read_source``) -> normalise -> store -> record -> index.

Read it top to bottom: each stage is one call.  Every source is collected in its own
transaction; any failure is recorded on that source (with a clear sentence) and the others
carry on.  The collection works under a claim on the source, renewed between stages; its
final transaction first checks that the claim is still its own (fencing).  Once that
transaction has committed, the search index is brought in line with the source's events (a
failure there is logged and repaired by a later collection, never recorded as the source's).  Nothing here is Flask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from agenda.collectors import schedule
from agenda.collectors.claims import claim_one, failure_health, fence, renew, running_clock, start
from agenda.collectors.doctor import diagnosis_to_store
from agenda.collectors.fetcher import fetch
from agenda.collectors.normalize import with_themes
from agenda.collectors.notice import json_params, notice_details
from agenda.collectors.read_budget import fetch_policy  # noqa: F401  (the CLI imports it here)
from agenda.collectors.reading import (
    Reading,
    parse_document,
    read_source,
    wants_validators,
)
from agenda.db import transaction
from agenda.errors import ClaimLost, CollectError, ParseError
from agenda.models import Source
from agenda.records import ParseResult, unique_records
from agenda.region import cached_region
from agenda.search import index_source
from agenda.services.event_actors import link_event_actors
from agenda.services.geocoding import place_records
from agenda.services.merging import match_events
from agenda.services.source_alerts import notify_state_change
from agenda.settings import Settings
from agenda.store.claims import Claim
from agenda.store.events import upsert_events
from agenda.store.runs import add_run
from agenda.store.sources import Validators, get_source, record_failure, record_success

log = logging.getLogger(__name__)

MAX_STORED_WARNINGS = 20
# Formats whose every event unreadable is an error rather than an empty source
STRICT_FORMATS = ("ics", "openagenda", "tribe")


@dataclass
class RefreshOutcome:
    """What one collection did, for the CLI line and the logs."""

    source_id: int
    name: str
    outcome: str  # ok | not_modified | unchanged | error
    new: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    error_code: str | None = None
    error: str | None = None
    error_params: dict | None = None  # the values in ``error`` (JSON), for translated pages
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome != "error"


def refresh_source(factory: sessionmaker[Session], source_id: int, *, now: datetime,
                   settings: Settings, worker: str = "manual", fetch_func=fetch,
                   claim: Claim | None = None,
                   clock: Callable[[], datetime] | None = None) -> RefreshOutcome:
    """Collect one source now.  Never raises for a problem of the source itself.

    It works under ``claim`` (the worker's), or claims the source itself (by hand: a source
    another worker is collecting is left alone, ``collect.busy``).  The claim is renewed between
    stages with ``clock`` (default: ``now`` running at real speed); if it was lost, nothing is
    written (``collect.claim_lost``).
    """
    clock = clock or running_clock(now)
    claim = claim or claim_one(factory, settings, source_id, now=now, worker=worker)
    source = _load_source(factory, source_id)
    if claim is None:
        return RefreshOutcome(source.id, source.name, "error", error_code="collect.busy",
                              error="Another worker is collecting this source right now.")
    stage = _Stage(factory, source, claim, now=now, settings=settings, clock=clock)
    try:
        start(factory, claim, now=now)
        outcome = _collect(stage, fetch_func)
        notify_state_change(factory, settings, source_id, now=now)  # never raises
        return outcome
    except ClaimLost as error:
        log.warning("source %s: claim lost, nothing written", source_id)
        return RefreshOutcome(source.id, source.name, "error", error_code=error.code,
                              error=error.message)


@dataclass(frozen=True)
class _Stage:
    """What every stage of one collection needs."""

    factory: sessionmaker[Session]
    source: Source
    claim: Claim
    now: datetime
    settings: Settings
    clock: Callable[[], datetime]


def _collect(stage: _Stage, fetch_func) -> RefreshOutcome:
    source, now, settings = stage.source, stage.now, stage.settings
    try:
        if source.kind == "initiatives":  # items become initiatives, not events
            from agenda.collectors.initiative_refresh import collect_initiatives
            return collect_initiatives(stage, fetch_func)
        reading = read_source(source.url, kind=source.kind, settings=settings, now=now,
                              fetch_func=fetch_func, api_key=source.api_key,
                              sync_state=source.sync_state, **_change_checks(source, now, settings),
                              parse_func=parse_document,
                              on_document=lambda: renew(stage.factory, stage.claim,
                                                        now=stage.clock()))
        if reading.not_modified:
            return _record_unchanged(stage, "not_modified", _validators(source, reading))
        if reading.unchanged:
            return _record_unchanged(stage, "unchanged", _validators(source, reading))
        renew(stage.factory, stage.claim, now=stage.clock())
        records, duplicates = unique_records(reading.parsed.events)
        _refuse_if_nothing_usable(reading, records)
        region = cached_region(settings.region_file)
        records = [with_themes(record, region) for record in records]
        records = place_records(records, settings=settings, fetch_func=fetch_func)
        return _store(stage, records, reading, duplicates, _validators(source, reading))
    except ClaimLost:
        raise
    except CollectError as error:
        return _record_failure(stage, error)
    except MemoryError as error:  # a hostile or huge source: say so, not "unexpected"
        return _record_failure(stage, _too_large_for_memory(error))
    except Exception as error:  # a bug of ours must not stop the other sources
        log.exception("unexpected error while collecting source %s", source.id)
        failure = CollectError("An unexpected error happened while reading this source; "
                               "it has been logged for the administrators.",
                               code="collect.internal")
        failure.__cause__ = error
        return _record_failure(stage, failure)


def _too_large_for_memory(error: MemoryError) -> ParseError:
    failure = ParseError("This source is too large to read within the memory allowed.",
                         code="parse.too_large")
    failure.__cause__ = error
    return failure


def _change_checks(source: Source, now: datetime, settings: Settings) -> dict:
    """What tells that a one-document source did not change: its validators (conditional GET)
    and its body hash, unless the window must roll (the hash is not trusted then)."""
    if not wants_validators(source.kind, source.detected_format):
        return {}
    rolling = _window_needs_rolling(source, now, settings)
    return {"etag": source.etag, "last_modified": source.last_modified,
            "known_digest": None if rolling else source.body_hash}


def _load_source(factory, source_id: int) -> Source:
    with transaction(factory) as session:
        source = get_source(session, source_id)
        session.expunge(source)
        return source


def _window_needs_rolling(source: Source, now: datetime, settings: Settings) -> bool:
    """An unchanged body is parsed again now and then so that recurring occurrences roll on."""
    return source.parsed_at is None or now - source.parsed_at >= timedelta(
        days=settings.reparse_after_days)


def _refuse_if_nothing_usable(reading: Reading, records: list) -> None:
    """Strict per document: a calendar whose every event is unreadable is an error, so that
    a broken export does not mark the whole agenda as removed."""
    parsed = reading.parsed  # a partial read removes nothing: no need to refuse it
    if parsed.format in STRICT_FORMATS and not records and parsed.skipped and not reading.partial:
        count = parsed.skipped
        if not parsed.warnings:
            raise ParseError(f"None of the {count} events of this calendar could be read.",
                             code="parse.nothing_usable", variant="alone", count=count)
        detail = parsed.warnings[0]
        raise ParseError(f"None of the {count} events of this calendar could be read. {detail}",
                         code="parse.nothing_usable", count=count, detail=detail)


def _validators(source: Source, reading: Reading) -> Validators:
    """The fetcher returns the validators in force (the ones we sent, on a 304); a source of
    several documents keeps none (its first page says nothing of the others)."""
    fmt = None if reading.not_modified else reading.format
    if fmt is not None and not wants_validators(fmt, None):
        return Validators(etag=None, last_modified=None, body_hash=reading.digest,
                          detected_format=fmt)
    return Validators(etag=reading.first.etag, last_modified=reading.first.last_modified,
                      body_hash=reading.digest or source.body_hash, detected_format=fmt)


def _store(stage: _Stage, records, reading: Reading, duplicates: int,
           validators: Validators) -> RefreshOutcome:
    source, now, settings, parsed = stage.source, stage.now, stage.settings, reading.parsed
    diagnosis = diagnosis_to_store(reading, now=now, tz=settings.tz)  # before the hand-over
    with transaction(stage.factory) as session:
        fence(session, stage.claim, now=stage.clock())
        live = session.get(Source, source.id)
        counts = upsert_events(session, source.id, _hand_over(records, parsed), now=now,
                               tz=settings.tz, remove_missing=not reading.partial,
                               removed_uids=reading.removed_uids)
        matched = match_events(session, counts.changed_ids, removed_ids=counts.removed_ids,
                               new_ids=counts.new_ids, now=now, tz=settings.tz)
        link_event_actors(session, counts.changed_ids)
        record_success(session, live, now=now, next_run_at=_next_success(source, now, settings),
                       validators=validators, parsed=True, sync_state=reading.sync_state,
                       diagnosis=diagnosis)
        outcome = RefreshOutcome(source.id, source.name, "ok", new=counts.new,
                                 updated=counts.updated, removed=counts.removed,
                                 skipped=parsed.skipped + duplicates,
                                 warnings=parsed.warnings[:MAX_STORED_WARNINGS])
        _add_run(session, outcome, stage)
    log.info("source %s collected: %s new, %s updated, %s removed, %s skipped; %s merged, %s "
             "to review", source.id, outcome.new, outcome.updated, outcome.removed,
             outcome.skipped, matched.merged, matched.queued)
    index_source(stage.factory, settings, source.id, parsed=True, also=matched.touched)
    return outcome


def _hand_over(records: list, parsed: ParseResult) -> list:
    """The records in a new list that only the store holds: the collection's own lists are
    emptied, so that the store lets each chunk of records go once written (a big calendar's
    records would otherwise stay alive through the store and the index)."""
    owned = list(records)
    records.clear()
    parsed.events.clear()
    return owned


def _record_unchanged(stage: _Stage, outcome_name: str, validators: Validators) -> RefreshOutcome:
    source, now = stage.source, stage.now
    with transaction(stage.factory) as session:
        fence(session, stage.claim, now=stage.clock())
        live = session.get(Source, source.id)
        record_success(session, live, now=now,
                       next_run_at=_next_success(source, now, stage.settings),
                       validators=validators, parsed=False)
        outcome = RefreshOutcome(source.id, source.name, outcome_name)
        _add_run(session, outcome, stage)
    log.info("source %s unchanged (%s)", source.id, outcome_name)
    index_source(stage.factory, stage.settings, source.id, parsed=False)  # catches up, if it must
    return outcome


def _record_failure(stage: _Stage, error: CollectError) -> RefreshOutcome:
    source, now = stage.source, stage.now
    with transaction(stage.factory) as session:
        fence(session, stage.claim, now=stage.clock())
        live = session.get(Source, source.id)
        params = json_params(error.data)
        record_failure(session, live, now=now, code=error.code, message=error.message,
                       params=params, **failure_health(source, stage.settings, now=now)._asdict())
        outcome = RefreshOutcome(source.id, source.name, "error", error_code=error.code,
                                 error=error.message, error_params=params)
        _add_run(session, outcome, stage)
    log.warning("source %s failed (%s): %s", source.id, error.code, error.message)
    return outcome


def _next_success(source: Source, now: datetime, settings: Settings) -> datetime:
    return schedule.next_run_after_success(now, source.interval_minutes,
                                           jitter_seconds=settings.jitter_seconds)


def _add_run(session: Session, outcome: RefreshOutcome, stage: _Stage) -> None:
    add_run(session, source_id=outcome.source_id, started_at=stage.now,
            finished_at=max(stage.now, stage.clock()), outcome=outcome.outcome,
            new=outcome.new, updated=outcome.updated, removed=outcome.removed,
            skipped=outcome.skipped, error_code=outcome.error_code,
            error_message=outcome.error, error_params=outcome.error_params,
            warnings=outcome.warnings, warning_details=notice_details(outcome.warnings),
            worker=stage.claim.worker)
