"""A source's error, and what its owner can do about it, said in one language (no Flask).

Each stored error has its code and values (JSON) beside the English sentence; the catalogue
(``source_sentences``) gives the msgid of each code (``code:variant`` when a code has several).
Rows written before the values were kept fall back to their stored sentence.
"""

from __future__ import annotations

import re

from agenda.messages import N_
from agenda.wording.language import Language
from agenda.wording.source_sentences import HINTS, HTTP_REASONS, SENTENCES

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def say(code: str | None, params: dict | None, fallback: str | None, language: Language) -> str:
    """The sentence of ``code`` with ``params``, translated; ``fallback`` when it can't be."""
    msgid = _msgid(code, params)
    if msgid is None or (params is None and _PLACEHOLDER.search(msgid)):
        return fallback or ""
    try:
        values = {name: _value(name, (params or {})[name], language)
                  for name in _PLACEHOLDER.findall(msgid)}
    except (KeyError, TypeError, ValueError):
        return fallback or ""
    return language.gettext(msgid, **values)


def problem(source, language: Language) -> str | None:
    """The last error of ``source``; None when it has none."""
    if not source.last_error and not source.last_error_code:
        return None
    return say(source.last_error_code, source.last_error_params, source.last_error, language)


def hint(code: str | None, params: dict | None, language: Language) -> str | None:
    """What the owner can do about the error ``code`` (None when we have nothing to say)."""
    params = params or {}
    if code == "fetch.http_status":
        status = params.get("status")
        if not isinstance(status, int):
            return None
        return language.gettext(HINTS[_http_hint(status)], status=status)
    return language.gettext(HINTS[code]) if code in HINTS else None


def _http_hint(status: int) -> str:
    if status in (404, 410):
        return "http.404"
    if status in (401, 403):
        return "http.401"
    return "http.5xx" if status >= 500 or status == 429 else "http.4xx"  # 429: it passes


def _msgid(code: str | None, params: dict | None) -> str | None:
    variant = (params or {}).get("variant")
    key = f"{code}:{variant}" if variant else code
    return SENTENCES.get(key)


def _value(name: str, value, language: Language) -> str:
    """One value, as the sentence writes it: nested sentences translated, numbers localised."""
    if isinstance(value, dict):
        nested = say(value.get("code"), value.get("params"), None, language)
        if not nested:
            raise ValueError(name)
        return nested
    if isinstance(value, bool) or value is None:
        raise ValueError(name)
    if name == "max_bytes" and isinstance(value, int):
        return _size(value, language)
    if isinstance(value, (int, float)):
        return str(value) if name in ("status", "line") else language.number(value)
    if name == "reason" and value in HTTP_REASONS:
        return language.gettext(HTTP_REASONS[value])
    return str(value)


def _size(size: int, language: Language) -> str:
    if size >= 1024 * 1024:
        return language.gettext(N_("%(size)s MB"), size=language.number(size / (1024 * 1024)))
    if size >= 1024:
        return language.gettext(N_("%(size)s KB"), size=language.number(size / 1024))
    return language.gettext(N_("%(size)s bytes"), size=language.number(size))
