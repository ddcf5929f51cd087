"""Every sentence the collectors write (errors and warnings) has a code, its values as
parameters, and a French sentence: French pages never show a source's problem in English."""

from __future__ import annotations

import ast
import pickle
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from agenda import errors
from agenda.collectors.feed import parse_feed
from agenda.collectors.ical import parse_ical
from agenda.collectors.notice import Notice, json_params
from agenda.errors import CollectError
from agenda.text_clean import printable
from agenda.web.shared.i18n import init_babel
from agenda.web.shared.source_messages import say, source_hint
from agenda.web.shared.source_sentences import HINTS, HTTP_REASONS, SENTENCES

ROOT = Path(__file__).resolve().parents[2]
COLLECTORS = ROOT / "agenda/collectors"
CATALOGUE = ROOT / "agenda/translations/fr/LC_MESSAGES/messages.po"
SENTENCE_MAKERS = {"Notice", "FetchError", "ParseError", "CollectError", "ClaimLost",
                   "record_failure"}


def built_sentences() -> list[tuple[str, str, str]]:
    """(where, catalogue key, English template) of every sentence built in the collectors."""
    found = []
    for path in sorted(COLLECTORS.glob("*.py")):
        tree = ast.parse(path.read_text())
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in SENTENCE_MAKERS:
                if sentence := _sentence(node, constants):
                    found.append((f"{path.name}:{node.lineno}", *sentence))
    return found


def _name(func: ast.expr) -> str:
    return getattr(func, "id", "") or getattr(func, "attr", "")


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def _sentence(call: ast.Call, constants: dict[str, str]) -> tuple[str, str] | None:
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    message = keywords.get("message") if _name(call.func) == "record_failure" else call.args[0]
    if not isinstance(message, (ast.Constant, ast.JoinedStr, ast.Name)) or (
            isinstance(message, ast.Name) and message.id not in constants):
        return None  # passes on a sentence built elsewhere (error.message)
    code = _constant(keywords.get("code")) or getattr(errors, _name(call.func), None).code
    variant = _constant(keywords.get("variant"))
    key = f"{code}:{variant}" if variant else code
    return key, _template(message, keywords, constants)


def _constant(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) else None


def _template(node: ast.expr, keywords: dict[str, ast.expr], constants: dict[str, str]) -> str:
    """The sentence with each value written %(parameter)s."""
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.Constant):
        return node.value
    assert isinstance(node, ast.JoinedStr), ast.unparse(node)
    parts = []
    for part in node.values:
        if isinstance(part, ast.Constant):
            parts.append(part.value)
            continue
        name = _parameter_of(part.value, keywords) or f"NOT A PARAMETER: {ast.unparse(part.value)}"
        parts.append(f"'%({name})s'" if part.conversion == ord("r") else f"%({name})s")
    return "".join(parts)


def _parameter_of(value: ast.expr, keywords: dict[str, ast.expr]) -> str | None:
    """The keyword that passes ``value`` (or the value a call such as a size formatter reads)."""
    candidates = [value, *(value.args if isinstance(value, ast.Call) else [])]
    for name, passed in keywords.items():
        if any(ast.dump(passed) == ast.dump(candidate) for candidate in candidates):
            return name
    return None


SENTENCES_BUILT = built_sentences()


def test_the_collectors_are_walked():
    keys = {key for _where, key, _template in SENTENCES_BUILT}
    assert {"fetch.http_status", "fetch.timeout:download", "parse.html_page", "feed.item_skipped",
            "ical.first_date_kept", "collect.interrupted"} <= keys
    assert len(SENTENCES_BUILT) > 60


@pytest.mark.parametrize("where, key, template", SENTENCES_BUILT,
                         ids=[where for where, _key, _template in SENTENCES_BUILT])
def test_each_sentence_is_in_the_catalogue_word_for_word(where, key, template):
    assert "NOT A PARAMETER" not in template, f"{where}: each value must be passed as a parameter"
    assert SENTENCES.get(key) == template, f"{where}: write {template!r} under {key!r}"


def test_the_catalogue_holds_only_sentences_the_collectors_write():
    assert set(SENTENCES) == {key for _where, key, _template in SENTENCES_BUILT}


@lru_cache(maxsize=1)
def french() -> dict[str, str]:
    with open(CATALOGUE, "rb") as f:
        return {m.id: m.string for m in read_po(f, locale="fr") if m.id}


@pytest.mark.parametrize("msgid", sorted({*SENTENCES.values(), *HINTS.values(),
                                          *HTTP_REASONS.values()}))
def test_each_sentence_and_hint_has_a_french_translation(msgid):
    translated = french().get(msgid)
    assert translated and translated != msgid
    assert sorted(_placeholders(translated)) == sorted(_placeholders(msgid))


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", text)


# --- Built again from their code and values, the sentences read as the collectors wrote them ---

DATA = ROOT / "tests/data"
SAMPLES = sorted([*DATA.glob("ics/*.ics"), *DATA.glob("feeds/*"), *DATA.glob("corpus/ics/*"),
                  *DATA.glob("corpus/feeds/*")])
WINDOW = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 12, 31, tzinfo=timezone.utc))
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def babel_app():
    app = Flask(__name__)
    init_babel(app, timezone="Europe/Paris")
    return app


