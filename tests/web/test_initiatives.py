"""The public initiatives: the published ones, filtered by theme and department (the region-wide
ones under every department), and one initiative's page."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from agenda.db import transaction
from agenda.store.actors import get_or_create_actor
from agenda.store.initiatives import put_initiative, withdraw_initiative
from tests.web.pages import NOW, read_page


@dataclass
class Stored:
    ids: dict[str, str]  # title -> id


def initiative(title: str, **values) -> dict:
    return {"title": title, "description_html": "", "description_text": "", "themes": [],
            "department": None, "territory": None, "url": None, "status": "active", **values}


INITIATIVES = [
    initiative("Épicerie solidaire itinérante", themes=["alimentation"], department="18",
               territory="Pays de Bourges", url="https://paniers.example.org",
               description_html='<p>Une épicerie <strong>qui roule</strong>.</p>'
                                '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'),
    initiative("Ressourcerie de Tours", themes=["reemploi"], department="37", status="project"),
    initiative("Réseau régional des repair cafés", themes=["reemploi", "vie-associative"]),
    initiative("Garage solidaire", themes=["mobilite"], department="45", status="ended"),
    initiative("Ancienne initiative", themes=["reemploi"], department="37"),
]


@pytest.fixture
def stored(factory) -> Stored:
    ids = {}
    with transaction(factory) as session:
        actor = get_or_create_actor(session, "Les Paniers du Berry",
                                    website="https://paniers.example.org")
        for values in INITIATIVES:
            item = put_initiative(session, None, {**values, "actor_id": actor.id}, now=NOW)
            ids[item.title] = item.id
        withdraw_initiative(session, ids["Ancienne initiative"], now=NOW)
    return Stored(ids)


def listed(client, query: str = "") -> list[str]:
    """The titles linked to an initiative's page, in order."""
    response = client.get(f"/initiatives/?lang=en{query}")
    assert response.status_code == 200
    links = read_page(response.get_data(as_text=True)).links
    return [text for href, text in links if re.fullmatch(r"/initiatives/[0-9a-f]+", href)]


def titles_of(links: list[str]) -> set[str]:
    assert len(set(links)) == len(links)
    return set(links)


def test_the_list_shows_the_published_initiatives_only(client, stored):
    assert titles_of(listed(client)) == {
        "Épicerie solidaire itinérante", "Ressourcerie de Tours",
        "Réseau régional des repair cafés", "Garage solidaire"}


def test_filter_by_theme(client, stored):
    assert titles_of(listed(client, "&theme=reemploi")) == {
        "Ressourcerie de Tours", "Réseau régional des repair cafés"}


def test_filter_by_department_keeps_the_region_wide_ones(client, stored):
    assert titles_of(listed(client, "&dept=37")) == {
        "Ressourcerie de Tours", "Réseau régional des repair cafés"}
    assert titles_of(listed(client, "&dept=45&theme=mobilite")) == {"Garage solidaire"}
    assert titles_of(listed(client, "&dept=28&theme=alimentation")) == set()


def test_the_list_says_when_nothing_matches(client, stored):
    html = client.get("/initiatives/?lang=en&dept=28&theme=culture").get_data(as_text=True)
    assert "No initiative matches for now." in html


@pytest.mark.parametrize("query", ["theme=inconnu", "dept=75", "page=0"])
def test_a_bad_filter_is_a_400(client, stored, query):
    assert client.get(f"/initiatives/?{query}").status_code == 400


def test_an_initiative_s_page(client, stored):
    response = client.get(f"/initiatives/{stored.ids['Épicerie solidaire itinérante']}?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = read_page(html)
    assert page.text_headings[0] == "Épicerie solidaire itinérante"
    assert "<strong>qui roule</strong>" in html
    assert "<script>" not in html.split("</head>", 1)[1] and "javascript:" not in html
    assert page.link_text("paniers.example.org") == ["Les Paniers du Berry",
                                                     "https://paniers.example.org"]
    assert "Pays de Bourges" in html and "Cher (18)" in html
    assert page.hrefs("/initiatives/?theme=alimentation")


def test_a_region_wide_initiative_says_so(client, stored):
    html = client.get(f"/initiatives/{stored.ids['Réseau régional des repair cafés']}?lang=en"
                      ).get_data(as_text=True)
    assert "Whole region" in html


def test_a_withdrawn_initiative_is_gone_and_an_unknown_one_not_found(client, stored):
    gone = client.get(f"/initiatives/{stored.ids['Ancienne initiative']}?lang=en")
    assert gone.status_code == 410
    assert "<h1>Initiative withdrawn</h1>" in gone.get_data(as_text=True)
    assert "Event removed" not in gone.get_data(as_text=True)
    assert client.get("/initiatives/0123456789abcdef0123").status_code == 404
    assert client.get("/initiatives/not-an-id").status_code == 404


def test_the_list_is_paged(client, factory):
    with transaction(factory) as session:
        for n in range(35):
            put_initiative(session, None, initiative(f"Initiative {n:02d}", themes=["alimentation"]),
                           now=NOW)
    first = titles_of(listed(client))
    second = titles_of(listed(client, "&page=2"))
    assert len(first) == 30 and len(second) == 5 and not first & second
    pager = re.search(r'<nav class="pager".*?</nav>', client.get(
        "/initiatives/?theme=alimentation&page=2&lang=fr").get_data(as_text=True), re.S).group(0)
    # numbered pages that keep the filter, the current one marked
    assert re.findall(r'href="([^"]+)"', pager) == [
        "/initiatives/?theme=alimentation", "/initiatives/?theme=alimentation",
        "/initiatives/?theme=alimentation&amp;page=2"]
    assert 'aria-current="page" class="pager-current"><span class="visually-hidden">Page ' \
           '</span>2</a>' in pager
