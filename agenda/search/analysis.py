"""French analysis for the search index: case, accents and plurals don't matter (pure).

The recipe of DEPENDENCIES.md (``RegexTokenizer(r"\\w+") | LowercaseFilter() | StopFilter(fr)
| StemFilter(lang="fr") | CharsetFilter(accent_map)``, stemming before folding accents) with
three repairs found by the table tests:

- the Snowball stemmer needs the accents to find some suffixes ('mobilité' -> 'mobil' but
  'mobilite' -> 'mobilit'), so each word also gives the stem of its unaccented spelling: a text
  and a query typed with or without accents always share a term;
- it keeps a plural 's' after a vowel ('vélos' -> 'vélos') and the 'x' of 'lieux': a final s/x
  is dropped after stemming, as ``agenda.region.normalize_keyword`` does for themes;
- ligatures are spelled out ('œuvre' = 'oeuvre') and stop words are also recognised unaccented.

Queries go through the same functions, so user words are only ever plain terms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

MAX_QUERY_WORDS = 8

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"})
_WORD = re.compile(r"\w+")
_stem = lru_cache(maxsize=200_000)(stemmer_for_language("fr"))


def fold(text: str) -> str:
    """``text`` without accents or ligatures: 'Cœur économe' -> 'Coeur econome'."""
    return text.translate(_LIGATURES).translate(accent_map)


STOP_WORDS = frozenset(stoplists["fr"]) | {"les"}
_STOPPED = STOP_WORDS | {fold(word) for word in STOP_WORDS}


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """The index terms of one lowercased word (empty for a stop word).

    'coopératives' -> ('cooper',); 'mobilité' -> ('mobil', 'mobilit').
    """
    word = word.translate(_LIGATURES)
    if word in _STOPPED:
        return ()
    forms = (_singular(fold(_stem(word))), _singular(_stem(fold(word))))
    return tuple(dict.fromkeys(form for form in forms if form))


def _singular(stem: str) -> str:
    return stem[:-1] if len(stem) > 3 and stem[-1] in "sx" else stem


class FrenchFormsFilter(Filter):
    """Replaces each lowercased token by its forms (see :func:`word_forms`)."""

    def __call__(self, tokens):
        for token in tokens:
            for form in word_forms(token.text):
                token.text = form
                yield token


def french_analyzer():
    """The analyzer of every text field of the index."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | FrenchFormsFilter()


def query_words(text: str) -> tuple[tuple[str, ...], ...]:
    """What a user typed, as words each given by its alternative forms.

    Nothing in ``text`` is syntax: 'title:', '*', '(', 'AND' and quotes are letters or nothing.
    Stop words and repeated words are dropped; at most ``MAX_QUERY_WORDS`` words are kept.
    """
    words: dict[tuple[str, ...], None] = {}
    for match in _WORD.finditer(text.lower()):
        forms = word_forms(match.group())
        if forms:
            words[forms] = None
        if len(words) >= MAX_QUERY_WORDS:
            break
    return tuple(words)


def text_matches(query: str, text: str) -> bool:
    """Every word of ``query`` is in ``text`` as the index would see it (same analysis):
    for the few events that are no longer in the index (recently removed ones)."""
    terms = {form for word in _WORD.findall(text.casefold()) for form in word_forms(word)}
    return all(any(form in terms for form in forms) for forms in query_words(query))
