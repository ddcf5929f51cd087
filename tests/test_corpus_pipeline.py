"""Every real-world corpus file goes through the whole pipeline, served over HTTP on loopback:
events stored, or one clear error on that source; never a crash, never a half-stored source."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import Event, Occurrence, Source
from agenda.store.sources import add_source

CORPUS = Path(__file__).parent / "data" / "corpus"
FILES = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


def stored_counts(factory, source_id) -> tuple[int, int]:
    with transaction(factory) as session:
        events = session.scalar(select(func.count()).select_from(Event)
                                .where(Event.source_id == source_id))
        occurrences = session.scalar(select(func.count()).select_from(Occurrence).join(Event)
                                     .where(Event.source_id == source_id))
    return events, occurrences


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_is_stored_whole_or_refused_clearly(path, httpserver, factory, settings, now):
    httpserver.expect_request("/feed").respond_with_data(path.read_bytes(),
                                                         content_type="application/octet-stream")
    with transaction(factory) as session:
        source_id = add_source(session, name=path.name, url=httpserver.url_for("/feed"),
                               now=now).id
    outcome = refresh_source(factory, source_id, now=now, settings=settings)
    events, occurrences = stored_counts(factory, source_id)
    with transaction(factory) as session:
        source = session.get(Source, source_id)
    if outcome.ok:
        assert outcome.error_code is None
        assert events == outcome.new
        assert source.status == "ok"
        assert occurrences >= 0
    else:
        assert outcome.error_code.startswith(("parse.", "fetch.")), outcome.error
        assert (events, occurrences) == (0, 0)
        assert source.status == "error" and source.last_error.endswith(".")
