"""The territory at a glance (/admin/territory): the counts on a small calendar (a merged event
once, a removed one not at all), silent actors, failing sources, the moderation waiting, a
campaign's coverage with its departments at zero; staff only; impossible filters a 400 with the
sentence, in French and in English."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Actor, Event, Initiative, Source
from agenda.records import Location
from agenda.store.campaigns import create_campaign
from tests.web.pages import NOW, store, timed
from tests.web.staff import accounts, propose, sign_in  # noqa: F401 (fixtures)

TOURS = Location(city="Tours", department="37")
ORLEANS = Location(city="Orléans", department="45")
BOURGES = Location(city="Bourges", department="18")


@pytest.fixture
def territory(factory, settings, accounts):  # noqa: F811
    """Two sources: the repair café announced by both (merged: one event), a removed event, a
    failing source; a silent actor, an active one (owns a source), a proposed one (hidden), an
    actor to check; two initiatives (one withdrawn); last year's and this year's campaign."""
    first = store(factory, [
        timed("repair", "Repair café", 25, themes=("reemploi",), location=TOURS),
        timed("conf", "Conférence finance solidaire", 26, themes=("finance-solidaire",),
              location=ORLEANS),
        timed("jardin", "Jardin partagé", 12, month=12, themes=("alimentation", "reemploi"),
              location=BOURGES),
        timed("gone", "Retiré par sa source", 25, location=TOURS)], removed=("gone",))
    second = store(factory, [timed("repair-bis", "Repair café", 25, themes=("reemploi",),
                                   location=TOURS)], name="Ressourcerie")
    with transaction(factory) as session:
        copy, head = sorted(session.scalars(select(Event).where(Event.title == "Repair café")),
                            key=lambda e: e.source_id, reverse=True)
        copy.duplicate_of, copy.merged_at = head.id, NOW
        failing = session.get(Source, second.source_id)
        failing.status, failing.last_error_code = "broken", "fetch.dns"
        failing.last_error_params, failing.last_error = {"host": "agenda.example"}, "x"
        failing.last_attempt_at, failing.consecutive_failures = NOW, 5
        session.get(Source, first.source_id).last_success_at = NOW
        session.add_all([
            Actor(name="Épicerie <b>muette</b>", department="36", status="confirmed",
                  themes=["alimentation"]),
            Actor(name="Proposée", department="36", status="proposed"),
            Actor(name="À vérifier", department="18", status="to_check", themes=["reemploi"]),
            Initiative(id="i1", title="Atelier vélo", themes=["reemploi"], department="37"),
            Initiative(id="i2", title="Retirée", themes=["reemploi"], department="37",
                       removed_at=NOW)])
        create_campaign(session, slug="mois-ess-2025", name="Mois de l'ESS 2025",
                        starts_on=date(2025, 11, 1), ends_on=date(2025, 11, 30), now=NOW,
                        rule_themes=["reemploi", "finance-solidaire"])
        this = create_campaign(session, slug="mois-ess-2026", name="Mois de l'ESS 2026",
                               starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30),
                               now=NOW, rule_themes=["reemploi", "finance-solidaire"])
        ids = {"campaign": this.id, "first": first.source_id, "second": second.source_id}
        ids.update({a.name: a.id for a in session.scalars(select(Actor))})
    return ids


def rows(html: str, table_id: str) -> dict[str, list[str]]:
    """The table's rows: label -> its cells' texts."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S):
        label = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if label:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            found[unescape(label.group(1))] = [unescape(c).replace("\u202f", "") for c in cells]
    return found


def page(client, query: str = "", lang: str = "en"):
    """The page, signed in as staff (once)."""
    answer = client.get(f"/admin/territory?lang={lang}{query}")
    if answer.status_code == 302:
        sign_in(client)
        answer = client.get(f"/admin/territory?lang={lang}{query}")
    return answer


def test_counts_a_merged_event_once_and_a_removed_one_not_at_all(client, territory):
    answer = page(client)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    departments = rows(html, "by-department-title-table")
    assert departments["Indre-et-Loire (37)"] == ["1", "0", "1"]  # repair café once; Atelier vélo
    assert departments["Loiret (45)"] == ["1", "0", "0"]
    assert departments["Cher (18)"] == ["1", "1", "0"]  # the garden; the actor to check
    assert departments["Indre (36)"] == ["0", "1", "0"]  # the proposed actor is not shown
    themes = rows(html, "by-theme-title-table")
    assert themes["Reuse and circular economy"] == ["2", "1", "1"]
    assert themes["No theme"][0] == "0"
    assert re.search(r'id="total-events"><span class="dashboard-count">3<', html)


