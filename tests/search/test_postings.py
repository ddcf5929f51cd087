"""A word's posting list read block by block (agenda.search.postings) holds exactly the
documents Whoosh's own matcher lists, over several blocks and with deleted documents."""

from __future__ import annotations

from datetime import datetime, timezone

from agenda.db import transaction
from agenda.search import bitsets
from agenda.search.postings import term_bits
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.search.conftest import PARIS, event

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def test_term_bits_are_the_documents_whoosh_lists(whoosh, factory):
    records = [event(f"e{i}", "Atelier vélo" if i % 3 else f"Forum numéro {i}", day=1 + i % 28)
               for i in range(700)]  # "atelier" in ~470 documents: several posting blocks
    with transaction(factory) as session:
        source_id = add_source(session, name="Ateliers", url="http://127.0.0.1/a.ics",
                               now=NOW).id
        upsert_events(session, source_id, records, now=NOW, tz=PARIS)
        whoosh.rebuild(session)
    with transaction(factory) as session:  # some documents deleted, a new segment
        upsert_events(session, source_id, records[:650], now=NOW, tz=PARIS)
        whoosh.sync(session, source_id)
    view = whoosh._views.current()
    checked = 0
    for leaf in view.leaves:
        reader, size = leaf.reader, leaf.facts.size
        deleted = bitsets.from_positions(reader.deleted_docs_set, size)
        for field in ("title", "description", "place", "tags"):
            for term in reader.lexicon(field):
                expected = bitsets.from_positions(reader.postings(field, term).all_ids(), size)
                assert term_bits(reader, field, term, size) & ~deleted == expected
                checked += 1
    assert checked > 10
    assert term_bits(view.leaves[0].reader, "title", "absent", view.leaves[0].facts.size) == 0
