"""/search: events, initiatives and actors found together, their facets, the filters that
only concern some kinds, impossible values, pages, and the CSV and XLSX downloads."""

from __future__ import annotations

import csv
import html as html_module
import io
import re

import pytest
from openpyxl import load_workbook

from agenda.db import transaction
from agenda.models import Actor
from agenda.store.changes import bump_data_version
from agenda.web.finder import page as search_page
from agenda.web.finder import views as search_views
from tests.finder.directory import store_directory
from tests.web.pages import read_page
from tests.web.test_api_search import postgresql_app


@pytest.fixture
def directory(calendar, factory):
    return store_directory(factory, event_ids=calendar.ids)


def titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [html_module.unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in
            re.findall(r'<h3 class="finder-title"><a [^>]*>(.*?)</a>', html)]


def kinds(response) -> dict[str, str]:
    html = response.get_data(as_text=True)
    nav = html.split('class="finder-kinds"')[1].split("</nav>")[0]
    return {" ".join(re.sub(r"<[^>]+>", "", item).split()).rsplit(" ", 1)[0]:
            " ".join(re.sub(r"<[^>]+>", "", item).split()).rsplit(" ", 1)[1]
            for item in re.findall(r"<li>(.*?)</li>", nav, re.S)}


def test_words_find_events_initiatives_and_actors_together(client, directory):
    response = client.get("/search?q=solidaires")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Atelier vélo solidaire", "Conférence finance solidaire",
                                        "Forum de l'emploi solidaire",
                                        "Mutuelle solidaire du Berry"]
    assert kinds(response) == {"Tous": "(4)", "Évènements": "(2)", "Initiatives": "(1)",
                               "Acteurs": "(1)"}
    html = response.get_data(as_text=True)
    assert "4 résultats" in html
    assert 'href="/actors/' in html and 'href="/initiatives/a1"' in html


def test_a_card_tells_each_kind_its_own_way(client, directory):
    html = client.get("/search?theme=reemploi&dept=37").get_data(as_text=True)
    cards = dict(re.findall(r'<li class="finder-card finder-(\w+)">(.*?)</li>\s*(?=<li class="finder|</ol>)',
                            html, re.S))
    event = " ".join(re.sub(r"<[^>]+>", " ", cards["event"]).split())
    assert "Évènement" in event and "Repair café" in event and "mercredi 25 novembre 2026" in event
    assert "Tours (Indre-et-Loire)" in event
    initiative = " ".join(re.sub(r"<[^>]+>", " ", cards["initiative"]).split())
    assert "Recyclerie des Coopératives" in initiative and "Tours , Indre-et-Loire" in initiative
    actor = " ".join(re.sub(r"<[^>]+>", " ", cards["actor"]).split())
    assert "Coopérative" in actor and "Tours (Indre-et-Loire)" in actor
    assert "Réemploi et économie circulaire" in actor


def test_the_kind_facet_narrows_to_one_kind(client, directory):
    response = client.get("/search?q=solidaire&kind=actor")
    assert titles(response) == ["Mutuelle solidaire du Berry"]
    assert 'aria-current="page">Acteurs' in response.get_data(as_text=True)
    assert kinds(response)["Évènements"] == "(2)"  # the other kinds stay counted, to switch
    both = client.get("/search?q=solidaire&kind=actor&kind=initiative")
    assert sorted(titles(both)) == ["Atelier vélo solidaire", "Mutuelle solidaire du Berry"]


def test_theme_and_department_filter_every_kind_and_are_counted(client, directory):
    response = client.get("/search?theme=reemploi&dept=37")
    assert titles(response) == ["Repair café", "Atelier vélo solidaire",
                                "Recyclerie des Coopératives"]  # events first, then by name
    page = read_page(response.get_data(as_text=True))
    assert page.link_text("theme=reemploi")  # the chosen theme, to remove
    facets = client.get("/search").get_data(as_text=True)
    assert re.search(r"Indre-et-Loire \(37\) <span class=\"count\">\(\d+\)</span>", facets)


def test_a_commune_filters_every_kind(client, directory):
    response = client.get("/search?commune=37261")
    assert "Recyclerie des Coopératives" in titles(response)
    assert "Atelier vélo solidaire" in titles(response)
    assert "Mutuelle solidaire du Berry" not in titles(response)


def test_filters_that_concern_actors_only_leave_the_other_kinds_out_and_say_so(client,
                                                                               directory):
    response = client.get("/search?structure=cooperative")
    assert titles(response) == ["Recyclerie des Coopératives"]
    html = response.get_data(as_text=True)
    assert 'class="is-unavailable" aria-disabled="true">Évènements' in html
    assert "Les évènements sont écartés : le type de structure ne concerne que les acteurs." \
        in html.replace("\u00a0", " ")
    assert titles(client.get("/search?status=active")) == ["Atelier vélo solidaire"]
    assert titles(client.get("/search?status=to_check")) == ["Écolieu du Val"]


def test_hidden_records_are_never_found(client, directory):
    assert titles(client.get("/search?q=attente")) == []  # an actor still proposed
    assert titles(client.get("/search?q=retires")) == []  # a withdrawn initiative
    assert titles(client.get("/search?q=retire+source")) == []  # a removed event


