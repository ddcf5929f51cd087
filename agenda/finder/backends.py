"""Who answers for actors and initiatives in the search across kinds, chosen by the search
backend (``settings.search_backend``):

    whoosh       the directory index in memory (:mod:`agenda.finder.memory`), rebuilt in each
                 process when the database's data version changed
    postgresql   SQL on the rows' text vectors (:mod:`agenda.finder.pg_directory`): nothing
                 kept in the process, every machine reads what any of them committed

Both give the same answers: same words, filters, counts and order.
"""

from __future__ import annotations

from typing import Iterator, Protocol

from sqlalchemy.orm import Session, sessionmaker

from agenda.finder.index import Criteria
from agenda.region import Region

DIRECTORY_KINDS = ("initiative", "actor")
BACKENDS = ("whoosh", "postgresql")

Words = tuple[tuple[str, ...], ...]  # ``agenda.search.analysis.query_words``


class DirectoryAnswer(Protocol):
    """The actors and initiatives one query selects (a kind given no criteria: none)."""

    def count(self, kind: str) -> int: ...

    def counts(self, kind: str, facet: str) -> dict[str, int]:
        """How many of the kind's records have each value of ``facet`` ("theme", "dept",
        "structure", "status"); departments with the initiatives of the whole region."""

    def ordered(self, kind: str, wanted: int | None = None) -> Iterator[str]:
        """The kind's ids in page order (by relevance with words, else by name), lazily;
        ``wanted``: at most this many will be read."""

    def tiers(self, kind: str, ids: list[str]) -> dict[str, float]:
        """Each record's score without rarity (merging kinds)."""


class DirectorySearch(Protocol):
    def answer(self, session: Session, words: Words,
               criteria: dict[str, Criteria | None]) -> DirectoryAnswer:
        """What ``words`` and each kind's criteria (None: the kind left out) select."""


def directory_search(backend: str, region: Region, *,
                     factory: sessionmaker[Session] | None = None, **options) -> DirectorySearch:
    if backend == "postgresql":
        from agenda.finder.pg_directory import PgDirectory

        return PgDirectory(region)
    if backend != "whoosh":
        raise ValueError(f"search backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    from agenda.finder.memory import MemoryDirectory

    return MemoryDirectory(region, factory=factory, **options)
