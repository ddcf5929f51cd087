"""No page, public or staff, scrolls sideways on a 320 px phone (the narrowest still sold), in
French and in English; and the walk covers every HTML page the app can answer."""

from __future__ import annotations

import re

import pytest

from tests.e2e.site_pages import NOT_PAGES, prepare_site, sign_in, with_lang

pytestmark = pytest.mark.browser

WIDTH = 320


def overflow(page) -> list[str]:
    """The page's width beyond the viewport, and the elements that stick out (for the message)."""
    return page.evaluate("""(width) => {
        const wide = [];
        if (document.documentElement.scrollWidth <= width) return wide;
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && el.offsetParent !== null)
                wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        }
        return [`scrollWidth ${document.documentElement.scrollWidth}`, ...wide.slice(0, 5)];
    }""", WIDTH)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_is_wider_than_a_320_px_phone(browser, demo_app, site, factory, lang):
    pages = prepare_site(demo_app, factory)
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 700})
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    for path in pages.public:
        page.goto(site + with_lang(path, lang))
        found[path] = overflow(page)
    sign_in(page, site, lang)
    for path in pages.staff:
        page.goto(site + with_lang(path, lang))
        assert "/admin/login" not in page.url, path
        found[path] = overflow(page)
    context.close()
    wide = {path: sticking_out for path, sticking_out in found.items() if sticking_out}
    assert not wide, "\n".join(f"{path}: {', '.join(what)}" for path, what in wide.items())


def test_every_page_route_is_walked(demo_app, factory):
    """A new page (a GET route answering HTML) must join the walk, so that the width and
    accessibility checks cannot miss it."""
    pages = prepare_site(demo_app, factory)
    walked = pages.public + pages.staff
    adapter = demo_app.url_map.bind("localhost")
    covered = set()
    for path in walked:
        try:
            endpoint, _ = adapter.match(path.split("?")[0], method="GET")
        except Exception:  # the 404 page
            continue
        covered.add(endpoint)
    routes = {rule.endpoint for rule in demo_app.url_map.iter_rules()
              if "GET" in (rule.methods or ()) and not re.search(r"\.(ics|atom|json|csv)$",
                                                                   rule.rule)}
    assert routes - covered - NOT_PAGES == set()
