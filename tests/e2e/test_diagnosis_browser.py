"""A source's diagnosis on its staff page (admin/_diagnosis.html) with every finding the doctor
can make and a long software name: axe-core finds no violation, and it fits a 390 px phone, in
French and English."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from agenda.collectors.doctor import Diagnosis, Finding
from agenda.db import transaction
from agenda.models import Source
from agenda.services.accounts import create_user
from agenda.wording.doctor_sentences import FINDINGS
from tests.e2e.site_pages import STAFF_EMAIL, STAFF_PASSWORD, sign_in, with_lang
from tests.e2e.test_accessibility import AXE, violations

pytestmark = pytest.mark.browser

WIDTH = 390
PARAMS = {"count": 3, "total": 12, "zone": "Europe/Paris", "last": "2026-10-03"}
SEVERITY_OF = {"doctor.no_events": "problem", "doctor.all_past": "problem",
               "doctor.unstable_uids": "problem", "doctor.no_machine_data": "problem",
               "doctor.no_end": "tip", "doctor.no_cache_headers": "tip"}


@pytest.fixture
def diagnosed_source(demo_app, factory) -> int:
    findings = [Finding(code, SEVERITY_OF.get(code, "warning"), PARAMS) for code in FINDINGS]
    diagnosis = Diagnosis(format="feed", generator="https://wordpress.org/?v=6.4.2&" + "x" * 90,
                          events=12, upcoming=0, first="2026-01-14", last="2026-10-03",
                          findings=findings)
    with transaction(factory) as session:
        create_user(session, email=STAFF_EMAIL, password=STAFF_PASSWORD, role="admin",
                    now=datetime.now(timezone.utc))
        source = session.scalars(select(Source).where(Source.kind != "form")
                                 .order_by(Source.id)).first()
        source.diagnosis = diagnosis.to_json()
        return source.id


def open_page(browser, site: str, source_id: int, lang: str):
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 800},
                                  bypass_csp=True)  # axe-core is injected
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, lang)
    page.goto(f"{site}{with_lang(f'/admin/sources/{source_id}', lang)}")
    return context, page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_diagnosis_fits_a_phone_with_severities_in_words(browser, site, diagnosed_source,
                                                            lang):
    context, page = open_page(browser, site, diagnosed_source, lang)
    findings = page.locator(".diagnosis-findings .finding").count()
    severity = page.locator(".finding-severity").first.inner_text().strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""(width) => [...document.querySelectorAll('body *')].filter(
        el => el.getBoundingClientRect().right > width + 1 && el.offsetParent !== null)
        .slice(0, 8).map(el => el.tagName + '.' + el.className)""", WIDTH)
    context.close()
    assert wide == []
    assert findings == len(FINDINGS)
    assert severity in ("Problème\u00a0:", "Problème :", "Problem:")
    assert width <= WIDTH


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_the_diagnosis(browser, site, diagnosed_source, lang):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make install runs npm ci)")
    context, page = open_page(browser, site, diagnosed_source, lang)
    found = violations(page)
    context.close()
    assert found == []
