"""The public listings: upcoming events by day, pages, the month, filters, facets, subscriptions,
refused filters, escaping and the accessibility basics."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from agenda.db import transaction
from agenda.records import Location
from agenda.store.events import upsert_events
from agenda.store.form_source import form_source
from agenda.store.sources import add_source
from agenda.web.public import views as public_views
from agenda.web.public.pages import page_numbers
from agenda.web.public.quick_ranges import quick_ranges
from agenda.web.shared import dates
from tests.web.pages import (
    NOW,
    PARIS,
    day_sections,
    read_page,
    store,
    timed,
)


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def text(client, url: str, status: int = 200) -> str:
    """The page with its character references resolved (for reading its sentences), French
    apostrophes (’) read as plain ones (') and no-break spaces as spaces."""
    return unescape(html(client, url, status)).replace("’", "'").replace("\u00a0", " ")\
        .replace("\u202f", " ")


def query_of(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


def test_home_lists_upcoming_events_by_day_in_french(client, calendar):
    page = html(client, "/")
    assert list(day_sections(page)) == [
        "lundi 23 novembre 2026", "mardi 24 novembre 2026", "mercredi 25 novembre 2026",
        "jeudi 26 novembre 2026", "vendredi 27 novembre 2026", "lundi 30 novembre 2026",
        "lundi 7 décembre 2026", "lundi 14 décembre 2026"]
    days = day_sections(page)
    assert days["jeudi 26 novembre 2026"] == ["Conférence finance solidaire", "Webinaire ESS"]
    assert "Retiré par sa source" not in page
    assert "9 dates" in page and "de 6 évènements" in page
    assert re.search(r"18(:00|\s*h)\s*–\s*20(:00|\s*h)", page)  # 17:00 UTC in Europe/Paris
    assert "Jusqu'au dimanche 29 novembre 2026" in text(client, "/")  # all-day, three days


def test_an_event_already_running_is_listed_on_the_first_day_shown(client, calendar):
    days = day_sections(html(client, "/?from=2026-11-28&to=2026-11-29"))
    assert days == {"samedi 28 novembre 2026": ["Festival des solidarités"]}


def test_past_days_are_shown_when_asked_for(client, calendar):
    days = day_sections(html(client, "/?from=2026-11-01&to=2026-11-20"))
    assert days == {}
    assert "Aucun évènement ne correspond" in html(client, "/?from=2026-11-01&to=2026-11-20")


def test_cancelled_events_say_so_in_words(client, calendar):
    page = html(client, "/?theme=emploi-insertion")
    line = page[page.index('is-cancelled"'):]
    line = line[:line.index("</li>")]
    assert "Annulé" in line and "Forum de l'emploi solidaire" in unescape(line)


def test_pages_of_results_keep_the_filters(client, factory):
    records = [timed(f"e{n}", f"Atelier {n:02d}", 23 + n % 5, hour=8 + n % 10,
                     location=Location(city="Blois", department="41"))
               for n in range(35)]
    store(factory, records)
    first = read_page(html(client, "/?dept=41"))
    assert "35 dates" in html(client, "/?dept=41")
    [next_url] = {href for href in first.hrefs() if "page=2" in href}  # "2" and "next"
    assert query_of(next_url) == [("dept", "41"), ("page", "2")]
    second = html(client, next_url)
    assert re.search(r'<a href="[^"]*page=2[^"]*" aria-current="page"', second)
    assert sum(len(titles) for titles in day_sections(second).values()) == 5
    assert sum(len(titles) for titles in day_sections(html(client, "/?dept=41")).values()) == 30
    assert "Il n'y a plus de résultats" in text(client, "/?dept=41&page=3")


def test_month_view_lists_each_day_and_links_the_neighbour_months(client, calendar):
    page = html(client, "/mois/2026-11?dept=18&dept=41")
    days = day_sections(page)
    assert days["vendredi 27 novembre 2026"] == ["Festival des solidarités"]
    assert days["dimanche 29 novembre 2026"] == ["Festival des solidarités"]
    assert days["lundi 30 novembre 2026"] == ["Permanence numérique"]
    assert "lundi 7 décembre 2026" not in days
    assert '<h1 class="listing-title">Les évènements de novembre 2026</h1>' in page
    links = read_page(page)
    [previous] = links.hrefs("/mois/2026-10")
    [following] = links.hrefs("/mois/2026-12")
    assert query_of(previous) == query_of(following) == [("dept", "18"), ("dept", "41")]


def test_the_month_page_sets_the_dates_of_its_twins(client, calendar):
    page = read_page(html(client, "/mois/2026-12?q=permanence"))
    [api] = [h for h in page.hrefs("/api/events") if h.startswith("http://")]
    assert query_of(api) == [("from", "2026-12-01"), ("q", "permanence"), ("to", "2026-12-31")]
    [ics] = [a["value"] for a in page.all("input") if "/calendar.ics" in a.get("value", "")]
    assert query_of(ics) == [("q", "permanence")]


def test_this_month_redirects_with_the_filters(client, calendar):
    response = client.get("/mois?theme=reemploi")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mois/2026-11?theme=reemploi"


@pytest.mark.parametrize("query, expected", [
    ("dept=37", ["Repair café"]),
    ("dept=45&dept=18", ["Forum de l'emploi solidaire", "Conférence finance solidaire",
                         "Festival des solidarités"]),
    ("city=orléans", ["Forum de l'emploi solidaire", "Conférence finance solidaire"]),
    ("theme=reemploi", ["Repair café"]),
    ("mode=online", ["Webinaire ESS"]),
    ("q=webinaire", ["Webinaire ESS"]),
    ("q=repair&dept=45", []),
    ("from=2026-11-26&to=2026-11-26", ["Conférence finance solidaire", "Webinaire ESS"]),
])
def test_filters_narrow_the_listing(client, calendar, query, expected):
    days = day_sections(html(client, f"/?{query}"))
    titles = [unescape(t) for titles in days.values() for t in titles]
    assert titles == expected


def test_source_filter(client, calendar):
    assert "9 dates" in html(client, f"/?source={calendar.source_id}")
    assert "0 date" in html(client, f"/?source={calendar.source_id + 1}")


def test_the_form_and_the_subscriptions_keep_the_filters(client, calendar):
    text = html(client, "/?q=repair&dept=37&theme=reemploi&mode=in_person")
    page = read_page(text)
    [words] = [a for a in page.all("input") if a.get("id") == "f-q"]
    assert words["value"] == "repair"
    checked = {a["id"] for a in page.all("input") if "checked" in a}
    assert checked == {"f-dept-37", "f-theme-reemploi"}
    expected = [("dept", "37"), ("mode", "in_person"), ("q", "repair"), ("theme", "reemploi")]
    [webcal] = [h for h in page.hrefs() if h.startswith("webcal://")]
    assert webcal.startswith("webcal://localhost/calendar.ics?") and query_of(webcal) == expected
    [https] = [a["value"] for a in page.all("input") if "/calendar.ics" in a.get("value", "")]
    assert https.startswith("http://localhost/calendar.ics?") and query_of(https) == expected
    [atom] = [a["href"] for a in page.all("link") if a.get("type") == "application/atom+xml"]
    assert atom.startswith("http://localhost/feed.atom?") and query_of(atom) == expected
    [api] = [h for h in page.hrefs("/api/events") if h.startswith("http://")]
    assert query_of(api) == expected


def test_facets_count_and_add_or_remove_a_filter(client, calendar):
    page = read_page(html(client, "/?dept=45"))
    facets = {text: href for href, text in page.links if text.endswith(")")}
    assert query_of(facets["✓ Loiret (45) (2 dates) (choisi : suivre le lien pour retirer ce "
                           "filtre)"]) == []
    assert query_of(facets["Emploi et insertion (1 date)"]) == [("dept", "45"),
                                                                 ("theme", "emploi-insertion")]
    assert query_of(facets["Finance solidaire (1 date)"]) == [("dept", "45"),
                                                              ("theme", "finance-solidaire")]


def test_facets_on_the_whole_listing(client, calendar):
    page = read_page(html(client, "/"))
    labels = [text for href, text in page.links if href.startswith("/?dept=")]
    assert labels[:2] == ["Loir-et-Cher (41) (4 dates)", "Loiret (45) (2 dates)"]  # most first
    assert sorted(labels[2:]) == ["Cher (18) (1 date)", "Indre-et-Loire (37) (1 date)"]


@pytest.mark.parametrize("query", [
    "q=", "q=title:(foo", 'q="unbalanced', "q=AND OR NOT", "q=*", "q=foo~2", "q=%25_%25",
    "q=[a TO b]", "q=" + "é" * 200, "q=%3Cscript%3E", "q=caf%C3%A9+%22repair", "sort=relevance",
    "q=repair&sort=relevance", "city=%27%3B+DROP+TABLE+events", "from=2026-11-21",
])
def test_odd_but_valid_queries_answer(client, calendar, query):
    assert client.get(f"/?{query}").status_code == 200
    assert client.get(f"/mois/2026-11?{query}").status_code == 200


@pytest.mark.parametrize("query, message, kept", [
    ("from=2026-13-01&q=repair", "La date du champ « À partir du » doit s'écrire AAAA-MM-JJ.",
     'value="repair"'),
    ("to=demain", "« Jusqu'au » doit s'écrire AAAA-MM-JJ.", 'value="demain"'),
    ("from=2026-11-30&to=2026-11-01", "La date de fin ne peut pas précéder la date de début.",
     'value="2026-11-30"'),
    ("from=0001-01-01", "entre les années 1970 et 2200", 'value="0001-01-01"'),
    ("from=1980-01-01&to=2100-01-01", "La période ne peut pas dépasser 3660 jours.",
     'value="2100-01-01"'),
    ("dept=75&city=Paris", "Département « 75 » inconnu : ceux de la région sont 18, 28, 36, 37, "
     "41, 45.", 'value="Paris"'),
    ("theme=inconnu", "Thème « inconnu » inconnu.", ""),
    ("source=abc", "Une source doit être indiquée par son numéro.", ""),
    ("mode=both", "« En ligne ou sur place » doit valoir", ""),
    ("sort=price", "« Trier par » doit valoir", ""),
    ("q=" + "x" * 201, "La recherche ne peut pas dépasser 200 caractères.", 'value="xxxxx'),
    ("city=" + "y" * 5000, "Le champ « Ville » ne peut pas dépasser 200 caractères.", ""),
    ("q=a%00b", "La recherche ne peut pas contenir de caractères de contrôle.", 'value="ab"'),
    ("page=0", "La page doit être un nombre entier entre 1 et 10000.", ""),
    ("page=x", "La page doit être un nombre entier", ""),
    ("&".join(f"dept={n}" for n in range(30)), "Le champ « Département » accepte au plus 20", ""),
])
def test_bad_queries_are_a_french_400_page_with_the_form_kept(client, calendar, query, message,
                                                              kept):
    page = text(client, f"/?{query}", status=400)
    assert '<html lang="fr">' in page
    assert message in page
    assert kept in page
    assert 'role="alert"' in page and 'action="/"' in page


def test_a_bad_month_is_a_400_page_pointing_to_the_home_form(client, calendar):
    for month in ("2026-13", "1900-01", "abc", "2026-1", "99999-01"):
        page = text(client, f"/mois/{month}", status=400)
        assert "Le mois doit s'écrire AAAA-MM" in page and 'action="/"' in page


def test_a_bad_filter_on_the_month_page_keeps_the_month_form(client, calendar):
    page = html(client, "/mois/2026-11?dept=99", status=400)
    assert 'action="/mois/2026-11"' in page and 'name="from"' not in page


def test_titles_and_places_from_sources_are_escaped(client, factory):
    evil = "<script>alert(1)</script>"
    record = timed("x", f"{evil}Forum", 25, organizer=f"<b>{evil}</b>",
                   url="javascript:alert(1)", image_url="javascript:alert(2)",
                   online_url="data:text/html,<script>alert(3)</script>",
                   location=Location(name=f"<img src=x onerror=alert(4)>{evil}", city=evil),
                   categories=(evil,), description_text=f"</script>{evil}")
    stored = store(factory, [record], name=f"Source {evil}")
    listing = html(client, "/")
    month = html(client, "/mois/2026-11")
    event = html(client, f"/evenements/{stored.ids[record.title]}")
    sources = html(client, "/sources")
    for page in (listing, month, event, sources):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "javascript:" not in page and "data:text/html" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Forum" in listing
    assert "&lt;img src=x onerror=alert(4)&gt;" in event
    scripts = read_page(event).scripts
    assert all("</script" not in text.lower() for _attrs, text in scripts)


def test_sources_page_shows_health_and_counts(client, calendar):
    page = html(client, "/sources")
    assert "Tiers-lieu" in page and "La Fabrique commune" in page
    assert "pas encore collectée" in page
    [count] = [text for href, text in read_page(page).links
               if href == f"/?source={calendar.source_id}"]
    assert re.search(r"\b6\b", count)  # its events, counted, link to its listing


def test_unknown_pages_are_a_french_404(client, calendar):
    page = html(client, "/nulle-part", status=404)
    assert "Page introuvable" in page and '<html lang="fr">' in page


def test_pages_allow_only_their_own_scripts_and_forbid_framing(client, calendar):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", page)
    # only external scripts from our own static folder (JSON-LD data blocks are not scripts)
    assert all('src="/static/' in attrs or 'type="application/ld+json"' in attrs
               for attrs in scripts), scripts


# --- Accessibility basics ------------------------------------------------------------------

ACCESSIBLE_PAGES = ["/", "/?q=repair&sort=relevance", "/mois/2026-11", "/sources",
                    "/?dept=75", "/nulle-part"]


@pytest.fixture
def every_page(client, calendar):
    urls = ACCESSIBLE_PAGES + [f"/evenements/{calendar.ids['Repair café']}",
                               f"/evenements/{calendar.ids['Permanence numérique']}"]
    return [(url, read_page(client.get(url).get_data(as_text=True))) for url in urls]


def test_pages_have_a_language_landmarks_and_a_skip_link(every_page):
    for url, page in every_page:
        assert page.lang == "fr", url
        for landmark in ("header", "nav", "main", "footer"):
            assert page.all(landmark), (url, landmark)
        assert page.links[0] == ("#contenu", "Aller au contenu principal"), url
        assert [a for a in page.all("main") if a.get("id") == "contenu"], url


def test_pages_have_one_h1_and_ordered_headings(every_page):
    for url, page in every_page:
        levels = [level for level, _text in page.headings]
        assert levels.count(1) == 1 and levels[0] == 1, url
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (url, levels)


def test_every_form_field_has_a_label(every_page):
    for url, page in every_page:
        labelled = {a.get("for") for a in page.all("label")}
        fields = [a for a in page.all("input") + page.all("select")
                  if a.get("type") not in ("hidden", "submit")]
        for attrs in fields:
            assert attrs.get("id") in labelled, (url, attrs)


def test_navigation_names_the_current_page(client, calendar):
    page = read_page(html(client, "/mois/2026-11"))
    current = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["/mois"]


# --- Cards, quick dates, pages, the filter disclosure ---------------------------------------

def card_of(html: str, title: str) -> str:
    """The <li> card holding ``title``."""
    at = html.index(title)
    start = html.rindex('<li class="event card', 0, at)
    return html[start:html.index("</li>", html.index('class="event-source"', at))]


def test_a_card_says_when_what_who_where_and_links_to_its_date(client, calendar):
    html = client.get("/").get_data(as_text=True)
    card = card_of(html, "Repair café")
    page = read_page(card)
    assert page.hrefs("/evenements/") == [f"/evenements/{calendar.ids['Repair café']}/2026-11-25"]
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())
    assert re.search(r"18(:00|\s*h)\s*–\s*20", words)
    for expected in ("Association Répar'37", "Tours (Indre-et-Loire)",
                     "Réemploi et économie circulaire", "Apportez vos objets cassés",
                     "Publié par La Fabrique commune"):
        assert expected in words, expected
    [thumb] = page.all("img")
    assert thumb["src"] == "https://repair.example.org/cafe.jpg"
    assert thumb["alt"] == "" and thumb["loading"] == "lazy"


def test_a_series_card_links_to_each_of_its_dates(client, calendar):
    html = client.get("/?q=permanence").get_data(as_text=True)
    event_id = calendar.ids["Permanence numérique"]
    assert [h for h in read_page(html).hrefs("/evenements/")] == [
        f"/evenements/{event_id}/2026-11-{d}" for d in (23, 30)] + [
        f"/evenements/{event_id}/2026-12-{d}" for d in ("07", 14)]


@pytest.mark.parametrize("image_url, shown", [
    ("https://exemple.org/a.jpg", True), ("http://exemple.org/a.png", True),
    ("javascript:alert(1)", False), ("data:image/png;base64,iVBORw0KGgo=", False),
    ("/images/local.png", False), ("//exemple.org/a.jpg", False), ("ftp://exemple.org/a.jpg", False),
    (None, False),
])
def test_a_thumbnail_only_from_a_web_address(client, factory, image_url, shown):
    store(factory, [timed("img", "Atelier photo", 25, image_url=image_url)])
    card = card_of(client.get("/").get_data(as_text=True), "Atelier photo")
    images = read_page(card).all("img")
    assert [a["src"] for a in images] == ([image_url] if shown else [])


@pytest.mark.parametrize("organizer, actor, shown, publisher", [
    ("Association Répar'37", "La Fabrique commune", "Association Répar'37",
     "Publié par La Fabrique commune"),
    (None, "La Fabrique commune", None, "Publié par La Fabrique commune"),  # said once
    ("contact@repar37.fr", "La Fabrique commune", None, "Publié par La Fabrique commune"),
    (None, None, None, "Publié par Tiers-lieu"),  # no actor: the source's name
])
def test_the_card_names_the_organiser_and_the_publisher(client, factory, organizer, actor,
                                                        shown, publisher):
    records = [timed("o", "Atelier vélo", 25, organizer=organizer)]
    if actor:
        store(factory, records)
    else:
        with transaction(factory) as session:
            source_id = add_source(session, name="Tiers-lieu", url="http://127.0.0.1/a.ics",
                                   now=NOW).id
            upsert_events(session, source_id, records, now=NOW, tz=PARIS)
    card = card_of(client.get("/").get_data(as_text=True), "Atelier vélo")
    organisers = re.findall(r'<span class="card-organiser"[^>]*>(.*?)</span>', card)
    assert [unescape(o) for o in organisers] == ([shown] if shown else [])
    assert publisher in " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())


def test_a_proposed_event_says_it_came_through_the_form(client, factory):
    with transaction(factory) as session:
        source = form_source(session, now=NOW)
        upsert_events(session, source.id, [timed("p", "Atelier proposé", 25,
                                                 organizer="Les Amis du vélo")],
                      now=NOW, tz=PARIS)
    card = card_of(client.get("/").get_data(as_text=True), "Atelier proposé")
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())
    assert "Proposé via le formulaire" in words and "Les Amis du vélo" in words
    assert "Propositions reçues" not in words