def test_a_change_written_elsewhere_is_seen_at_the_next_search(client, directory, factory):
    assert titles(client.get("/search?q=brasserie")) == []
    with transaction(factory) as session:
        session.add(Actor(name="Brasserie coopérative", structure="cooperative",
                          status="confirmed"))
        bump_data_version(session)
    assert titles(client.get("/search?q=brasseries")) == ["Brasserie coopérative"]


def test_past_events_only_when_asked(client, directory):
    html = client.get("/search").get_data(as_text=True)
    assert 'href="/search?when=all"' in html
    assert client.get("/search?when=all").status_code == 200


@pytest.mark.parametrize("query, sentence", [
    ("kind=place", "« Type » doit valoir l’une de ces valeurs : event, initiative, actor."),
    ("status=open", "« État » doit valoir"),
    ("structure=club", "« Type de structure » doit valoir"),
    ("when=tomorrow", "« Quand » doit valoir"),
    ("dept=75", "Département « 75 » inconnu"),
    ("theme=jardinage", "Thème « jardinage » inconnu"),
    ("commune=75056", "hors de la région"),
    ("page=0", "La page doit être un nombre entier entre 1 et 500."),
])
def test_an_impossible_value_is_a_400_with_a_sentence(client, directory, query, sentence):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    assert sentence in response.get_data(as_text=True).replace("\u00a0", " ").replace(
        "'", "’")


def test_results_come_in_pages(client, directory, monkeypatch):
    monkeypatch.setattr(search_page, "PER_PAGE", 3)
    first = client.get("/search")
    second = client.get("/search?page=2")
    assert len(titles(first)) == 3 and len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert 'href="/search?page=2"' in first.get_data(as_text=True)
    assert "Il n’y a plus de résultat" in client.get("/search?page=50").get_data(
        as_text=True).replace("'", "’")


def test_in_english(client, directory):
    html = client.get("/search?q=solidaire&lang=en").get_data(as_text=True)
    assert "Actors" in html and "4 results" in html


def test_the_menu_leads_to_the_search(client, directory):
    page = read_page(client.get("/").get_data(as_text=True))
    assert page.link_text("/search") == ["Recherche"]


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_every_result_streamed(client, directory):
    response = client.get("/search.csv?theme=reemploi&dept=37")
    assert response.status_code == 200 and response.is_streamed
    assert response.content_type == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["Type", "Identifiant", "Titre ou nom", "Page sur l'Agenda commun"]
    assert [(r[0], r[2]) for r in rows] == [("évènement", "Repair café"),
                                            ("initiative", "Atelier vélo solidaire"),
                                            ("acteur", "Recyclerie des Coopératives")]
    event, initiative, actor = rows
    assert event[3].startswith("http://localhost/evenements/")
    assert event[9] == "2026-11-25 18:00" and event[10] == "Recyclerie des Coopératives"
    assert initiative[3] == "http://localhost/initiatives/a1" and initiative[9] == "2026-01-05"
    assert actor[8] == "coopérative, confirmé" and actor[11] == "https://recyclerie.example.org"


def test_the_xlsx_holds_the_same_rows(client, directory):
    response = client.get("/search.xlsx?theme=reemploi&dept=37")
    assert response.status_code == 200 and response.is_streamed
    assert response.content_type.startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).worksheets[0]
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == read_csv(client.get("/search.csv?theme=reemploi&dept=37"))


def test_a_cut_export_says_so(client, directory, monkeypatch):
    monkeypatch.setattr(search_views, "MAX_EXPORT_ROWS", 2)
    _, *rows = read_csv(client.get("/search.csv"))
    assert len(rows) == 3 and rows[-1][0].startswith("Export limité à 2 lignes")


def test_an_export_refuses_an_impossible_value(client, directory):
    assert client.get("/search.csv?kind=place").status_code == 400
    assert client.get("/search.xlsx?dept=75").status_code == 400


def test_a_refused_search_keeps_the_words_in_the_box(client, directory):
    response = client.get("/search?q=vélo&dept=75")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="finder-q" name="q" type="search" value="vélo"' in html
    assert client.get("/search?q=%00").status_code == 400


def test_structures_and_statuses_are_counted_among_the_results(client, directory):
    html = client.get("/search?dept=37").get_data(as_text=True)
    assert re.search(r'structure=cooperative">Coopérative <span class="count">\(1\)', html)
    assert re.search(r'status=active">En cours <span class="count">\(initiatives, 1\)', html)
    assert re.search(r'status=to_check">À vérifier <span class="count">\(acteurs, 0\)', html)


@pytest.mark.parametrize("query", ["", "q=solidaire", "q=coop%C3%A9ratives&page=1",
                                   "theme=reemploi&dept=37", "commune=41269",
                                   "status=project&status=confirmed"])
def test_the_page_and_its_exports_are_the_same_on_postgresql(client, directory, settings,
                                                             engine, db_backend, monkeypatch,
                                                             query):
    """Actors and initiatives answered by SQL on PostgreSQL: the same page and CSV rows."""
    other = postgresql_app(settings, db_backend, monkeypatch).test_client()
    url = f"?kind=initiative&kind=actor&{query}"
    assert titles(other.get(f"/search{url}")) == titles(client.get(f"/search{url}"))
    assert kinds(other.get(f"/search{url}")) == kinds(client.get(f"/search{url}"))
    assert other.get(f"/search.csv{url}").data == client.get(f"/search.csv{url}").data
