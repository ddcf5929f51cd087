"""In a real browser: search without accents, narrow to a department, subscribe with the same
filters; keyboard use (skip link, visible focus); the language switch."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser

ORLEANS = "Réunion d'information : entreprendre en coopérative"  # demo, Loiret, in 5 days
TOURS = "Réunion d'information : entreprendre en coopérative (Tours)"  # Indre-et-Loire
CHARTRES = "Réunion d'information : entreprendre en coopérative (Chartres)"  # Eure-et-Loir


def listed_titles(page) -> list[str]:
    return page.locator(".results .event-title a").all_inner_texts()


def test_search_without_accents_then_a_department_then_subscribe(page, site, demo_app):
    page.goto(site + "/")
    words = page.get_by_label("Mots", exact=True)
    words.fill("cooperative")
    words.press("Enter")
    page.wait_for_url("**q=cooperative**")
    if ORLEANS not in listed_titles(page) and demo_app.extensions["agenda"].search is None:
        pytest.xfail("no search index configured: words are matched with a plain LIKE, "
                     "which does not fold accents ('cooperative' vs 'coopérative')")
    assert {ORLEANS, TOURS, CHARTRES} <= set(listed_titles(page))

    page.get_by_label("Loiret (45)").check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**dept=45**")
    titles = listed_titles(page)
    assert ORLEANS in titles and TOURS not in titles and CHARTRES not in titles
    assert page.get_by_label("Mots", exact=True).input_value() == "cooperative"

    webcal = page.locator("a[href^='webcal:']").get_attribute("href")
    assert webcal.startswith("webcal://127.0.0.1:")
    assert urlsplit(webcal).path == "/calendar.ics"
    assert sorted(parse_qsl(urlsplit(webcal).query)) == [("dept", "45"), ("q", "cooperative")]


def test_a_department_facet_and_the_subscription_keep_the_filters(page, site):
    page.goto(site + "/")
    page.locator(".refine").get_by_role("link", name="Loiret (45)").click()
    page.wait_for_url("**dept=45**")
    titles = listed_titles(page)
    assert ORLEANS in titles and TOURS not in titles
    webcal = page.locator("a[href^='webcal:']").get_attribute("href")
    assert parse_qsl(urlsplit(webcal).query) == [("dept", "45")]


def test_the_keyboard_reaches_the_content_with_a_visible_focus(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), "
                            "getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["Aller au contenu principal", "solid"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")  # the first link of the content: a quick date
    assert page.evaluate("() => [document.activeElement.closest('main') !== null, "
                         "document.activeElement.textContent.trim()]") == [True, "Aujourd’hui"]


def test_the_language_switch_is_remembered(page, site):
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Prochains évènements"
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Upcoming events"
    page.get_by_role("link", name="Month by month").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Events of ")