@pytest.mark.parametrize("length, expected_end", [(100, "d"), (300, "…")])
def test_the_summary_is_one_line_cut_at_a_word(client, factory, length, expected_end):
    words = ("des mots " * 60)[:length - 1].strip() + "d"
    store(factory, [timed("s", "Atelier résumé", 25, description_text=words)])
    card = card_of(client.get("/").get_data(as_text=True), "Atelier résumé")
    [summary] = re.findall(r'<p class="card-summary"[^>]*>(.*?)</p>', card, re.S)
    assert summary.endswith(expected_end) and len(summary) <= 141
    assert summary.rstrip("…").split(" ")[-1] in ("des", "mots", words.split(" ")[-1])


@pytest.mark.parametrize("url, current", [
    ("/", None),
    ("/?from=2026-11-21&to=2026-11-21", "Aujourd’hui"),
    ("/?from=2026-11-21&to=2026-11-22&dept=41", "Ce week-end"),  # a Saturday: the week too
    ("/?from=2026-11-21&to=2026-11-30", "Ce mois-ci"),
    ("/?from=2026-11-20&to=2026-11-30", None),
])
def test_quick_dates_set_the_dates_and_mark_the_chosen_one(client, calendar, url, current):
    html = client.get(url).get_data(as_text=True)
    nav_html = html[html.index('<nav class="quick-ranges"'):]
    nav_html = nav_html[:nav_html.index("</nav>")]
    nav = read_page(nav_html)
    links = {text: href for href, text in nav.links}
    assert list(links) == ["Aujourd’hui", "Ce week-end", "Cette semaine", "Ce mois-ci"]
    dates = {text: [(k, v) for k, v in query_of(href) if k in ("from", "to")]
             for text, href in links.items()}
    assert dates["Aujourd’hui"] == [("from", "2026-11-21"), ("to", "2026-11-21")]
    assert dates["Ce week-end"] == [("from", "2026-11-21"), ("to", "2026-11-22")]
    assert dates["Ce mois-ci"] == [("from", "2026-11-21"), ("to", "2026-11-30")]
    marked = re.findall(r'aria-current="true">([^<]+)</a>', nav_html)
    assert marked == ([current] if current else [])  # on a Saturday, not the week too
    if "dept=41" in url:
        assert all(("dept", "41") in query_of(href) for href in links.values())


