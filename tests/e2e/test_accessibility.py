"""axe-core (npm, pinned) finds no violation on any page, public or staff, in French and in
English, on a 390 px phone and a 1280 px desktop.  The demo is collected for real, a proposal
waits in the queue, an initiative is published and a campaign exists, so that every page shows
real content (`tests/e2e/site_pages.py` lists them; `test_narrow_pages` keeps the list complete)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.site_pages import prepare_site, sign_in, with_lang

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Pages beyond the walk of site_pages (other states of a page), added by hand.
PUBLIC_PAGES: list[str] = ["/mois?vue=liste", "/?dept=41&dept=18&theme=reemploi&from=2026-01-01&to=2027-12-31&page=2",
                           "/?commune=37261", "/?commune=37261&commune=45234&city=Tours"]
STAFF_PAGES: list[str] = []


def violations(page) -> list[str]:
    """axe-core's violations on the loaded page, one line each (rule, impact, where)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in json.loads(result)]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_any_page(browser, demo_app, site, factory, lang, width):
    pages = prepare_site(demo_app, factory)
    context = browser.new_context(locale="fr-FR", bypass_csp=True,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    for path in dict.fromkeys(pages.public + PUBLIC_PAGES):
        page.goto(site + with_lang(path, lang))
        found[path] = violations(page)
    sign_in(page, site, lang)
    for path in dict.fromkeys(pages.staff + STAFF_PAGES):
        page.goto(site + with_lang(path, lang))
        assert "/admin/login" not in page.url, path
        found[path] = violations(page)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
