"""The French analysis's table, asked of a real search on each backend (Whoosh, and PostgreSQL's
text vectors): accents, case, plurals, ligatures and stop words don't matter on either, and a
missing word is missing on both."""

from __future__ import annotations

from tests.search.conftest import event, sync
from tests.search.test_analysis import FOUND, NOT_FOUND


def test_the_analysis_table_holds_through_each_search(store, factory, search, listing):
    texts = sorted({text for _, text in FOUND + NOT_FOUND})
    store([event(f"t{n}", text) for n, text in enumerate(texts)])
    sync(factory, search)

    def found(query: str) -> set[str]:
        return {occurrence.event.title for occurrence in listing(q=query, limit=100).occurrences}

    missed = [(query, text) for query, text in FOUND if text not in found(query)]
    wrongly = [(query, text) for query, text in NOT_FOUND if text in found(query)]
    assert missed == [] and wrongly == []
