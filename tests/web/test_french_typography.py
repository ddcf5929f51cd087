"""French pages follow French typography: '1er novembre', '14 h 30', 'du 1er au 3 novembre',
a no-break space before : ; ! ? and inside « », the typographic apostrophe; English pages mark
the French text of the region's actors with lang="fr"."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from html import unescape
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po

from agenda.db import transaction
from agenda.export.atom_entries import when_text as atom_when_text
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.actors import get_or_create_actor
from agenda.store.initiatives import put_initiative
from agenda.web.shared.dates import clock_label, date_label, span_label
from tests.web.pages import CALENDAR, NOW, PARIS, store
from tests.web.test_i18n import CATALOGUE

NBSP = "\u00a0"
SPACES = "\u00a0\u202f"
# What is not French prose inside a msgstr: HTML tags, addresses, placeholders
NOT_PROSE = re.compile(r"<[^>]*>|(?:https?|webcal)://\S+|%\(\w+\)[sd]|%[sd]")


def french_strings() -> list[tuple[str, str]]:
    with open(CATALOGUE, "rb") as f:
        catalogue = read_po(f, locale="fr")
    pairs = []
    for message in catalogue:
        if message.id:
            strings = [message.string] if isinstance(message.string, str) else message.string
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            pairs += [(msgid, NOT_PROSE.sub(" ", string)) for string in strings]
    return pairs


def test_the_french_catalogue_puts_a_no_break_space_before_high_punctuation():
    missing = [msgid for msgid, prose in french_strings()
               if re.search(rf"[^{SPACES}]([:;!?])(\s|$)", prose)]
    assert missing == []


def test_the_french_catalogue_writes_the_typographic_apostrophe():
    straight = [msgid for msgid, prose in french_strings() if re.search(r"\w'\w", prose)]
    assert straight == []


def test_the_french_catalogue_puts_no_break_spaces_inside_guillemets():
    bare = [msgid for msgid, prose in french_strings()
            if re.search(rf"«[^{SPACES}]|[^{SPACES}]»|«[{SPACES}]{{2}}|[{SPACES}]{{2}}»", prose)]
    assert bare == []


# --- Dates and times -----------------------------------------------------------------------

@pytest.mark.parametrize("lang, day, form, expected", [
    ("fr", date(2026, 11, 1), "full", "dimanche 1er novembre 2026"),
    ("fr", date(2026, 11, 2), "full", "lundi 2 novembre 2026"),
    ("fr", date(2027, 1, 1), "long", "1er janvier 2027"),
    ("fr", date(2026, 12, 1), "weekday", "mardi 1er"),
    ("en", date(2026, 11, 1), "full", "Sunday, November 1, 2026"),
    ("en", date(2026, 11, 1), "long", "November 1, 2026"),
])
def test_dates_say_1er_on_the_first_of_the_month(app, lang, day, form, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert date_label(day, form) == expected


@pytest.mark.parametrize("lang, hour, minute, expected", [
    ("fr", 14, 0, f"14{NBSP}h"), ("fr", 14, 30, f"14{NBSP}h{NBSP}30"),
    ("fr", 9, 5, f"9{NBSP}h{NBSP}05"), ("fr", 0, 0, f"0{NBSP}h"),
    ("en", 14, 30, "2:30\u202fPM"),
])
def test_times_are_written_14_h_30_in_french(app, lang, hour, minute, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert clock_label(datetime(2026, 11, 1, hour, minute).time()) == expected


@pytest.mark.parametrize("lang, first, last, expected", [
    ("fr", date(2026, 11, 1), date(2026, 11, 3), "Du dimanche 1er au mardi 3 novembre 2026"),
    ("fr", date(2026, 11, 30), date(2026, 12, 1),
     "Du lundi 30 novembre au mardi 1er décembre 2026"),
    ("fr", date(2026, 12, 31), date(2027, 1, 1),
     "Du jeudi 31 décembre 2026 au vendredi 1er janvier 2027"),
    ("en", date(2026, 11, 1), date(2026, 11, 3),
     "From Sunday, November 1 to Tuesday, November 3, 2026"),
])
def test_date_ranges_say_the_month_and_the_year_once(app, lang, first, last, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert span_label(first, last) == expected


FIRST_OF_DECEMBER = EventRecord(
    source_uid="decembre", title="Assemblée des tiers-lieux",
    start=datetime(2026, 12, 1, 14, 30, tzinfo=PARIS), end=datetime(2026, 12, 1, 16, 30, tzinfo=PARIS),
    occurrences=[Occurrence(datetime(2026, 12, 1, 14, 30, tzinfo=PARIS),
                            datetime(2026, 12, 1, 16, 30, tzinfo=PARIS))],
    categories=("Réseau",), location=Location(city="Blois", department="41"),
    description_text="Une journée d’échanges.")


@pytest.fixture
def stored(factory):
    return store(factory, [*CALENDAR, FIRST_OF_DECEMBER])


def visible_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.get_data(as_text=True),
                  flags=re.DOTALL)
    return re.sub(r"[ \t\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_home_page_writes_french_dates_and_times(client, stored):
    text = visible_text(client, "/?lang=fr&from=2026-11-21&to=2026-12-31")
    assert "mardi 1er décembre 2026" in text
    assert f"14{NBSP}h{NBSP}30 – 16{NBSP}h{NBSP}30" in text


def test_the_event_page_writes_french_dates_times_and_labels(client, stored):
    text = visible_text(client, f"/evenements/{stored.ids['Assemblée des tiers-lieux']}?lang=fr")
    assert f"mardi 1er décembre 2026, de 14{NBSP}h{NBSP}30 à 16{NBSP}h{NBSP}30" in text
    assert f"Catégories{NBSP}: Réseau" in text
    festival = visible_text(client, f"/evenements/{stored.ids['Festival des solidarités']}")
    assert "Du vendredi 27 au dimanche 29 novembre 2026" in festival


def test_the_english_event_page_writes_english_dates(client, stored):
    text = visible_text(client, f"/evenements/{stored.ids['Assemblée des tiers-lieux']}?lang=en")
    assert "Tuesday, December 1, 2026, 2:30\u202fPM – 4:30\u202fPM" in text


@pytest.mark.parametrize("url", [
    "/?lang=fr", "/mois/2026-11?lang=fr", "/sources?lang=fr", "/initiatives/?lang=fr",
    "/campagnes/?lang=fr", "/submit?lang=fr", "/page-inconnue?lang=fr",
])
def test_french_pages_put_a_no_break_space_before_high_punctuation(client, stored, url):
    response = client.get(url)
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.get_data(as_text=True),
                  flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert re.findall(rf"\S*[^{SPACES}\s][:;!?](?=\s)\S*| [:;!?]\S*", text) == []


# --- French content on English pages ---------------------------------------------------------

def test_an_english_event_page_marks_the_title_and_description_as_french(client, stored):
    html = client.get(f"/evenements/{stored.ids['Repair café']}?lang=en").get_data(as_text=True)
    assert re.search(r'<h1>[^<]*<span lang="fr">Repair café</span></h1>', html)
    assert '<div class="description" lang="fr">' in html
    french = client.get(f"/evenements/{stored.ids['Repair café']}?lang=fr").get_data(as_text=True)
    assert re.search(r'<h1>[^<]*<span>Repair café</span></h1>', french)
    assert '<div class="description">' in french


def test_an_english_initiative_page_marks_what_its_actor_wrote_as_french(client, factory):
    with transaction(factory) as session:
        actor = get_or_create_actor(session, "Les Paniers du Berry")
        item = put_initiative(session, None, {
            "title": "Épicerie solidaire", "description_html": "<p>Des paniers</p>",
            "description_text": "Des paniers", "themes": [], "department": "18",
            "territory": "Vierzon", "url": None, "status": "active", "actor_id": actor.id},
            now=NOW)
        initiative_id = item.id
    page = client.get(f"/initiatives/{initiative_id}?lang=en").get_data(as_text=True)
    assert '<h1 lang="fr">Épicerie solidaire</h1>' in page
    assert '<div class="description" lang="fr">' in page
    assert '<span lang="fr">Vierzon</span>' in page
    listing = client.get("/initiatives/?lang=en").get_data(as_text=True)
    assert re.search(r'<a href="/initiatives/\w+" lang="fr">Épicerie solidaire</a>', listing)



def timed_at(start: datetime, end: datetime) -> SimpleNamespace:
    return SimpleNamespace(all_day=False, start_date=None, end_date=None,
                           start_at=start.astimezone(timezone.utc), end_at=end.astimezone(timezone.utc))


def all_day_on(first: date, end: date) -> SimpleNamespace:
    return SimpleNamespace(all_day=True, start_date=first, end_date=end)


@pytest.mark.parametrize("occurrence, expected", [
    (timed_at(datetime(2026, 12, 1, 14, 30, tzinfo=PARIS), datetime(2026, 12, 1, 16, tzinfo=PARIS)),
     f"mardi 1er décembre 2026, 14{NBSP}h{NBSP}30 – 16{NBSP}h"),
    (all_day_on(date(2026, 11, 27), date(2026, 11, 30)),
     "du vendredi 27 au dimanche 29 novembre 2026"),
    (all_day_on(date(2026, 11, 30), date(2026, 12, 2)),
     "du lundi 30 novembre au mardi 1er décembre 2026"),
    (timed_at(datetime(2026, 12, 31, 22, tzinfo=PARIS), datetime(2027, 1, 1, 2, tzinfo=PARIS)),
     f"du jeudi 31 décembre 2026 à 22{NBSP}h au vendredi 1er janvier 2027 à 2{NBSP}h"),
])
def test_feed_entries_write_french_dates(occurrence, expected):
    assert atom_when_text(occurrence, PARIS) == expected
