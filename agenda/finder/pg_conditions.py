"""The SQL conditions of the search across kinds on PostgreSQL: the records shown, the words
(the rows' text vectors, ``agenda.search.pg.vectors``), and the filters, as the directory index
reads them (``agenda.finder.index``):

- a department keeps the initiatives of the whole region (no department);
- a commune keeps the initiatives of its department, or of the whole region, that name no
  commune;
- a theme, structure or status: any of those asked.
"""

from __future__ import annotations

from sqlalchemy import and_, cast, false, or_
from sqlalchemy.dialects.postgresql import JSONB, TSQUERY, array

from agenda.finder.index import Criteria
from agenda.finder.rows import shown_actors
from agenda.models import Actor, Initiative
from agenda.search.pg.lexemes import word_query, words_query

MODELS = {"actor": Actor, "initiative": Initiative}


def name_column(kind: str):
    return Actor.name if kind == "actor" else Initiative.title


def shown(kind: str) -> tuple:
    """The records the search lists: shown actors, initiatives not withdrawn."""
    return shown_actors() if kind == "actor" else (Initiative.removed_at.is_(None),)


def matches(model, query: str):
    """``model``'s vector holds ``query`` (a tsquery literal, ``agenda.search.pg.lexemes``)."""
    return model.search_vector.op("@@")(cast(query, TSQUERY))


def holding_words(kind: str, words) -> tuple:
    """Every word there, each by one of its forms (none: no condition)."""
    return (matches(MODELS[kind], words_query(words)),) if words else ()


def best_field_queries(forms: tuple[str, ...]) -> list[str]:
    """The tsquery literals of one word in each field, heaviest first (title, themes, place)."""
    return [word_query(forms, letter) for letter in ("A", "B", "C")]


def filtered(kind: str, criteria: Criteria) -> tuple:
    model = MODELS[kind]
    found = []
    if criteria.themes:
        found.append(cast(model.themes, JSONB).has_any(array(sorted(criteria.themes))))
    if criteria.departments:
        found.append(in_departments(kind, criteria.departments))
    if criteria.communes:
        found.append(in_communes(kind, criteria.communes))
    if criteria.structures:
        found.append(Actor.structure.in_(sorted(criteria.structures)) if kind == "actor"
                     else false())
    if criteria.statuses:
        found.append(model.status.in_(sorted(criteria.statuses)))
    return tuple(found)


def region_wide():
    """An initiative of the whole region (no department)."""
    return or_(Initiative.department.is_(None), Initiative.department == "")


def in_departments(kind: str, codes) -> object:
    codes = sorted(code for code in codes if code)
    if kind == "actor":
        return Actor.department.in_(codes)
    return or_(Initiative.department.in_(codes), region_wide())


def in_communes(kind: str, communes) -> object:
    codes = sorted(code for code, _ in communes if code)
    if kind == "actor":
        return Actor.commune_code.in_(codes)
    departments = sorted(department for _, department in communes if department)
    no_commune = or_(Initiative.commune_code.is_(None), Initiative.commune_code == "")
    return or_(Initiative.commune_code.in_(codes),
               and_(no_commune, or_(Initiative.department.in_(departments), region_wide())))
