"""Our analysis as PostgreSQL's text-search values (pure).

A row's words become a ``tsvector`` literal whose lexemes are the index terms of
:func:`agenda.search.analysis.word_forms`, each at the position of the heaviest field holding
it, weighted A (title), B (categories, theme labels), C (place, organiser), D (description):
the four fields and weights of ``agenda.search.documents.FIELD_WEIGHTS``.  A query is a
``tsquery`` literal: every word (any of its forms) must be there.  PostgreSQL never stems or
folds anything itself ('simple' parsing of literals only): both backends see the same terms,
so they give the same answers.
"""

from __future__ import annotations

import re

from agenda.search.analysis import word_forms
from agenda.search.documents import FIELD_WEIGHTS

# Field -> (tsvector weight letter, position). Positions only carry the weights.
FIELD_LETTERS = {"title": "A", "tags": "B", "place": "C", "description": "D"}
LETTER_WEIGHTS = {FIELD_LETTERS[name]: weight for name, weight in FIELD_WEIGHTS.items()}
MAX_LEXEME = 200  # characters (PostgreSQL allows 2 KB; a longer "word" is no word)
_WORD = re.compile(r"\w+")


def field_terms(text: str) -> set[str]:
    """The index terms of one field's text."""
    return {form for word in _WORD.findall(text.lower()) for form in word_forms(word)
            if len(form) <= MAX_LEXEME}


def vector_literal(fields: dict[str, str]) -> str:
    """``{"title": ..., "tags": ..., "place": ..., "description": ...}`` -> a tsvector literal,
    each term once per field holding it ("'cooper':1A,4D")."""
    positions: dict[str, list[str]] = {}
    for index, (name, letter) in enumerate(FIELD_LETTERS.items(), start=1):
        for term in field_terms(fields.get(name) or ""):
            positions.setdefault(term, []).append(f"{index}{letter}")
    return " ".join(f"{quote(term)}:{','.join(marks)}" for term, marks in sorted(positions.items()))


def word_query(forms: tuple[str, ...], letter: str | None = None) -> str:
    """One word of a query (any of its forms), in any field or in the field ``letter``."""
    weight = f":{letter}" if letter else ""
    return " | ".join(f"{quote(form)}{weight}" for form in forms)


def words_query(words: tuple[tuple[str, ...], ...]) -> str:
    """Every word (``agenda.search.analysis.query_words``) must be there."""
    return " & ".join(f"({word_query(forms)})" for forms in words)


def quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
