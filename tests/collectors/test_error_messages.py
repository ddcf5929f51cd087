"""Every sentence the collectors write (errors and warnings) has a code, its values as
parameters, and a French sentence: French pages never show a source's problem in English."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from agenda import errors
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
