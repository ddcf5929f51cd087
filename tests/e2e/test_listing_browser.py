"""Listings in a real browser, at 390 and 1280 px: results first on a phone, the subscribe box in
sight on a desktop with the page's filters in its Google link, a date of the month grid opening
that date's page, and no sideways scroll at 320 px."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


@pytest.fixture
def at(browser):
    """A page at a viewport size: ``at(PHONE)``; closed with its context."""
    contexts = []

    def open_page(viewport: dict):
        context = browser.new_context(locale="fr-FR", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page
    yield open_page
    for context in contexts:
        context.close()


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("path", ["/", "/?dept=41&dept=18", f"/mois/{date.today():%Y-%m}"])
def test_on_a_phone_the_results_come_before_the_filters(at, site, path):
    page = at(PHONE)
    page.goto(site + path)
    first_result = page.locator(".results .event").first
    assert first_result.is_visible()
    panel = page.locator("#filtrer")
    assert panel.get_attribute("open") is None  # closed: the form takes no room
    assert not page.locator("#f-commune").is_visible()
    assert top(page, ".subscribe-box") < top(page, ".results .event")
    page.locator("#filtrer > summary").click()  # opened, the form comes in place
    assert page.locator("#f-commune").is_visible()


def test_on_a_phone_the_first_result_is_on_the_first_screen(at, site):
    page = at(PHONE)
    page.goto(site + "/")
    assert top(page, ".results .event .event-title") < PHONE["height"]


def test_on_a_desktop_the_subscribe_box_is_in_sight_with_the_filters_of_the_page(at, site):
    page = at(DESKTOP)
    page.goto(site + "/?q=atelier&theme=reemploi&dept=18")
    google = page.locator(".subscribe-box a[href^='https://calendar.google.com/']")
    box = google.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]
    [cid] = parse_qs(urlsplit(google.get_attribute("href")).query)["cid"]
    assert cid.startswith("webcal://127.0.0.1:") and urlsplit(cid).path == "/calendar.ics"
    assert sorted(parse_qsl(urlsplit(cid).query)) == [("dept", "18"), ("q", "atelier"),
                                                     ("theme", "reemploi")]
    address = page.locator(".subscribe-box input[readonly]").input_value()
    assert cid == "webcal://" + address.split("://", 1)[1]
    assert page.locator("#filtrer").get_attribute("open") is not None  # beside the results
    summary = page.locator("#filtrer > summary")
    assert " ".join(summary.inner_text().split()) == "Filtrer (3) (3 filtres actifs)"
    assert summary.locator(".filter-count").inner_text() == "(3)"  # the rest is for readers


def test_the_copy_button_copies_the_address(at, site):
    page = at(DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + "/?dept=41")
    page.locator(".subscribe-box button[data-copy]").click()
    # the clipboard is written asynchronously: wait for the button to say it is done
    page.wait_for_function("document.getElementById('abonnement-copie').textContent.length > 0")
    assert page.locator("#abonnement-copie").inner_text() == "Copié"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value(".subscribe-box input[readonly]")
    assert copied.endswith("/calendar.ics?dept=41")


def test_a_date_of_the_month_grid_opens_the_page_of_that_date(at, site):
    page = at(DESKTOP)
    page.goto(site + "/mois")
    links = page.locator(".month-grid .grid-events a")
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    later = [h for h in hrefs if re.search(r"/\d{4}-\d{2}-(0[2-9]|[12]\d|3[01])$", h)]
    assert later, hrefs
    href = later[-1]  # a date of a series further in the month, not its first
    page.locator(f".month-grid a[href='{href}']").first.click()
    page.wait_for_url("**" + href)
    day = date.fromisoformat(href.rsplit("/", 1)[1])
    assert f"{day.day} {MONTHS[day.month - 1]}" in page.locator("main").inner_text()


def test_the_month_grid_on_a_desktop_is_the_list_on_a_phone(at, site):
    desktop, phone = at(DESKTOP), at(PHONE)
    for page in (desktop, phone):
        page.goto(site + "/mois")
    assert desktop.locator(".month-grid").is_visible()
    assert not desktop.locator(".month-list").is_visible()
    assert not phone.locator(".month-grid").is_visible()
    assert phone.locator(".month-list .event").first.is_visible()


WIDTH = 320


@pytest.mark.parametrize("path", [
    "/", f"/mois/{date.today():%Y-%m}", "/mois?vue=liste",
    "/?q=atelier&theme=reemploi&dept=18&dept=41&from=2026-01-01&to=2027-12-31&page=1",
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_listing_scrolls_sideways_at_320_px_even_with_the_filters_open(at, site, path, lang):
    page = at({"width": WIDTH, "height": 700})
    page.goto(site + path + ("&" if "?" in path else "?") + f"lang={lang}")
    page.locator("#filtrer > summary").click()
    page.locator(".subscribe-help > summary").click()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, path
