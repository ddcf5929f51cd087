"""The collection of a source of kind "initiatives" (an actor's feed of projects or news): the
branch :func:`agenda.collectors.refresh._collect` takes for it, with the same claim, conditional
GET, health, errors and run records as every source.

fetch (conditional) -> unchanged body? -> read the items -> themes -> store the initiatives ->
record.  A broken feed raises a CollectError that the orchestrator records on the source.
"""

from __future__ import annotations

import logging

from agenda.collectors import refresh
from agenda.collectors.claims import fence, renew
from agenda.collectors.fingerprint import body_hash
from agenda.collectors.read_budget import ReadContext
from agenda.collectors.read_initiatives import InitiativeReading, read_initiatives
from agenda.db import transaction
from agenda.models import Source
from agenda.region import cached_region
from agenda.store.initiative_sync import sync_initiatives
from agenda.store.sources import Validators, record_success

log = logging.getLogger(__name__)
FORMAT = "feed"  # what ``Source.detected_format`` says of such a source


def collect_initiatives(stage, fetch_func) -> refresh.RefreshOutcome:
    source, settings = stage.source, stage.settings
    context = ReadContext(settings=settings, now=stage.now, fetch_func=fetch_func,
                          on_document=lambda: renew(stage.factory, stage.claim,
                                                    now=stage.clock()))
    fetched = context.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if fetched.not_modified:
        return refresh._record_unchanged(stage, "not_modified", _validators(source, fetched,
                                                                             source.body_hash))
    digest = body_hash(fetched.body)
    if digest == source.body_hash:
        return refresh._record_unchanged(stage, "unchanged", _validators(source, fetched, digest))
    reading = read_initiatives(fetched.body, default_tz=settings.tz,
                               content_type=fetched.content_type, url=fetched.url)
    region = cached_region(settings.region_file)
    records = [_with_themes(record, region) for record in reading.records]
    return _store(stage, records, reading, _validators(source, fetched, digest))


def _with_themes(record, region):
    from dataclasses import replace

    return replace(record, themes=tuple(region.themes_for([*record.categories, record.title])))


def _validators(source: Source, fetched, digest: str | None) -> Validators:
    return Validators(etag=fetched.etag, last_modified=fetched.last_modified, body_hash=digest,
                      detected_format=FORMAT)


def _store(stage, records, reading: InitiativeReading,
           validators: Validators) -> refresh.RefreshOutcome:
    source, now = stage.source, stage.now
    with transaction(stage.factory) as session:
        fence(session, stage.claim, now=stage.clock())
        live = session.get(Source, source.id)
        counts = sync_initiatives(session, live, records, now=now)
        record_success(session, live, now=now,
                       next_run_at=refresh._next_success(source, now, stage.settings),
                       validators=validators, parsed=True)
        outcome = refresh.RefreshOutcome(
            source.id, source.name, "ok", new=counts.new, updated=counts.updated,
            skipped=reading.skipped, warnings=reading.warnings[:refresh.MAX_STORED_WARNINGS])
        refresh._add_run(session, outcome, stage)
    log.info("source %s collected: %s initiatives new, %s updated, %s unchanged, %s skipped",
             source.id, counts.new, counts.updated, counts.unchanged, reading.skipped)
    return outcome
