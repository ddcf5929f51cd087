"""Actors and initiatives answered by PostgreSQL (the PostgreSQL set-up's side of
:mod:`agenda.finder.backends`): SQL on ``actors.search_vector`` and
``initiatives.search_vector``, which every writing session fills before it commits
(``agenda.search.pg.vectors``).  Nothing is kept in the process: a search on any machine sees
what any of them committed.

One query asks, per kind and lazily: its counts by department, theme, status and structure (one
statement for both kinds); its rows in page order (one statement: each record's id, name and
the best field of each word, as one JSON value; the order computed by
:mod:`agenda.finder.ranking`); with words, each word's rarity (one statement).
"""

from __future__ import annotations

from sqlalchemy import case, distinct, func, literal, literal_column, select, true, union, union_all
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
from agenda.models import Actor, Initiative
from agenda.region import Region
from agenda.search.pg.lexemes import word_query

FACETS = ("dept", "status", "structure")
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

    # --- counts --------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        return sum(self.facets().get(kind, {}).get("dept", {}).values())

    def counts(self, kind: str, facet: str) -> dict[str, int]:
        found = dict(self.facets().get(kind, {}).get(facet, {}))
        region_wide = found.pop(_NONE, 0) if facet in FACETS else 0
        if facet == "dept" and kind == "initiative" and region_wide:
            for code in directory_departments(self.session):
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
                for kind, facet, value, n in self.session.execute(statement):
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
        row = func.json_build_array(model.id, name_column(kind), *tiers)
        found = self.session.scalar(select(func.json_agg(row)).where(*self.conditions[kind]))
        return [(str(record_id), name, *rest) for record_id, name, *rest in found or ()]

    def rarities(self) -> list[float]:
        """Each word's rarity among every actor and initiative listed (filters aside)."""
        if self._rarities is None:
            holding = [_listed_count(word_query(forms)) for forms in self.words]
            size, *counts = self.session.execute(select(_listed_count(None), *holding)).one()
            self._rarities = [ranking.rarity(size, n) for n in counts]
        return self._rarities


def _facet_parts(kind: str, conditions) -> list:
    """The selects counting ``kind``'s records by department, status, structure and theme."""
    model = MODELS[kind]
    structure = Actor.structure if kind == "actor" else literal_column("NULL")
    themes = case((func.json_typeof(model.themes) == "array", model.themes),
                  else_=literal_column("'[]'::json"))
    chosen = select(model.id, model.department, model.status, structure.label("structure"),
                    themes.label("themes")).where(*conditions).cte(f"chosen_{kind}")
    parts = [select(literal(kind), literal(facet), chosen.c[column], func.count())
             .group_by(chosen.c[column]) for facet, column in
             (("dept", "department"), ("status", "status"), ("structure", "structure"))
             if facet != "structure" or kind == "actor"]
    elements = func.json_array_elements_text(chosen.c.themes).table_valued("value")
    parts.append(select(literal(kind), literal("theme"), elements.c.value,
                        func.count(distinct(chosen.c.id)))
                 .select_from(chosen).join(elements, true()).group_by(elements.c.value))
    return parts


def _listed_count(query: str | None):
    """Listed actors and initiatives holding ``query`` (a tsquery literal; None: all)."""
    total = None
    for kind in ("actor", "initiative"):
        holding = (matches(MODELS[kind], query),) if query else ()
        count = select(func.count()).select_from(MODELS[kind]).where(
            *shown(kind), *holding).scalar_subquery()
        total = count if total is None else total + count
    return total


def directory_departments(session: Session) -> list[str]:
    """The departments of every listed actor and initiative (those a region-wide initiative
    is counted under, as the directory index counts it)."""
    statement = union(*(select(model.department).where(*shown(kind), model.department != "")
                        for kind, model in (("actor", Actor), ("initiative", Initiative))))
    return sorted(code for code in session.scalars(statement) if code)
