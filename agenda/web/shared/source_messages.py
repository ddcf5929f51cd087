"""Source errors and parser warnings in the page's language.

A source's last error, a run's error and a run's warnings are stored as English sentences (for
the logs and the CLI) with their code and values (JSON).  The templates call:

- ``source_problem(source)``: the source's last error, in the page's language;
- ``source_hint(source)``: what the owner of the source can do about it (or None);
- ``run_problem(run)``: a collection run's error;
- ``run_warnings(run)``: a collection run's warnings, one sentence each.

Rows written before the values were kept fall back to their stored sentence.  The sentences
are built by ``agenda.wording.source_errors`` (no Flask: e-mails to a source's owner say the
same), here in the language of the page.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal, gettext

from agenda.wording import source_errors
from agenda.wording.language import Language


def init_source_messages(app: Flask) -> None:
    app.jinja_env.globals.update(source_problem=source_problem, source_hint=source_hint,
                                 run_problem=run_problem, run_warnings=run_warnings)


def page_language() -> Language:
    """The language of the page being built (Flask-Babel's)."""
    return Language(gettext=gettext, number=format_decimal)


def source_problem(source) -> str | None:
    """The last error of ``source`` in the page's language; None when it has none."""
    return source_errors.problem(source, page_language())


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
    return source_errors.say(code, params, fallback, page_language())


def source_hint(source) -> str | None:
    """What the owner can do about the source's error, in the page's language."""
    return source_errors.hint(source.last_error_code, source.last_error_params, page_language())
