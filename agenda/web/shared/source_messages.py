"""Source errors and parser warnings in the page's language.

A source's last error, a run's error and a run's warnings are stored as English sentences (for
the logs and the CLI) with their code and values (JSON).  The templates call:

- ``source_problem(source)``: the source's last error, in the page's language;
- ``source_hint(source)``: what the owner of the source can do about it (or None);
- ``run_problem(run)``: a collection run's error;
- ``run_warnings(run)``: a collection run's warnings, one sentence each.

Rows written before the values were kept fall back to their stored sentence.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import format_decimal, gettext

from agenda.web.shared.source_sentences import HINTS, HTTP_REASONS, SENTENCES

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def init_source_messages(app: Flask) -> None:
    app.jinja_env.globals.update(source_problem=source_problem, source_hint=source_hint,
                                 run_problem=run_problem, run_warnings=run_warnings)


def source_problem(source) -> str | None:
    """The last error of ``source`` in the page's language; None when it has none."""
    if not source.last_error and not source.last_error_code:
        return None
    return say(source.last_error_code, source.last_error_params, source.last_error)


def run_problem(run) -> str | None:
    if not run.error_message and not run.error_code:
        return None
    return say(run.error_code, run.error_params, run.error_message)


def run_warnings(run) -> list[str]:
    details = run.warning_details or []
    said = []
    for index, sentence in enumerate(run.warnings or []):
        detail = details[index] if index < len(details) else None
        said.append(say(detail["code"], detail["params"], sentence) if detail else sentence)
    return said


def say(code: str | None, params: dict | None, fallback: str | None) -> str:
    """The sentence of ``code`` with ``params``, translated; ``fallback`` when it can't be."""
    msgid = _msgid(code, params)
    if msgid is None or (params is None and _PLACEHOLDER.search(msgid)):
        return fallback or ""
    try:
        values = {name: _value(code, name, (params or {})[name])
                  for name in _PLACEHOLDER.findall(msgid)}
    except (KeyError, TypeError, ValueError):
        return fallback or ""
    return gettext(msgid, **values) if values else gettext(msgid)


def source_hint(source) -> str | None:
    """What the owner can do about the source's error, in the page's language."""
    code, params = source.last_error_code, source.last_error_params or {}
    if code == "fetch.http_status":
        status = params.get("status")
        if not isinstance(status, int):
            return None
        return gettext(HINTS[_http_hint(status)], status=status)
    return gettext(HINTS[code]) if code in HINTS else None


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


def _value(code: str, name: str, value) -> str:
    """One value, as the page writes it: nested sentences translated, numbers localised."""
    if isinstance(value, dict):
        nested = say(value.get("code"), value.get("params"), None)
        if not nested:
            raise ValueError(name)
        return nested
    if isinstance(value, bool) or value is None:
        raise ValueError(name)
    if name == "max_bytes" and isinstance(value, int):
        return _size(value)
    if isinstance(value, (int, float)):
        return str(value) if name in ("status", "line") else format_decimal(value)
    if name == "reason" and value in HTTP_REASONS:
        return gettext(HTTP_REASONS[value])
    return str(value)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return gettext("%(size)s MB", size=format_decimal(size / (1024 * 1024)))
    if size >= 1024:
        return gettext("%(size)s KB", size=format_decimal(size / 1024))
    return gettext("%(size)s bytes", size=format_decimal(size))
