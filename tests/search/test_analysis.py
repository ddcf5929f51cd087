"""French analysis: a query finds a text whatever the accents, case and plural, both ways."""

from __future__ import annotations

import pytest

from agenda.search.analysis import MAX_QUERY_WORDS, french_analyzer, query_words, text_matches

ANALYZER = french_analyzer()


def terms(text: str) -> set[str]:
    return {token.text for token in ANALYZER(text)}


def finds(query: str, text: str) -> bool:
    """True when every word of ``query`` has a form among the terms of ``text``."""
    indexed = terms(text)
    words = query_words(query)
    return bool(words) and all(set(forms) & indexed for forms in words)


FOUND = [  # (query, a text it finds): also searched through both backends (test_analysis_searched)
    ("cooperatives", "Coopérative"),
    ("coopérative", "COOPERATIVES"),
    ("reemploi", "Atelier réemploi"),
    ("réemploi", "atelier reemploi"),
    ("economie", "Économie sociale et solidaire"),
    ("économies", "economie"),
    ("ressourceries", "Ressourcerie du Val"),
    ("mobilite", "Mobilité solidaire"),  # the stemmer needs the accent to cut "-ité"
    ("mobilité", "mobilite"),
    ("velos", "Atelier vélo"),  # a plural s after a vowel
    ("vélo", "Réparation de VELOS"),
    ("tiers lieux", "Tiers-lieu"),
    ("tiers-lieu", "les tiers lieux"),
    ("oeuvre", "Main-d'œuvre"),
    ("œuvres", "oeuvre"),
    ("orleans", "Orléans"),
    ("Châteauroux", "chateauroux"),
    ("benevoles", "Formation des bénévoles"),
    ("repair cafe", "Repair Cafés"),
    ("jardins partagés", "jardin partage"),
    ("l'ESS", "Forum de l'ESS"),
    ("ess", "Mois de l’ESS"),
    ("zero dechets", "Atelier zéro déchet"),
    ("epiceries solidaires", "Épicerie solidaire"),
    ("Noël", "marché de noel"),
]
NOT_FOUND = [
    ("vélo", "Forum de l'ESS"),
    ("repair café", "Repair"),  # every word must be there
    ("compost", "Atelier réemploi"),
    ("tours", "Orléans"),
]


@pytest.mark.parametrize("query, text", FOUND)
def test_accents_case_and_plurals_do_not_matter(query, text):
    assert finds(query, text)


@pytest.mark.parametrize("query, text", NOT_FOUND)
def test_other_words_are_not_found(query, text):
    assert not finds(query, text)


@pytest.mark.parametrize("text", [
    "", "   ", "le la les de des", "*", "?", "(", ")", '"', "'", "\\", "title:", "AND", "OR NOT",
    '"unbalanced', "repair*", "caf?", "(forum OR", "title:repair AND (café", "a:b:c", "~2",
    "x" * 200, "é" * 200, "\x00\x1f", "🌱 jardin 🌱", "<script>alert(1)</script>", "%_%",
    "'; DROP TABLE events; --", "-forum +café", "forum^10", "[a TO z]", "{a TO z}",
    " ".join(["mot"] * 50), " ".join(f"mot{i}" for i in range(50)),
])
def test_any_text_gives_plain_words_without_raising(text):
    words = query_words(text)
    assert len(words) <= MAX_QUERY_WORDS
    assert all(forms and all(form.isalnum() or "_" in form for form in forms) for forms in words)


def test_query_syntax_is_only_words():
    assert query_words("title:Repair AND (café*") == (("titl",), ("repair",), ("and",), ("caf",))
    assert query_words("le la les de") == ()


@pytest.mark.parametrize("query, text, expected", [
    ("cooperatives", "Réunion : Coopérative", True),
    ("reemploi atelier", "Atelier de réemploi", True),
    ("vélo", "Forum de l'ESS", False),
    ("( * « »", "Forum", True),  # no words left: nothing to require
])
def test_removed_events_are_matched_with_the_index_analysis(query, text, expected):
    assert text_matches(query, text) is expected
