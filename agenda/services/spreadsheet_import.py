"""The one orchestrator of a spreadsheet import: read -> map -> lines -> themes -> store into an
import source -> record -> audit -> index.  Used by ``agenda import`` and the staff page.

Tolerant per line, strict per file: a file that cannot be read, or has no title or start
column, imports nothing (``SpreadsheetError``); a line with an error imports nothing of that
line and is reported with its number.  The events of an import source are the lines of its
last file: an event whose line is gone is marked removed, but only when every line of the new
file was read: a file with line errors never removes anything (the refused line may be the
event's).  Importing the same file again changes nothing.  Nothing here is Flask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from agenda.collectors.normalize import with_themes
from agenda.db import transaction
from agenda.imports.mapping import Mapping, guess_mapping, require_fields
from agenda.imports.problems import LineError
from agenda.imports.rows import ReadLines, read_lines
from agenda.imports.table import Table, read_table
from agenda.region import cached_region
from agenda.search import index_source
from agenda.settings import Settings
from agenda.store.audit import add_audit
from agenda.store.events import upsert_events
from agenda.store.import_sources import import_source, record_import
from agenda.store.runs import add_run

log = logging.getLogger(__name__)

@dataclass
class Prepared:
    """A file read and mapped, not stored: what the preview shows and the import stores."""

    filename: str
    table: Table
    mapping: Mapping
    lines: ReadLines


@dataclass
class ImportReport:
    filename: str
    source_name: str
    lines: int
    source_id: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[LineError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def refused(self) -> int:
        return len({error.line for error in self.errors})

    @property
    def removal_skipped(self) -> bool:
        """Events missing from the file were kept because some lines were refused."""
        return bool(self.errors)


def prepare_import(content: bytes, filename: str, *, settings: Settings,
                   mapping: Mapping | None = None) -> Prepared:
    """Read and map the file, read every line.  ``SpreadsheetError`` for a file that cannot
    be imported at all."""
    table = read_table(content, filename)
    mapping = guess_mapping(table.headers) if mapping is None else mapping
    require_fields(mapping)
    return Prepared(filename, table, mapping, read_lines(table, mapping, tz=settings.tz))


def import_spreadsheet(factory: sessionmaker[Session], settings: Settings, prepared: Prepared,
                       *, source_name: str, now: datetime, who: str,
                       user_id: int | None = None, dry_run: bool = False) -> ImportReport:
    """Store the good lines of ``prepared`` into the import source ``source_name`` in one
    transaction (rolled back on a dry run), then bring the search index in line."""
    with transaction(factory) as session:
        report = store_import(session, settings, prepared, source_name=source_name, now=now,
                              who=who, user_id=user_id)
        report.dry_run = dry_run
        if dry_run:
            session.rollback()  # the transaction then commits nothing
    if not dry_run:
        log.info("import of %s into source %s: %s new, %s updated, %s unchanged, %s removed, "
                 "%s lines refused", prepared.filename, report.source_id, report.new,
                 report.updated, report.unchanged, report.removed, report.refused)
        index_source(factory, settings, report.source_id, parsed=True)
    return report


def store_import(session: Session, settings: Settings, prepared: Prepared, *,
                 source_name: str, now: datetime, who: str,
                 user_id: int | None = None) -> ImportReport:
    """The stages inside the transaction (flushes, never commits)."""
    lines = prepared.lines
    report = ImportReport(prepared.filename, source_name, len(prepared.table.rows),
                          errors=list(lines.errors))
    source = import_source(session, source_name, now=now)
    report.source_id = source.id
    region = cached_region(settings.region_file)
    records = [with_themes(record, region) for _, record in lines.records]
    counts = upsert_events(session, source.id, records, now=now, tz=settings.tz,
                           remove_missing=not report.errors)
    report.new, report.updated = counts.new, counts.updated
    report.unchanged, report.removed = counts.unchanged, counts.removed
    record_import(session, source, now=now)
    add_run(session, source_id=source.id, started_at=now, finished_at=now, outcome="ok",
            new=report.new, updated=report.updated, removed=report.removed,
            skipped=report.refused, worker="import")
    _audit(session, report, prepared, who=who, user_id=user_id, now=now)
    return report


def _audit(session, report: ImportReport, prepared: Prepared, *, who, user_id, now) -> None:
    """Who imported which file into which source, and what it did (the lines refused are in
    the report, not in the log)."""
    detail = {"source_id": report.source_id, "source": report.source_name,
              "file": prepared.filename, "lines": report.lines, "new": report.new,
              "updated": report.updated, "unchanged": report.unchanged,
              "removed": report.removed, "refused": report.refused}
    add_audit(session, action="spreadsheet_import", who=who, user_id=user_id, now=now,
              detail=detail)
