"""The source that holds the events proposed through the form: one per instance, never
fetched (disabled, kind "form"), so listings, filters and exports treat those events like any
other and say where they come from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Source

FORM_SOURCE_URL = "agenda:form"
FORM_SOURCE_NAME = "Propositions reçues par le formulaire"  # data, in the region's language


def form_source(session: Session, *, now: datetime) -> Source:
    source = session.scalar(select(Source).where(Source.kind == "form"))
    if source is None:
        source = Source(name=FORM_SOURCE_NAME, url=FORM_SOURCE_URL, kind="form", enabled=False,
                        interval_minutes=60, status="ok", next_run_at=None, created_at=now)
        session.add(source)
        session.flush()
    return source