@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 18), {"today": (18, 18), "weekend": (21, 22), "week": (18, 22),
                          "month": (18, 30)}),  # a Wednesday
    (date(2026, 11, 21), {"today": (21, 21), "weekend": (21, 22), "week": (21, 22),
                          "month": (21, 30)}),  # a Saturday
    (date(2026, 11, 22), {"today": (22, 22), "weekend": (22, 22), "week": (22, 22),
                          "month": (22, 30)}),  # a Sunday
    (date(2026, 11, 30), {"today": (30, 30), "weekend": (5, 6), "week": (30, 6),
                          "month": (30, 30)}),  # a Monday, the last of the month
])
def test_quick_ranges_from_today_on(today, expected):
    found = {q.key: (q.start.day, q.end.day) for q in quick_ranges(today)}
    assert found == expected
    assert all(q.start >= today and q.end >= q.start for q in quick_ranges(today))


@pytest.mark.parametrize("page, pages, numbers", [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 149, [1, 2, None, 149]),
    (3, 149, [1, 2, 3, 4, None, 149]),
    (5, 149, [1, None, 4, 5, 6, None, 149]),
    (148, 149, [1, None, 147, 148, 149]),
    (149, 149, [1, None, 148, 149]),
])
def test_page_numbers(page, pages, numbers):
    assert page_numbers(page, pages) == numbers