def said(app, lang: str, code: str, params: dict) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return say(code, params, None)


@lru_cache(maxsize=1)
def sample_sentences() -> list[tuple[str, str, dict]]:
    """(English sentence, code, stored values) of every warning and error the samples give."""
    found = []
    for path in SAMPLES:
        try:
            if path.suffix == ".ics" or path.parent.name == "ics":
                result = parse_ical(path.read_bytes(), default_tz=PARIS, window=WINDOW)
            else:
                result = parse_feed(path.read_bytes(), default_tz=PARIS)
        except CollectError as error:
            found.append((error.message, error.code, json_params(error.data)))
            continue
        found += [(printable(w), w.code, json_params(w.params)) for w in result.warnings]
    return found


def test_every_sample_sentence_reads_the_same_when_built_again_in_english(babel_app):
    sentences = sample_sentences()
    codes = {code for _sentence, code, _params in sentences}
    assert {"ical.event_skipped", "ical.first_date_kept", "parse.syntax", "feed.undated"} <= codes
    for sentence, code, params in sentences:
        rebuilt = said(babel_app, "en", code, params)
        assert re.sub(r"(?<=\d),(?=\d{3}\b)", "", rebuilt) == sentence  # 1,000 -> 1000


def test_every_sample_sentence_is_said_in_french(babel_app):
    for sentence, code, params in sample_sentences():
        french = said(babel_app, "fr", code, params)
        assert french and french != sentence, sentence


@pytest.mark.parametrize("code, params, french", [
    ("fetch.http_status", {"status": 404, "reason": "Not Found", "url": "https://a.fr/x.ics"},
     "Le serveur a répondu HTTP 404 (page introuvable)."),
    ("fetch.http_status", {"status": 599, "variant": "unknown"}, "Le serveur a répondu HTTP 599."),
    ("fetch.too_large", {"max_bytes": 20 * 1024 * 1024}, "Le fichier dépasse la limite de 20 Mo."),
    ("fetch.timeout", {"seconds": 30.0, "variant": "download"},
     "Le téléchargement a duré plus de 30 secondes et a été arrêté."),
    ("ical.event_skipped", {"event": {"code": "ical.event_title", "params": {"title": "Atelier"}},
                            "reason": {"code": "ical.no_start", "params": {}}},
     "Évènement «\u00a0Atelier\u00a0» ignoré\u00a0: il n’a pas de date de début lisible."),
    ("ical.event_skipped", {"event": {"code": "ical.event_anonymous", "params": {}},
                            "reason": "Content line could not be parsed"},
     "Évènement sans titre ni UID ignoré\u00a0: Content line could not be parsed."),
    ("ical.series_limit", {"event": {"code": "ical.event_uid", "params": {"uid": "x@y"}},
                           "count": 1000},
     "Évènement d’UID «\u00a0x@y\u00a0»\u00a0: plus de 1\u202f000 répétitions dans la période\u00a0; "
     "seules les premières sont gardées."),
])
def test_sentences_in_french_with_their_values(babel_app, code, params, french):
    assert said(babel_app, "fr", code, params) == french


@pytest.mark.parametrize("code, params", [
    ("fetch.http_status", None),  # a row written before the values were kept
    ("fetch.http_status", {"status": 404}),  # a value missing
    ("fetch.unheard_of", {}),  # a code this version does not know
    ("ical.event_skipped", {"event": {"code": "unknown", "params": {}}, "reason": "x"}),
])
def test_without_what_it_needs_the_stored_sentence_is_shown(babel_app, code, params):
    with babel_app.test_request_context("/?lang=fr"):
        assert say(code, params, "The stored sentence.") == "The stored sentence."


def test_a_warning_keeps_its_code_and_values_through_pickling():
    notice = Notice("Skipped event 'a': b.", code="ical.event_skipped", event="a", reason="b")
    copy = pickle.loads(pickle.dumps(notice))
    assert (copy, copy.code, copy.params) == (notice, "ical.event_skipped", notice.params)


@pytest.mark.parametrize("code, params, french", [
    ("fetch.http_status", {"status": 410}, "L’adresse renvoie une page introuvable (410)"),
    ("fetch.http_status", {"status": 403}, "Le serveur refuse de donner l’agenda (403)"),
    ("fetch.http_status", {"status": 429}, "Le serveur de votre site a eu un problème (429)"),
    ("fetch.http_status", {"status": 400}, "Le serveur a refusé la demande (400)"),
    ("fetch.dns", {"host": "exemple.org"}, "Le nom de votre site est introuvable"),
    ("parse.not_ical", {}, "cherchez le lien d’export"),
    ("collect.interrupted", None, "Rien à faire de votre côté"),
])
def test_the_owner_is_told_what_to_do(babel_app, code, params, french):
    source = SimpleNamespace(last_error_code=code, last_error_params=params)
    with babel_app.test_request_context("/?lang=fr"):
        assert french in source_hint(source)


def test_no_hint_without_an_error_or_for_an_unknown_code(babel_app):
    with babel_app.test_request_context("/?lang=fr"):
        for code in (None, "fetch.unheard_of"):
            assert source_hint(SimpleNamespace(last_error_code=code, last_error_params={})) is None
