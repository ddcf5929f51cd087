"""The page of one date of an event (/evenements/<id>/<YYYY-MM-DD>): that date first, a moved or
cancelled date saying so, the series around it agreeing with its sentence, a 404 for a day that
is not a date of the event (saying so when the organiser removed it from the series)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from agenda.collectors.ical import parse_ical
from agenda.db import transaction
from agenda.models import Event
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from agenda.web.public.recurrence import describe_series
from tests.web.pages import NOW, PARIS, json_ld, read_page, store, weekly

DATA = Path(__file__).parent.parent / "data" / "ics"
WINDOW = (datetime(2024, 1, 1, tzinfo=timezone.utc), datetime(2028, 1, 1, tzinfo=timezone.utc))
SERIES = "weekly_series_moved_and_cancelled.ics"  # 10 Mondays: the 25 Jan. one moved, 8 Feb. cancelled
MONDAYS = ["2027-01-04", "2027-01-11", "2027-01-18", "2027-02-01", "2027-02-15", "2027-02-22",
           "2027-03-01", "2027-03-08"]


def collect(factory, name: str) -> dict[str, str]:
    """The sample file stored as one source: event id by RECURRENCE-ID ("" for the master)."""
    records = parse_ical((DATA / name).read_bytes(), default_tz=PARIS, window=WINDOW).events
    with transaction(factory) as session:
        source_id = add_source(session, name="Tiers-lieu", url="http://127.0.0.1/agenda.ics",
                               now=NOW).id
        upsert_events(session, source_id, records, now=NOW, tz=PARIS)
    with transaction(factory) as session:
        return {e.recurrence_id[:10]: e.id for e in session.scalars(select(Event))}


def text_of(html: str) -> str:
    """The text as read, spaces (no-break ones included) made single plain spaces."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def series_items(html: str) -> list[str]:
    """The lines of the list of dates of the series, as read."""
    block = re.search(r'<ol class="series-dates">(.*?)</ol>', html, re.S).group(1)
    return [text_of(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


@pytest.fixture
def series(factory) -> dict[str, str]:
    return collect(factory, SERIES)


def test_a_date_of_a_series_is_shown_first(client, series):
    response = client.get(f"/evenements/{series['']}/2027-02-15")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "lundi 15 février 2027" in text_of(re.search(r'<p class="event-when-line">(.*?)</p>',
                                                          html).group(1))
    assert "<title>Atelier couture solidaire · lundi 15 février 2027 · Agenda commun</title>" in html
    page = read_page(html)
    own = f"http://localhost/evenements/{series['']}/2027-02-15"
    assert [a["href"] for a in page.all("link") if a.get("rel") == "canonical"] == [own]
    data = json_ld(html)
    assert (data["startDate"], data["url"]) == ("2027-02-15T14:00:00+01:00", own)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_the_series_sentence_counts_the_dates_it_lists_moved_ones_included(client, series):
    html = client.get(f"/evenements/{series['']}").get_data(as_text=True)
    items = series_items(html)
    assert len(items) == 10  # 8 Mondays, the moved session, the cancelled one (marked)
    [moved] = [i for i in items if "déplacée" in i]
    assert moved.startswith("mercredi 27 janvier 2027")
    assert moved.endswith("déplacée (prévue le lundi 25 janvier 2027)")
    [cancelled] = [i for i in items if "annulée" in i]
    assert cancelled.startswith("lundi 8 février 2027") and cancelled.endswith("annulée")
    assert not any(i.startswith("lundi 25 janvier") for i in items)
    held = [i for i in items if "annulée" not in i]
    rule = text_of(re.search(r'<p class="series-rule">(.*?)</p>', html).group(1))
    assert rule == (f"Chaque semaine (lundi), {len(held)} dates, dont 1 déplacée ; "
                    "1 date annulée")


def test_every_listed_date_links_to_its_own_page(client, series):
    html = client.get(f"/evenements/{series['']}/2027-02-15").get_data(as_text=True)
    block = re.search(r'<ol class="series-dates">(.*?)</ol>', html, re.S).group(1)
    links = re.findall(r'href="(/evenements/[^"]+)"', block)
    assert links == sorted(
        [f"/evenements/{series['']}/{day}" for day in MONDAYS]
        + [f"/evenements/{series['2027-01-25']}/2027-01-27",
           f"/evenements/{series['2027-02-08']}/2027-02-08"],
        key=lambda link: link[-10:])
    for link in links:
        assert client.get(link).status_code == 200, link
    assert 'aria-current="true">lundi 15 février 2027' in html


def test_a_moved_date_says_when_it_was_planned(client, series):
    html = client.get(f"/evenements/{series['2027-01-25']}/2027-01-27").get_data(as_text=True)
    text = text_of(html)
    assert "Déplacée : cette séance était d’abord prévue le lundi 25 janvier 2027." in text
    assert "mercredi 27 janvier 2027" in text_of(
        re.search(r'<p class="event-when-line">(.*?)</p>', html).group(1))
    assert len(series_items(html)) == 10  # the whole series around it, from the override too
    data = json_ld(html)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2027-01-25"


def test_the_day_a_session_was_planned_on_leads_to_its_new_date(client, series):
    response = client.get(f"/evenements/{series['']}/2027-01-25")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evenements/{series['2027-01-25']}/2027-01-27")


def test_a_cancelled_date_says_so_and_offers_no_add_button(client, series):
    response = client.get(f"/evenements/{series['']}/2027-02-08", follow_redirects=True)
    assert response.request.path == f"/evenements/{series['2027-02-08']}/2027-02-08"
    html = response.get_data(as_text=True)
    assert "Annulé : Cette date a été annulée par son organisateur." in text_of(html)
    notice = re.search(r'<p class="notice notice-cancelled event-cancelled">(.*?)</p>', html, re.S)
    assert f'href="/evenements/{series[""]}/2027-02-15"' in notice.group(1)  # the next one
    assert "calendar.google.com" not in html and "outlook.live.com" not in html
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_day_removed_from_the_series_is_not_found_and_says_why(client, factory):
    ids = collect(factory, "rrule_exdate_override.ics")
    response = client.get(f"/evenements/{ids['']}/2024-09-16")
    assert response.status_code == 404
    assert ("Pas de séance le lundi 16 septembre 2024 : l’organisateur a retiré cette date de la "
            "série.") in text_of(response.get_data(as_text=True))


@pytest.mark.parametrize("day", ["2027-01-05", "2027-13-01", "2027-02-30", "demain", "2027-1-4",
                                 "20270104", "2027-01-04x"])
def test_a_day_that_is_not_a_date_of_the_event_is_not_found(client, series, day):
    assert client.get(f"/evenements/{series['']}/{day}").status_code == 404


def test_a_long_series_shows_the_dates_around_the_one_asked(client, factory):
    days = [date(2026, 11, 23) + timedelta(weeks=n) for n in range(30)]
    stored = store(factory, [weekly("long", "Permanence", days, rrule="FREQ=WEEKLY;BYDAY=MO")])
    html = client.get(f"/evenements/{stored.ids['Permanence']}/2027-03-22").get_data(as_text=True)
    items = series_items(html)
    assert len(items) == 11 and "lundi 22 mars 2027" in items[3]
    text = text_of(html)
    assert "14 dates antérieures ne sont pas affichées." in text
    assert "Et 5 autres dates." in text


def test_each_date_of_the_atom_feed_links_to_its_own_page(client, series):
    feed = client.get("/feed.atom?from=2027-01-01").get_data(as_text=True)
    links = re.findall(r'href="http://localhost(/evenements/[^"]+)"', feed)
    assert f"/evenements/{series['']}/2027-01-04" in links
    assert f"/evenements/{series['2027-01-25']}/2027-01-27" in links  # the moved session
    assert len(links) == len(set(links)) >= 9
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(("rrule", "held", "moved", "cancelled", "sentence"), [
    ("FREQ=WEEKLY;COUNT=10;BYDAY=MO", 9, 1, 1,
     "Chaque semaine (lundi), 9 dates, dont 1 déplacée ; 1 date annulée"),
    ("FREQ=WEEKLY;COUNT=6;BYDAY=MO", 5, 0, 0, "Chaque semaine (lundi), 5 dates"),  # an EXDATE
    ("FREQ=WEEKLY;COUNT=4", 4, 0, 2, "Chaque semaine, 4 dates ; 2 dates annulées"),
    ("FREQ=MONTHLY;BYDAY=1SA", 12, 2, 0,
     "Chaque mois, le premier samedi ; 2 dates déplacées"),
    ("FREQ=WEEKLY;UNTIL=20270301;BYDAY=MO", 8, 1, 0,
     "Chaque semaine (lundi), jusqu’au mercredi 3 mars 2027 ; 1 date déplacée"),
    ("FREQ=DAILY;BYHOUR=9,14", 3, 0, 0, "Se répète à plusieurs dates (voir la liste des dates)."),
])
def test_the_series_sentence_counts_the_dates_held(app, rrule, held, moved, cancelled, sentence):
    days = [date(2027, 1, 4) + timedelta(weeks=n) for n in range(held)]
    if "UNTIL" in rrule:
        days[-1] = date(2027, 3, 3)  # the last session moved past UNTIL: the sentence follows it
    with app.test_request_context("/"):
        text = describe_series(rrule, held=days, moved=moved, cancelled=cancelled)
    assert " ".join(text.split()) == sentence


def test_a_past_date_points_to_the_next_one(client, factory):
    days = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(6)]  # 3 past, 3 to come
    stored = store(factory, [weekly("p", "Permanence", days, rrule="FREQ=WEEKLY;COUNT=6")])
    event_id = stored.ids["Permanence"]
    html = client.get(f"/evenements/{event_id}/2026-11-09").get_data(as_text=True)
    assert "Cette date est passée." in text_of(html)
    assert f'<a href="/evenements/{event_id}/2026-11-23">Prochaine date' in html
    assert "calendar.google.com" not in html


def test_each_item_of_the_api_has_the_address_of_its_date(client, series):
    items = client.get("/api/events?from=2027-01-01&to=2027-03-31").get_json()["items"]
    urls = {item["occurrence_url"] for item in items}
    assert f"http://localhost/evenements/{series['']}/2027-01-04" in urls
    assert f"http://localhost/evenements/{series['2027-01-25']}/2027-01-27" in urls
    assert len(urls) == len(items) >= 9
