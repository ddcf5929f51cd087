"""Languages: French by default, English on demand (remembered), a complete French catalogue,
and every filter error translated."""

from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import CollectionRun
from agenda.store.sources import add_source
from agenda.web.shared.filter_errors import MESSAGES, translate_filter_error
from agenda.web.shared.source_messages import run_warnings

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "agenda/translations/fr/LC_MESSAGES/messages.po"


def page(client, url: str, **headers) -> str:
    return unescape(client.get(url, headers=headers).get_data(as_text=True))


def test_pages_are_french_by_default(client, calendar):
    html = page(client, "/")
    assert '<html lang="fr">' in html
    assert re.search(r"<h1[^>]*>Prochains évènements</h1>", html)
    assert "lundi 23 novembre 2026" in html


def test_english_on_demand_and_remembered(client, calendar):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and re.search(r"<h1[^>]*>Upcoming events</h1>", html)
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
     "Département «\u00a075\u00a0» inconnu\u00a0: ceux de la région sont 18, 28."),
    ("The date 'to' must be written YYYY-MM-DD.",
     "La date du champ «\u00a0Jusqu’au\u00a0» doit s’écrire AAAA-MM-JJ."),
    ("'mode' must be one of: online, in_person.",
     "Le champ «\u00a0En ligne ou sur place\u00a0» doit valoir l’une de ces valeurs\u00a0: "
     "online, in_person."),
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


# --- Source problems in the page's language (/sources) ----------------------------------------

TRUNCATED = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n"


@pytest.mark.parametrize("status, body, content_type, french, hint, english", [
    (404, "gone", "text/plain", "Le serveur a répondu HTTP 404 (page introuvable).",
     "L’adresse renvoie une page introuvable (404)\u00a0: vérifiez le lien du flux sur votre site.",
     "The server answered HTTP 404 (Not Found)."),
    (503, "busy", "text/plain", "Le serveur a répondu HTTP 503 (service indisponible).",
     "Le serveur de votre site a eu un problème (503)\u00a0:",
     "The server answered HTTP 503 (Service Unavailable)."),
    (200, "<html><body>Agenda</body></html>", "text/html",
     "L’adresse renvoie une page web, pas un agenda ni un flux.",
     "cherchez le lien d’export «\u00a0iCal\u00a0», «\u00a0ICS\u00a0» ou «\u00a0RSS\u00a0»",
     "The address returns a web page, not a calendar or a feed."),
    (200, TRUNCATED, "text/calendar", "L’agenda est tronqué\u00a0: END:VCALENDAR manque.",
     "Le fichier de l’agenda est abîmé\u00a0: exportez-le de nouveau",
     "The calendar is cut short: END:VCALENDAR is missing."),
])
def test_a_source_problem_is_said_in_the_page_language_with_what_to_do(
        client, factory, settings, now, httpserver, status, body, content_type, french, hint,
        english):
    httpserver.expect_request("/agenda.ics").respond_with_data(body, status=status,
                                                               content_type=content_type)
    with transaction(factory) as session:
        source_id = add_source(session, name="Agenda de test", url=httpserver.url_for("/agenda.ics"),
                               now=now).id
    assert refresh_source(factory, source_id, now=now, settings=settings).outcome == "error"
    in_french = page(client, "/sources?lang=fr")
    assert french in in_french and hint in in_french and english not in in_french
    in_english = page(client, "/sources?lang=en")
    assert english in in_english and french not in in_english


def test_an_error_stored_without_its_values_shows_its_sentence(client, factory, now):
    """Rows written before the values were kept: the stored sentence, not an empty one."""
    with transaction(factory) as session:
        source = add_source(session, name="Ancienne", url="https://exemple.org/a.ics", now=now)
        source.status, source.last_error_code = "error", "fetch.http_status"
        source.last_error = "The server answered HTTP 410 (Gone)."
    assert "The server answered HTTP 410 (Gone)." in page(client, "/sources")


def test_run_warnings_are_said_in_the_page_language(app, factory, settings, now, httpserver):
    body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Atelier\r\n"
            "DTSTART:20261127T140000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\n"
            "SUMMARY:Sans date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    httpserver.expect_request("/agenda.ics").respond_with_data(body, content_type="text/calendar")
    with transaction(factory) as session:
        source_id = add_source(session, name="S", url=httpserver.url_for("/agenda.ics"),
                               now=now).id
    refresh_source(factory, source_id, now=now, settings=settings)
    with transaction(factory) as session:
        run = session.scalar(select(CollectionRun).where(CollectionRun.source_id == source_id))
        with app.test_request_context("/?lang=fr"):
            assert run_warnings(run) == [
                "Évènement «\u00a0Sans date\u00a0» ignoré\u00a0: il n’a pas de date de début "
                "lisible."]
        with app.test_request_context("/?lang=en"):
            assert run_warnings(run) == run.warnings == [
                "Skipped event 'Sans date': it has no readable start date."]


def test_the_sources_page_marks_names_written_by_actors_as_french(client, calendar):
    html = client.get("/sources?lang=en").get_data(as_text=True)
    assert '<h2 lang="fr">Tiers-lieu</h2>' in html
    assert '<h2>Tiers-lieu</h2>' in client.get("/sources?lang=fr").get_data(as_text=True)
