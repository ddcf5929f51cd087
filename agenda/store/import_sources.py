"""The sources that hold events imported from spreadsheets (kind "import"): never fetched
(disabled, no next run), one per name, so that importing the same file into the same source
again finds its events."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Source
from agenda.text_clean import clean_line

IMPORT_URL_PREFIX = "agenda:import:"
DEFAULT_NAME = "Import : {filename}"  # data, in the region's language (names are one line: no no-break space)


def default_import_name(filename: str) -> str:
    """The source a file goes to unless told: the same file name, the same source."""
    return DEFAULT_NAME.format(filename=clean_line(filename))[:200]


def import_source(session: Session, name: str, *, now: datetime) -> Source:
    """The import source of this name, created when it is new."""
    name = clean_line(name)[:200]
    source = session.scalar(select(Source).where(Source.kind == "import", Source.name == name)
                            .order_by(Source.id))
    if source is None:
        source = Source(name=name, url=IMPORT_URL_PREFIX + secrets.token_hex(8), kind="import",
                        enabled=False, interval_minutes=60, status="never", next_run_at=None,
                        created_at=now)
        session.add(source)
        session.flush()
    return source


def find_import_source(session: Session, name: str) -> Source | None:
    return session.scalar(select(Source).where(Source.kind == "import",
                                               Source.name == clean_line(name)[:200]))


def import_source_names(session: Session) -> list[str]:
    return list(session.scalars(select(Source.name).where(Source.kind == "import")
                                .order_by(Source.name)))


def record_import(session: Session, source: Source, *, now: datetime) -> None:
    """The source's health after an import: it worked, and it is never collected."""
    source.status = "ok"
    source.last_attempt_at = now
    source.last_success_at = now
    source.last_error = source.last_error_code = source.last_error_params = None
    source.consecutive_failures = 0
    source.next_run_at = None
    source.enabled = False
