"""A collection lets go of its parsed records once they are stored, before indexing."""

from __future__ import annotations

import weakref

from agenda.collectors import refresh
from agenda.db import transaction
from agenda.store.sources import add_source
from tests.test_refresh import calendar


def test_the_records_are_gone_when_the_index_is_written(httpserver, factory, settings, now,
                                                        monkeypatch):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    with transaction(factory) as session:
        source_id = add_source(session, name="Cress", url=httpserver.url_for("/agenda.ics"),
                               now=now).id
    parsed_refs, alive_when_indexing = [], []
    real_parse, real_index = refresh.parse_document, refresh.index_source

    def parse(*args, **kwargs):
        result = real_parse(*args, **kwargs)
        parsed_refs.extend(weakref.ref(record) for record in result.events)
        return result

    def index(*args, **kwargs):
        alive_when_indexing.append(sum(ref() is not None for ref in parsed_refs))
        return real_index(*args, **kwargs)

    monkeypatch.setattr(refresh, "parse_document", parse)
    monkeypatch.setattr(refresh, "index_source", index)
    outcome = refresh.refresh_source(factory, source_id, now=now, settings=settings)
    assert (outcome.outcome, outcome.new) == ("ok", 2)
    assert len(parsed_refs) == 2 and alive_when_indexing == [0]