def test_the_charts_are_drawn_with_their_numbers_and_a_table_beside(client, territory):
    html = page(client).get_data(as_text=True)
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>', html)
    assert len(charts) == 9  # 3 kinds x 2 dimensions, the months, the coverage's two
    assert '<title id="by-department-events-title">Events by department</title>' in html
    months = rows(html, "months-table")
    assert months["November 2026"] == ["2"] and months["December 2026"] == ["1"]
    assert months["December 2025"] == ["0"] and list(months)[-1] == "February 2027"


def test_filters_narrow_every_count(client, territory):
    html = page(client, "&theme=reemploi&dept=37").get_data(as_text=True)
    departments = rows(html, "by-department-title-table")
    assert departments["Indre-et-Loire (37)"] == ["1", "0", "1"]
    assert departments["Cher (18)"] == ["0", "0", "0"]
    html = page(client, "&year=2025").get_data(as_text=True)
    assert re.search(r'id="total-events"><span class="dashboard-count">0<', html)


def test_a_silent_actor_is_listed_with_its_page_and_an_active_one_is_not(client, territory):
    html = page(client).get_data(as_text=True)
    silent = re.search(r'<table[^>]*id="silent-actors".*?</table>', html, re.S).group(0)
    epicerie = territory["Épicerie <b>muette</b>"]
    assert f'href="/actors/{epicerie}"' in silent
    assert "Épicerie &lt;b&gt;muette&lt;/b&gt;" in silent and "<b>muette" not in silent
    assert "Indre (36)" in silent and "never" in silent
    assert "La Fabrique commune" not in silent  # owns the source with this month's events
    assert "Proposée" not in silent


def test_a_failing_source_is_listed_with_its_reason_in_words(client, territory):
    html = page(client).get_data(as_text=True)
    stale = re.search(r'<ul[^>]*id="stale-sources".*?</ul>', html, re.S).group(0)
    assert "Ressourcerie" in stale
    assert "The server name agenda.example could not be found." in stale
    assert f"stale-source-{territory['first']}" not in stale  # collected today


def test_the_moderation_waiting_counts_proposals_and_actors_to_check(client, territory,
                                                                     factory, settings):
    propose(factory, settings, when=NOW - timedelta(days=3))
    html = page(client).get_data(as_text=True)
    backlog = rows(html, "backlog")
    assert backlog[next(k for k in backlog if "Events proposed" in k)][0] == "1"
    assert "Nov 18, 2026" in backlog[next(k for k in backlog if "Events proposed" in k)][1]
    assert backlog["Actors to check"][0] == "1"


def test_a_campaign_is_compared_with_last_years_and_its_empty_departments_said(client,
                                                                               territory):
    html = page(client, f"&campaign={territory['campaign']}").get_data(as_text=True)
    departments = rows(html, "coverage-departments-table")
    assert departments["Indre-et-Loire (37)"] == ["1", "0"]
    assert departments["Loiret (45)"] == ["1", "0"]
    assert departments["Cher (18)"] == ["0", "0"]  # the garden is in December
    zero = re.search(r'id="coverage-zero".*?</div>', html, re.S).group(0)
    assert "No event in Indre (36)" in zero and "No event in Cher (18)" in zero
    assert "Loiret" not in zero
    assert "Mois de l&#39;ESS 2025" in html  # the previous edition, by name


def test_without_a_previous_edition_the_same_dates_a_year_before_are_compared(
        client, territory, factory):
    with transaction(factory) as session:
        alone = create_campaign(session, slug="printemps", name="Printemps solidaire",
                                starts_on=date(2026, 11, 20), ends_on=date(2026, 12, 31),
                                now=NOW, rule_departments=["18"])
        alone_id = alone.id
    html = page(client, f"&campaign={alone_id}").get_data(as_text=True)
    assert rows(html, "coverage-departments-table")["Cher (18)"] == ["1", "0"]
    assert "every event of the same dates a year before (from" in html and "Same dates in 2025" in html and "There was no campaign of the same name" in html


