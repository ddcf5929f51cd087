"""One search across events, initiatives and actors (issue 12).

    finder = finder_for(factory, region, backend=settings.search_backend)  # one per process
    found = finder.find(session, query, window=..., search=..., offset=0, limit=20)
    found.total, found.hits [(kind, id)], found.facets {"kind", "theme", "dept", ...}

Actors and initiatives are answered by the backend's directory search
(:mod:`agenda.finder.backends`): with Whoosh, held in memory (:mod:`agenda.finder.index`),
rebuilt from the database when its data version changed (``agenda.store.changes``), so every
machine sees what another one wrote; with PostgreSQL, by SQL on their text vectors
(:mod:`agenda.finder.pg_directory`), nothing kept in the process.  Events come from the events'
own search (the Whoosh index, PostgreSQL's, or SQL).  Words
are analysed as the events' search does (``agenda.search.analysis``): accents, case and plurals
don't matter, every word must match.
"""

from agenda.finder.query import KINDS, FinderQuery, parse_query
from agenda.finder.service import Finder, Found, finder_for

__all__ = ["KINDS", "Finder", "FinderQuery", "Found", "finder_for", "parse_query"]
