"""The diagnosis partial (admin/_diagnosis.html) says a stored diagnosis in the page's language:
the format, the software, the counts and horizon, each finding with its severity in words and
its fix; nothing at all for no diagnosis or one it cannot read.  Every finding the doctor can
make and every reason discovery can give has its sentences."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask import render_template_string

from agenda.collectors.doctor import SEVERITIES, Diagnosis, Finding
from agenda.wording.doctor_sentences import FINDINGS, REASONS, REFUSALS
from agenda.wording.doctor_sentences import SEVERITIES as WORDS

ROOT = Path(__file__).resolve().parents[2]
PARTIAL = '{% include "admin/_diagnosis.html" %}'
STORED = Diagnosis(format="ics", generator="-//Nextcloud calendar v4.6.0", events=12,
                   upcoming=9, first="2027-01-14", last="2027-06-20", findings=[
                       Finding("doctor.all_past", "problem", {"last": "2026-10-03"}),
                       Finding("doctor.floating_times", "warning",
                               {"count": 3, "total": 12, "zone": "Europe/Paris"}),
                       Finding("doctor.no_cache_headers", "tip")]).to_json()


def render(app, lang: str, diagnosis) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return render_template_string(PARTIAL, diagnosis=diagnosis)


def test_a_stored_diagnosis_is_said_in_english_with_severities_in_words(app):
    html = render(app, "en", STORED)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Format: iCalendar calendar" in text
    assert "Made by: -//Nextcloud calendar v4.6.0" in text
    assert "Events: 12, from January 14, 2027 to June 20, 2027." in text
    assert "Events to come: 9." in text
    assert ("Problem: Every event is in the past (the last one on October 3, 2026): nothing new "
            "will appear.") in text
    assert ("Warning: Events whose times have no time zone: 3 of 12. They are read in the "
            "Europe/Paris time zone.") in text
    assert ("What to do: In your calendar software, choose the Europe/Paris time zone for this "
            "calendar.") in text
    assert html.index("severity-problem") < html.index("severity-warning") < html.index("severity-tip")


def test_the_french_page_writes_french_dates(app):
    assert "3 octobre 2026" in render(app, "fr", STORED)


@pytest.mark.parametrize("diagnosis", [None, {}, {"format": 3}, {"findings": [1]}])
def test_nothing_is_shown_for_no_diagnosis_or_an_unreadable_one(app, diagnosis):
    assert render(app, "en", diagnosis).strip() == ""


def test_a_healthy_diagnosis_says_no_problem_was_found(app):
    html = render(app, "en", Diagnosis(format="feed", events=2, upcoming=2).to_json())
    assert "No problem found." in html


def test_every_finding_severity_and_reason_has_its_sentences():
    made = _codes(ROOT / "agenda/collectors/doctor.py")
    assert made and made <= set(FINDINGS)
    assert set(SEVERITIES) == set(WORDS)
    reasons = _codes(ROOT / "agenda/services/source_discovery.py")
    for code in reasons:
        assert code in REASONS or code in REFUSALS or any(
            key.startswith(code) for key in (*REASONS, *REFUSALS)), code


def _codes(path: Path) -> set[str]:
    """The ``doctor.``/``discovery.`` codes written in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                r"(doctor|discovery)\.\w+", node.value):
            found.add(node.value)
    return found
