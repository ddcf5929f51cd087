"""Languages: French by default, English on demand (remembered), a complete French catalogue,
and every filter error translated."""

from __future__ import annotations

import ast
from html import unescape
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from agenda.web.shared.filter_errors import MESSAGES, translate_filter_error

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "agenda/translations/fr/LC_MESSAGES/messages.po"


def page(client, url: str, **headers) -> str:
    return unescape(client.get(url, headers=headers).get_data(as_text=True))


def test_pages_are_french_by_default(client, calendar):
    html = page(client, "/")
    assert '<html lang="fr">' in html
    assert "<h1>Prochains évènements</h1>" in html and "Rechercher et filtrer" in html
    assert "lundi 23 novembre 2026" in html


def test_english_on_demand_and_remembered(client, calendar):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>Upcoming events</h1>" in html
    assert "Monday, November 23, 2026" in html
    assert "lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in page(client, "/mois/2026-11")  # the cookie remembers
    assert '<html lang="fr">' in page(client, "/?lang=fr")
    assert '<html lang="fr">' in page(client, "/sources")


@pytest.mark.parametrize("accept, lang", [
    ("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9,en;q=0.8", "fr"), ("de-DE,de;q=0.9", "fr"),
    ("", "fr"), ("*", "fr"),
])
def test_the_browser_language_is_used_without_a_choice(client, calendar, accept, lang):
    assert f'<html lang="{lang}">' in page(client, "/", **{"Accept-Language": accept})


def test_an_unknown_language_is_ignored(client, calendar):
    response = client.get("/?lang=xx")
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_pages_vary_with_the_language(client, calendar):
    assert {"Accept-Language", "Cookie"} <= set(client.get("/").headers["Vary"].split(", "))


def test_the_language_links_stay_on_this_site(client, calendar):
    html = client.get("/?q=x", environ_overrides={"PATH_INFO": "//elsewhere.example/page"}) \
        .get_data(as_text=True)
    assert 'href="/elsewhere.example/page?q=x&amp;lang=en"' in html


def test_filter_errors_in_english(client, calendar):
    html = page(client, "/?lang=en&dept=75")
    assert "Unknown department '75': the region's are 18, 28, 36, 37, 41, 45." in html


# --- The catalogue -------------------------------------------------------------------------

def source_msgids() -> set:
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None,
                "lazy_gettext": None}
    return {msgid if isinstance(msgid, str) else tuple(msgid)
            for _file, _line, msgid, _comments, _context
            in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}


def french_catalogue():
    with open(CATALOGUE, "rb") as f:
        return read_po(f, locale="fr")


def test_the_french_catalogue_translates_every_message():
    catalogue = french_catalogue()
    missing = [m for m in source_msgids() if m not in catalogue]
    assert not missing, "run `make messages` and translate: " + repr(missing)
    for message in catalogue:
        if message.id:
            assert "fuzzy" not in message.flags, message.id
            strings = [message.string] if isinstance(message.string, str) else message.string
            assert all(strings), message.id


def test_the_compiled_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), "run `make install` (it compiles the catalogues)"
    with open(compiled, "rb") as f:
        mo = read_mo(f)
    po = french_catalogue()
    assert messages_of(mo) == messages_of(po), "run `make install` to compile it again"


def messages_of(catalogue) -> dict:
    def frozen(value):
        return value if isinstance(value, str) else tuple(value)
    return {frozen(m.id): frozen(m.string) for m in catalogue if m.id}


def bad_filter_sentences() -> list[str]:
    """Every sentence a BadFilter is raised with, its {values} replaced by samples."""
    sentences = []
    for path in [ROOT / "agenda/listing/filters.py", *sorted((ROOT / "agenda/web").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and getattr(node.exc.func, "id", "") in ("BadFilter", "BadMonth"):
                sentences.append(_sample(node.exc.args[0]))
    return sentences


def _sample(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(part.value if isinstance(part, ast.Constant) else "q"
                   for part in node.values)


def test_every_filter_error_has_a_french_sentence(app):
    sentences = bad_filter_sentences()
    assert len(sentences) >= len(MESSAGES)
    with app.test_request_context("/?lang=fr"):
        for sentence in sentences:
            assert translate_filter_error(sentence) != sentence, sentence


@pytest.mark.parametrize("message, french", [
    ("Unknown department '75': the region's are 18, 28.",
     "Département « 75 » inconnu : ceux de la région sont 18, 28."),
    ("The date 'to' must be written YYYY-MM-DD.",
     "La date du champ « Jusqu'au » doit s'écrire AAAA-MM-JJ."),
    ("'mode' must be one of: online, in_person.",
     "Le champ « En ligne ou sur place » doit valoir l'une de ces valeurs : online, in_person."),
    ("An unexpected sentence.", "An unexpected sentence."),
])
def test_filter_errors_are_translated_with_their_values(app, message, french):
    with app.test_request_context("/"):
        assert translate_filter_error(message) == french
    with app.test_request_context("/?lang=en"):
        assert translate_filter_error(message) == message


def test_every_sentence_a_service_raises_is_marked_for_translation():
    """Services raise English msgids that the views translate: each must be marked with N_ (or
    be a constant so marked), or French pages would show it in English."""
    cli_only = {"accounts.py"}  # account errors are told by the `agenda user` command (English)
    unmarked = []
    for path in sorted((ROOT / "agenda/services").glob("*.py")):
        if path.name in cli_only:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                first = node.exc.args[0]
                if isinstance(first, (ast.Constant, ast.JoinedStr)):
                    unmarked.append(f"{path.name}:{node.lineno}")
    assert unmarked == []
