"""The month as a calendar grid: weeks from Monday, each day with its first events linking to
their date, "+ N autres" linking to the day's listing, named neighbour months."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from agenda.records import Location
from agenda.web.public.month_grid import month_weeks
from tests.web.pages import read_page, store, timed


@pytest.mark.parametrize("first, weeks, first_monday, last_sunday", [
    (date(2026, 11, 1), 6, date(2026, 10, 26), date(2026, 12, 6)),  # starts on a Sunday
    (date(2027, 2, 1), 4, date(2027, 2, 1), date(2027, 2, 28)),  # Monday to Sunday, 28 days
    (date(2026, 12, 1), 5, date(2026, 11, 30), date(2027, 1, 3)),
])
def test_the_grid_has_whole_weeks_from_monday(first, weeks, first_monday, last_sunday):
    grid = month_weeks(first, {})
    assert len(grid) == weeks and all(len(week) == 7 for week in grid)
    assert grid[0][0].day == first_monday and grid[-1][-1].day == last_sunday
    inside = [cell.day for week in grid for cell in week if cell.in_month]
    assert inside[0] == first and len(inside) == (first.replace(day=28) + timedelta(days=4))\
        .replace(day=1).toordinal() - first.toordinal()


@pytest.mark.parametrize("count, shown, more", [(0, 0, 0), (1, 1, 0), (3, 3, 0), (4, 4, 0),
                                                 (5, 3, 2), (12, 3, 9)])
def test_a_busy_day_shows_three_events_and_how_many_more(count, shown, more):
    day = date(2026, 11, 18)
    [cell] = [c for week in month_weeks(date(2026, 11, 1), {day: list(range(count))})
              for c in week if c.day == day]
    assert (len(cell.shown), cell.more) == (shown, more)
    assert cell.shown == list(range(shown))


def test_days_outside_the_month_stay_empty():
    spill = {date(2026, 10, 30): ["x"], date(2026, 12, 2): ["y"]}
    cells = [c for week in month_weeks(date(2026, 11, 1), spill) for c in week]
    assert all(not c.shown and not c.more for c in cells)
    assert [c.in_month for c in cells].count(True) == 30


# --- The page -------------------------------------------------------------------------------

def grid_cells(html: str) -> dict[int, dict]:
    """Day of the month -> its event links (href, text) and its "+ N" link, read off the grid."""
    table = html[html.index('<table class="month-grid">'):html.index("</table>")]
    cells = {}
    for body in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S):
        number = re.search(r'class="grid-day"[^>]*>(?:<span aria-hidden="true">)?(\d+)', body)
        if 'href' not in body:
            continue
        page = read_page(body)
        events = [(href, text) for href, text in page.links if href.startswith("/evenements/")]
        more = [(href, text) for href, text in page.links if "grid-more" in body and "+" in text]
        cells[int(number.group(1))] = {"events": events, "more": more,
                                       "day": page.links[0][0]}
    return cells


@pytest.fixture
def busy(factory):
    """Six workshops on Wednesday 18 November 2026, one on the 25th, in Blois."""
    records = [timed(f"w{n}", f"Atelier {n}", 18, hour=9 + n,
                     location=Location(city="Blois", department="41")) for n in range(6)]
    records.append(timed("seul", "Conférence", 25, location=Location(city="Blois",
                                                                      department="41")))
    return store(factory, records)


def test_a_day_lists_its_first_events_and_links_the_others(client, busy):
    html = client.get("/mois/2026-11?dept=41").get_data(as_text=True)
    cells = grid_cells(html)
    titles = [re.sub(r"^\S+( h( \d+)?)? ", "", unescape(text)) for _, text in cells[18]["events"]]
    assert titles == ["Atelier 0", "Atelier 1", "Atelier 2"]
    assert all(href.endswith("/2026-11-18") for href, _ in cells[18]["events"])
    [(more_url, more_text)] = cells[18]["more"]
    assert more_text.startswith("+ 3 autres")
    assert sorted(parse_qsl(urlsplit(unescape(more_url)).query)) == [
        ("dept", "41"), ("from", "2026-11-18"), ("to", "2026-11-18")]
    assert cells[25]["more"] == [] and len(cells[25]["events"]) == 1
    assert cells[17]["events"] == []


def test_the_day_listing_behind_plus_n_holds_them_all(client, busy):
    cells = grid_cells(client.get("/mois/2026-11?dept=41").get_data(as_text=True))
    [(more_url, _)] = cells[18]["more"]
    listing = client.get(unescape(more_url)).get_data(as_text=True)
    assert "6 dates" in listing
    assert all(f"Atelier {n}" in listing for n in range(6))


def test_an_event_over_several_days_shows_on_each_linking_to_its_first_date(client, calendar):
    cells = grid_cells(client.get("/mois/2026-11").get_data(as_text=True))
    festival = calendar.ids["Festival des solidarités"]
    for day in (27, 28, 29):
        assert [href for href, text in cells[day]["events"] if "Festival" in text] == \
            [f"/evenements/{festival}/2026-11-27"]
    assert not any("Festival" in text for text in
                   (t for _, t in cells[30]["events"]))


def test_the_grid_link_opens_the_page_of_that_date(client, calendar):
    cells = grid_cells(client.get("/mois/2026-12").get_data(as_text=True))
    [(href, _)] = [link for link in cells[14]["events"] if "Permanence" in link[1]]
    assert href == f"/evenements/{calendar.ids['Permanence numérique']}/2026-12-14"
    page = client.get(href).get_data(as_text=True)
    assert "14 décembre 2026" in page


def test_neighbour_months_are_named_and_keep_the_filters(client, calendar):
    page = read_page(client.get("/mois/2026-11?theme=reemploi").get_data(as_text=True))
    named = {text: href for href, text in page.links if href.startswith("/mois/2026-1")}
    assert named["‹ octobre 2026"] == "/mois/2026-10?theme=reemploi"
    assert named["décembre 2026 ›"] == "/mois/2026-12?theme=reemploi"
    english = read_page(client.get("/mois/2026-11?lang=en").get_data(as_text=True))
    assert {"‹ October 2026", "December 2026 ›"} <= {text for _, text in english.links}


def test_the_grid_is_a_table_with_named_weekdays_monday_first(client, calendar):
    html = client.get("/mois/2026-11").get_data(as_text=True)
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)">', html)
    assert headers == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert "<caption" in html and "Calendrier de novembre 2026" in html
    # each day's number is a link to that day's listing, read out as the whole date
    assert grid_cells(html)[21]["day"] == "/?from=2026-11-21&to=2026-11-21"
    assert '<span class="visually-hidden">samedi 21 novembre 2026</span>' in html


def test_the_list_of_the_month_stays_available(client, calendar):
    grid = client.get("/mois/2026-11").get_data(as_text=True)
    [list_url] = [href for href, text in read_page(grid).links if text == "Afficher en liste"]
    listed = client.get(unescape(list_url)).get_data(as_text=True)
    assert 'class="results month-results is-list"' in listed
    assert 'id="jour-2026-11-27"' in listed
    assert "Afficher la grille du mois" in listed


def test_today_is_marked_in_the_grid(client, calendar):
    html = client.get("/mois/2026-11").get_data(as_text=True)
    [today] = re.findall(r'<td class="[^"]*is-today[^"]*">\s*<a class="grid-day" href="([^"]+)"',
                         html)
    assert today == "/?from=2026-11-21&amp;to=2026-11-21"  # the tests' today
