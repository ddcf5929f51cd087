"""The feed doctor's diagnosis and discovery's reasons in the page's language.

The sentences themselves (each finding's problem and fix, why discovery chose a collector or
refused an address) are in ``agenda.wording.doctor_sentences`` (no Flask: the command line
says the same); here they are said with Flask-Babel's language and dates.  The templates call:

- ``said_diagnosis(diagnosis)``: a stored diagnosis (the JSON of ``Source.diagnosis``) or a
  :class:`~agenda.collectors.doctor.Diagnosis`, ready to show (None when there is none);
- ``said_reasons(discovery)``: why discovery chose what it chose, a sentence each;
- ``said_refusal(error)``: (the sentence, what to do) for an address discovery refused.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date

from agenda.collectors.doctor import Diagnosis
from agenda.web.shared.source_messages import page_language
from agenda.wording import doctor_sentences
from agenda.wording.doctor_sentences import SaidDiagnosis


def init_doctor_sentences(app: Flask) -> None:
    app.jinja_env.globals.update(said_diagnosis=said_diagnosis, said_reasons=said_reasons,
                                 said_refusal=said_refusal)


def said_diagnosis(diagnosis: Diagnosis | dict | None) -> SaidDiagnosis | None:
    if isinstance(diagnosis, dict) or diagnosis is None:
        diagnosis = Diagnosis.from_json(diagnosis)
    if diagnosis is None:
        return None
    return doctor_sentences.say_diagnosis(diagnosis, page_language(), _date_text)


def said_reasons(discovery) -> list[str]:
    return [doctor_sentences.say_reason(code, params, page_language())
            for code, params in discovery.reasons]


def said_refusal(error) -> tuple[str, str | None]:
    return doctor_sentences.say_refusal(error, page_language())


def _date_text(day: date) -> str:
    return format_date(day, format="long")