def test_the_page_is_for_staff_only(client, territory):
    answer = client.get("/admin/territory")
    assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"]
    sign_in(client)
    assert client.get("/admin/territory").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("query", "english", "french"), [
    ("&theme=licornes", "Unknown theme 'licornes'.", "licornes"),
    ("&dept=75", "Unknown department '75'", "75"),
    ("&year=deux-mille", "The year must be a number between 1970 and 2200.", "1970"),
    ("&year=2026&from=2026-01-01", "Give either a year or dates, not both.", None),
    ("&from=2026-05-01&to=2026-01-01", "The end date must not be before the start date.",
     None),
    ("&from=2020-01-01&to=2026-01-01", "The period may not exceed 1096 days.", "1096"),
    ("&from=demain", "The date 'from' must be written YYYY-MM-DD.", None),
    ("&campaign=999", "Unknown campaign '999'.", "999"),
    ("&campaign=x%01", None, None),
])
def test_impossible_filters_are_a_400_with_the_sentence(client, territory, query, english,
                                                        french):
    answer = page(client, query)
    assert answer.status_code == 400
    assert english is None or english in unescape(answer.get_data(as_text=True))
    answer = client.get(f"/admin/territory?lang=fr{query}")
    text = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400 and '<html lang="fr"' in text
    if french:
        assert french in text
    if english and english.startswith(("Unknown theme", "Unknown department", "The end date")):
        assert english not in text  # the listing's sentences are already translated


def test_the_page_speaks_french_and_english(client, territory):
    french = page(client, lang="fr").get_data(as_text=True)
    assert '<html lang="fr"' in french and ">Département</th>" in french
    assert "Indre-et-Loire (37)" in french
    english = client.get("/admin/territory?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in english and "The territory at a glance" in english


def test_the_staff_menu_leads_to_the_page(client, territory):
    sign_in(client)
    html = client.get("/admin/?lang=en").get_data(as_text=True)
    assert 'href="/admin/territory"' in html


def test_links_to_the_map_and_the_spreadsheet_only_once_those_pages_exist(client, territory,
                                                                         app):
    html = page(client, "&theme=reemploi&dept=37").get_data(as_text=True)
    has_map = "map.map_page" in app.view_functions
    assert ('/map?' in html) == has_map
    if has_map:
        assert "theme=reemploi" in re.search(r'href="(/map\?[^"]*)"', html).group(1)
    if "finder.search_xlsx" in app.view_functions:
        assert 'href="/search.xlsx?kind=actor&amp;theme=reemploi&amp;dept=37"' in html


def test_the_month_chart_counts_an_event_of_several_months_in_each(client, territory,
                                                                   factory):
    from agenda.records import EventRecord, Occurrence
    from agenda.store.events import upsert_events
    from tests.web.pages import PARIS

    starts = [datetime(2026, 10, 5, 10, tzinfo=PARIS), datetime(2026, 10, 12, 10, tzinfo=PARIS),
              datetime(2027, 1, 4, 10, tzinfo=PARIS)]
    record = EventRecord(source_uid="atelier", title="Atelier", start=starts[0],
                         end=starts[0] + timedelta(hours=1),
                         occurrences=[Occurrence(s, s + timedelta(hours=1)) for s in starts],
                         rrule="FREQ=WEEKLY", location=TOURS)
    with transaction(factory) as session:
        upsert_events(session, territory["first"], [record], now=NOW, tz=PARIS)
    months = rows(page(client).get_data(as_text=True), "months-table")
    assert months["October 2026"] == ["1"] and months["January 2027"] == ["1"]


def test_a_change_of_the_data_shows_at_once(client, territory, factory):
    from agenda.store.events import upsert_events
    from tests.web.pages import PARIS

    html = page(client).get_data(as_text=True)
    assert re.search(r'id="total-events"><span class="dashboard-count">3<', html)
    with transaction(factory) as session:  # a new collection (it bumps the data version)
        upsert_events(session, territory["first"], [
            timed("repair", "Repair café", 25, themes=("reemploi",), location=TOURS),
            timed("conf", "Conférence finance solidaire", 26, themes=("finance-solidaire",),
                  location=ORLEANS),
            timed("jardin", "Jardin partagé", 12, month=12, themes=("alimentation",),
                  location=BOURGES),
            timed("vélo", "Atelier vélo", 28, location=BOURGES)], now=NOW, tz=PARIS)
    html = page(client).get_data(as_text=True)
    assert re.search(r'id="total-events"><span class="dashboard-count">4<', html)


def test_a_campaigns_proposals_and_picks_count_whatever_their_dates(client, territory, factory):
    from agenda.models import CampaignPick

    with transaction(factory) as session:
        events = {e.title: e for e in session.scalars(select(Event).where(
            Event.duplicate_of.is_(None)))}
        events["Jardin partagé"].campaign_id = territory["campaign"]  # proposed for it
        session.add(CampaignPick(campaign_id=territory["campaign"],
                                 event_id=events["Repair café"].id, included=False))
    html = page(client, f"&campaign={territory['campaign']}").get_data(as_text=True)
    departments = rows(html, "coverage-departments-table")
    assert departments["Cher (18)"] == ["1", "0"]  # in December, yet proposed for it
    assert departments["Indre-et-Loire (37)"] == ["0", "0"]  # excluded by hand
    assert departments["Loiret (45)"] == ["1", "0"]