def test_pages_are_numbered_and_keep_the_filters(client, calendar, monkeypatch):
    monkeypatch.setattr(public_views, "PER_PAGE", 1)  # the 9 dates on 9 pages
    html = client.get("/?page=5&source=" + str(calendar.source_id)).get_data(as_text=True)
    nav = html[html.index('<nav class="pager"'):]
    nav = nav[:nav.index("</nav>")]
    page = read_page(nav)
    texts = [" ".join(text.replace("‹", "").replace("›", "").split()) for _, text in page.links]
    assert texts == ["Page précédente", "Page 1", "Page 4", "Page 5", "Page 6", "Page 9",
                     "Page suivante"]
    assert nav.count("…") == 2
    [current] = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert query_of(current["href"]) == [("page", "5"), ("source", str(calendar.source_id))]
    assert query_of(page.links[1][0]) == [("source", str(calendar.source_id))]  # page 1


@pytest.mark.parametrize("url, summary", [
    ("/", "Filtrer"),
    ("/?dept=41&dept=37&q=atelier", "Filtrer (3)"),
    ("/?from=2026-11-21&to=2026-11-30&theme=reemploi&sort=relevance", "Filtrer (2)"),
    ("/mois/2026-11?mode=online", "Filtrer (1)"),
])
def test_the_filters_are_behind_a_disclosure_that_counts_them(client, calendar, url, summary):
    html = client.get(url).get_data(as_text=True)
    panel = re.search(r'<details class="filter-panel"[^>]*>\s*<summary>(.*?)</summary>', html,
                      re.S)
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", panel.group(1))
    assert " ".join(re.sub(r"<[^>]+>", "", shown).split()) == summary
    assert html.index('class="filter-panel"') < html.index('class="results')
    assert html.index('class="subscribe-box"') < html.index('class="filter-panel"')


def test_every_visitor_of_a_minute_asks_the_search_the_same_window(client, calendar,
                                                                   monkeypatch):
    """The search remembers its answers by window: the home page's window starts at the
    minute, so the visitors of the same minute share one answer (a window starting at the
    microsecond made every home page a fresh search: 6 pages a second under load)."""
    asked, find = [], public_views.find_occurrences

    def spy(*args, **kwargs):
        asked.append(kwargs["window"])
        return find(*args, **kwargs)

    monkeypatch.setattr(public_views, "find_occurrences", spy)
    for second, micro in ((5, 1), (50, 999_999)):
        monkeypatch.setattr(dates, "_clock", lambda s=second, m=micro: NOW.replace(second=s,
                                                                                  microsecond=m))
        assert client.get("/").status_code == 200
    assert asked[0] == asked[1] and asked[0][0] == NOW.replace(second=0, microsecond=0)
