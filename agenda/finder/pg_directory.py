"""Actors and initiatives answered by PostgreSQL (the PostgreSQL set-up's side of
:mod:`agenda.finder.backends`): SQL on ``actors.search_vector`` and
``initiatives.search_vector``, which every writing session fills before it commits
(``agenda.search.pg.vectors``).  Nothing is kept in the process: a search on any machine sees
what any of them committed.

One query asks, per kind and lazily: its counts by department, theme, status and structure (one
statement for both kinds); its rows in page order (one statement: each record's id, name and
the best field of each word; the order computed by :mod:`agenda.finder.ranking`); with two
words or more, each word's rarity (one statement).
"""

from __future__ import annotations

from sqlalchemy import (
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from agenda.finder import ranking
from agenda.finder.index import Criteria
from agenda.finder.pg_conditions import (
    MODELS,
    best_field_queries,
    filtered,
    holding_words,
    matches,
    name_column,
    shown,
)
from agenda.models import Actor
from agenda.region import Region
from agenda.search.pg.lexemes import word_query

FACETS = ("dept", "status", "structure")
# Compiling these statements (JIT: their estimates, a hundred themes a record, pass
# ``jit_above_cost``) took 400 ms of a 500 ms answer at 40,000 records, and never paid back:
# off for the rest of the transaction, as the events' search does (``agenda.search.pg.backend``).
NO_JIT = "SET LOCAL jit = off"
_NONE = ""  # a department, status or structure left empty


class PgDirectory:
    def __init__(self, region: Region):
        self.region = region

    def answer(self, session: Session, words, criteria: dict[str, Criteria | None]
               ) -> PgAnswer:
        return PgAnswer(session, words, criteria)


class PgAnswer:
    def __init__(self, session: Session, words, criteria: dict[str, Criteria | None]):
        self.session = session
        self.words = words
        self.conditions = {kind: (*shown(kind), *holding_words(kind, words),
                                  *filtered(kind, found))
                           for kind, found in criteria.items() if found is not None}
        self._facets: dict[str, dict[str, dict[str, int]]] | None = None
        self._rows: dict[str, list[ranking.Row]] = {}
        self._rarities: list[float] | None = None
        self._jit_off = False

    def execute(self, statement):
        if not self._jit_off:
            self.session.connection().exec_driver_sql(NO_JIT)  # not an ORM write
            self._jit_off = True
        return self.session.execute(statement)

    # --- counts --------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        return sum(self.facets().get(kind, {}).get("dept", {}).values())

    def counts(self, kind: str, facet: str) -> dict[str, int]:
        found = dict(self.facets().get(kind, {}).get(facet, {}))
        region_wide = found.pop(_NONE, 0) if facet in FACETS else 0
        if facet == "dept" and kind == "initiative" and region_wide:
            for code in self.execute(directory_departments()).scalars():
                found[code] = found.get(code, 0) + region_wide
        return found

    def facets(self) -> dict[str, dict[str, dict[str, int]]]:
        """kind -> facet -> value -> records ("" for no department, status or structure)."""
        if self._facets is None:
            self._facets = {kind: {facet: {} for facet in (*FACETS, "theme")}
                            for kind in self.conditions}
            if self.conditions:
                statement = union_all(*(part for kind, conditions in self.conditions.items()
                                        for part in _facet_parts(kind, conditions)))
                for kind, facet, value, n in self.execute(statement):
                    counted = self._facets[kind][facet]
                    counted[value or _NONE] = counted.get(value or _NONE, 0) + n
        return self._facets

    # --- order ---------------------------------------------------------------------------

    def ordered(self, kind: str, wanted: int | None = None):
        rows = self.rows(kind)
        rarities = self.rarities() if self.words and rows else None
        return iter([row[0] for row in ranking.ordered(rows, rarities, wanted)])

    def tiers(self, kind: str, ids: list[str]) -> dict[str, float]:
        if not self.words:
            return {}
        by_id = {row[0]: row for row in self.rows(kind)}
        return {i: ranking.tier_weight(by_id[i][2:]) for i in ids if i in by_id}

    def rows(self, kind: str) -> list[ranking.Row]:
        """Every record selected of ``kind``: (id, name, the best field of each word)."""
        if kind not in self._rows:
            self._rows[kind] = self._read_rows(kind) if kind in self.conditions else []
        return self._rows[kind]

    def _read_rows(self, kind: str) -> list[ranking.Row]:
        model = MODELS[kind]
        tiers = [case(*((matches(model, query), tier) for tier, query in
                        enumerate(best_field_queries(forms))), else_=len(ranking.FIELDS) - 1)
                 for forms in self.words]
        found = self.execute(select(model.id, name_column(kind), *tiers)
                             .where(*self.conditions[kind]))
        return [(str(record_id), name, *rest) for record_id, name, *rest in found]

    def rarities(self) -> list[float]:
        """Each word's rarity among every actor and initiative listed (filters aside); one
        word alone orders by its best field whatever its rarity (no statement)."""
        if self._rarities is None and len(self.words) == 1:
            self._rarities = [1.0]
        if self._rarities is None:
            holding = [_listed_count(word_query(forms)) for forms in self.words]
            size, *counts = self.execute(select(_listed_count(None), *holding)).one()
            self._rarities = [ranking.rarity(size, n) for n in counts]
        return self._rarities


def _facet_parts(kind: str, conditions) -> list:
    """The selects counting ``kind``'s records (kind, facet, value, records): by department,
    status and structure in one pass (grouping sets), by theme in another (each theme once a
    record)."""
    model = MODELS[kind]
    columns = {"dept": model.department, "status": model.status}
    if kind == "actor":
        columns["structure"] = Actor.structure
    facet = case(*((func.grouping(column) == 0, literal(name)) for name, column in
                   columns.items()))
    value = case(*((func.grouping(column) == 0, column) for column in columns.values()))
    grouped = (select(literal(kind), facet, value, func.count()).where(*conditions)
               .group_by(func.grouping_sets(*(tuple_(column) for column in columns.values()))))
    # (a JSON scalar would stop json_array_elements_text; its text says it is no list)
    themes = case((func.ltrim(cast(model.themes, Text)).startswith("["), model.themes),
                  else_=literal_column("'[]'::json"))
    elements = func.json_array_elements_text(themes).table_valued("value")
    pairs = (select(model.id, elements.c.value).select_from(model).join(elements, true())
             .where(*conditions).distinct().subquery())
    by_theme = (select(literal(kind), literal("theme"), pairs.c.value, func.count())
                .group_by(pairs.c.value))
    return [grouped, by_theme]


def _listed_count(query: str | None):
    """Listed actors and initiatives holding ``query`` (a tsquery literal; None: all)."""
    total = None
    for kind in ("actor", "initiative"):
        holding = (matches(MODELS[kind], query),) if query else ()
        count = select(func.count()).select_from(MODELS[kind]).where(
            *shown(kind), *holding).scalar_subquery()
        total = count if total is None else total + count
    return total


def directory_departments():
    """The departments of every listed actor and initiative (those a region-wide initiative
    is counted under, as the directory index counts it): each table's department index
    walked from one department to the next (a handful of lookups, not a scan)."""
    return union(*(_departments_walk(kind) for kind in ("actor", "initiative")))


def _departments_walk(kind: str):
    model = MODELS[kind]

    def after(code):
        return (select(func.min(model.department)).where(model.department > code, *shown(kind))
                .scalar_subquery())

    walk = select(after("").label("code")).cte(f"departments_{kind}", recursive=True)
    walk = walk.union_all(select(after(walk.c.code)).where(walk.c.code.is_not(None)))
    return select(walk.c.code).where(walk.c.code.is_not(None))
