"""Search: the Whoosh index, or PostgreSQL's text vectors (``search_backend = "postgresql"``:
``agenda.search.pg``, the same answers), behind one small interface of ours.

    search = open_search(settings)          # one per process and instance folder (or database)
    search.search(filters, window=(a, b), offset=0, limit=20, facets=True[, session=]) -> Hits | None
    search.event_ids(filters, window=(a, b)[, limit=N][, session=]) -> list[str] | None
    search.source_counts() -> {source id: published events} | None
    search.index(session, event_ids) / search.remove(event_ids)
    search.sync(session[, source_id]) / search.catch_up(session) / search.rebuild(session)
    search.status() -> {"live", "generation", "documents", "segments", "dirty"}

Readers never raise: None means "the index cannot answer now, ask SQL" (it is being rebuilt).

Words are analysed for French (accents, case and plurals don't matter) and never parsed as
query syntax.  Results are event ids and occurrence starts: the caller loads them from the
database, which has the last word (a removed event is never shown).
"""

from agenda.search.folder import IndexBusy, IndexUnavailable
from agenda.search.service import Hits, SearchIndex
from agenda.search.stage import index_path, index_source, open_search
from agenda.search.writer import WriteReport

__all__ = ["SearchIndex", "Hits", "WriteReport", "IndexBusy", "IndexUnavailable",
           "open_search", "index_source", "index_path"]
