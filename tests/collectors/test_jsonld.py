"""schema.org events in JSON-LD, one sample page per behaviour in tests/data/jsonld/."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from agenda.collectors.event_links import links_to_event_pages
from agenda.collectors.jsonld import parse_jsonld
from agenda.collectors.notice import json_params
from agenda.errors import ParseError
from agenda.records import Location, ParseResult
from agenda.web.shared.i18n import init_babel
from agenda.web.shared.source_messages import say

PAGES = Path(__file__).parent.parent / "data" / "jsonld"
PARIS = ZoneInfo("Europe/Paris")
PAGE_URL = "https://site-exemple.fr/agenda/"
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def parse_sample(name: str, page_url: str = PAGE_URL) -> ParseResult:
    return parse_jsonld((PAGES / name).read_bytes(), page_url=page_url, default_tz=PARIS, now=NOW)


def by_title(result: ParseResult) -> dict:
    return {event.title: event for event in result.events}


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_the_events_calendar_single_event_page():
    result = parse_sample("tribe_single_event.html")
    assert (result.format, result.skipped, result.warnings) == ("jsonld", 0, [])
    [event] = result.events
    assert event.title == "Repair Café de juin – on répare ensemble"  # entities decoded
    assert event.source_uid == event.url == "https://ressourcerie-exemple.fr/event/repair-cafe-juin/"
    assert (event.start, event.end, event.all_day) == (paris(2026, 6, 13, 14),
                                                       paris(2026, 6, 13, 18), False)
    assert event.location == Location(name="Ressourcerie du Loiret", address="12 rue des Carmes",
                                      postcode="45000", city="Orléans", department="45",
                                      lat=47.9029, lon=1.9039)
    assert event.organizer == "Association Répar’Loire"
    assert event.image_url == "https://ressourcerie-exemple.fr/wp-content/uploads/2026/05/repair.jpg"
    # Its escaped HTML description is read as HTML, not shown as tags
    assert "<strong>petit électroménager</strong>" in event.description_html
    assert event.description_text.startswith("Apportez vos objets en panne")
    assert "<" not in event.description_text
    assert (event.status, event.online_url) == ("confirmed", None)


def test_yoast_graph_with_mixed_attendance():
    result = parse_sample("yoast_graph_event.html")
    [event] = result.events  # the WebPage, ImageObject, BreadcrumbList and Organization ignored
    assert event.source_uid == "https://cress-exemple.org/#/schema/Event/42"
    assert event.title == "Forum de l'emploi solidaire"
    assert event.url == "https://cress-exemple.org/agenda/forum-emploi-solidaire/"
    assert (event.location.name, event.location.city, event.location.postcode) == (
        "Le 108", "Orléans", "45000")
    assert event.online_url == "https://visio.cress-exemple.org/forum"
    assert event.organizer == "CRESS Centre-Val de Loire, France Travail"
    assert event.image_url == "https://site-exemple.fr/wp-content/uploads/forum-affiche.png"
    assert event.start == paris(2026, 11, 19, 9, 30)
    assert [w.code for w in result.warnings] == ["jsonld.status"]


def test_a_listing_with_several_events_in_an_item_list():
    result = parse_sample("listing_item_list.html")
    assert [e.title for e in result.events] == [
        "Atelier couture zéro déchet", "Concert de soutien", "Café des parents",
        "Café des parents"]
    couture, concert, first, second = result.events
    assert couture.url == couture.source_uid == "https://site-exemple.fr/agenda/atelier-couture"
    assert couture.image_url == "https://site-exemple.fr/img/couture-16x9.jpg"
    assert couture.location == Location(name="La Fabrique", address="3 place du Marché",
                                        postcode="41000", city="Blois", department="41")
    assert concert.organizer == "Collectif La Fabrique"
    # Two dates of one page keep both, told apart by their start
    assert first.source_uid != second.source_uid
    assert first.source_uid.startswith("https://site-exemple.fr/agenda/cafe-des-parents#")
    assert result.skipped == 0


def test_only_events_are_kept_from_a_list_of_mixed_types():
    result = parse_sample("mixed_types_list.html")
    assert [e.title for e in result.events] == ["Festisol 2026",
                                                "Projection-débat « Nourrir la ville »"]
    festival, screening = result.events
    assert (festival.start, festival.end, festival.all_day) == (date(2026, 11, 13),
                                                                date(2026, 11, 30), True)
    assert screening.location.department == "37"
    # Neither @id nor url: a stable hash of the name and the start
    assert festival.source_uid.startswith("jsonld-")
    assert parse_sample("mixed_types_list.html").events[0].source_uid == festival.source_uid
    assert (result.skipped, result.warnings) == (0, [])


@pytest.mark.parametrize("title, status, warning", [
    ("Assemblée générale", "cancelled", None),
    ("Fête de la récolte", "confirmed", 'The event "Fête de la récolte" is postponed; its '
                                        "dates may change."),
    ("Visite de la ferme", "confirmed", 'The event "Visite de la ferme" was rescheduled; the '
                                        "dates read are the new ones."),
    ("Conférence circuits courts", "confirmed",
     'The event "Conférence circuits courts" has moved online.'),
    ("Distribution", "confirmed", None),
])
def test_event_status(title, status, warning):
    result = parse_sample("event_status.html")
    assert by_title(result)[title].status == status
    said = [w for w in result.warnings if f'"{title}"' in w]
    assert said == ([warning] if warning else [])


def test_an_event_moved_online_keeps_its_virtual_location():
    event = by_title(parse_sample("event_status.html"))["Conférence circuits courts"]
    assert event.online_url == "https://meet.jit.si/amap-circuits-courts"
    assert event.location == Location()


@pytest.mark.parametrize("title, start, end, all_day, zone", [
    # No offset: local time in the region's zone
    ("Permanence sans décalage", paris(2026, 7, 2, 14), paris(2026, 7, 2, 17, 30), False,
     "Europe/Paris"),
    # A date alone is an all-day event; the end date is the last day
    ("Portes ouvertes", date(2026, 7, 4), date(2026, 7, 5), True, None),
    ("Chantier participatif", date(2026, 7, 10), date(2026, 7, 13), True, None),
    ("Webinaire en UTC", datetime(2026, 7, 15, 8, tzinfo=timezone.utc),
     datetime(2026, 7, 15, 9, 30, tzinfo=timezone.utc), False, None),
    ("Fin avant le début", paris(2026, 7, 20, 10), paris(2026, 7, 20, 10), False, None),
    ("Bal folk", paris(2026, 7, 25, 21), paris(2026, 7, 25, 21), False, None),  # in CDATA
])
def test_dates(title, start, end, all_day, zone):
    event = by_title(parse_sample("dates_local_and_all_day.html"))[title]
    assert (event.start, event.end, event.all_day, event.timezone) == (start, end, all_day, zone)
    assert event.start.utcoffset() == start.utcoffset() if not all_day else True
    assert [(o.start, o.end, o.all_day) for o in event.occurrences] == [(start, end, all_day)]


def test_an_end_before_the_start_is_dropped_with_a_warning():
    result = parse_sample("dates_local_and_all_day.html")
    assert result.warnings == ['The event "Fin avant le début": its end is before its start; '
                               "the end was ignored."]


def test_broken_items_are_skipped_and_counted_the_others_kept():
    result = parse_sample("broken_items.html")
    assert [e.title for e in result.events] == ["Fin illisible", "Troc de plantes"]
    assert result.skipped == 3
    assert result.warnings == [
        "Script 1 of the page is not valid JSON-LD; it was ignored.",
        'The event "https://recyclerie-exemple.fr/agenda/sans-nom" was skipped: it has no name.',
        'The event "Sans date" was skipped: it has no start date.',
        'The event "Date illisible" was skipped: its start date "à définir" could not be read.',
        'The event "Fin illisible": its end date "vers midi" could not be read; the end was '
        "ignored.",
    ]
    troc = by_title(result)["Troc de plantes"]  # values as @value objects and lists
    assert troc.start == paris(2026, 8, 8, 10)
    assert troc.description_text == "Apportez vos boutures."
    assert (troc.location, troc.organizer, troc.image_url) == (Location(), None, None)
    assert troc.url == PAGE_URL  # no url of its own: the page that shows it


def test_a_script_escaped_as_html_is_read():
    body = (b'<script type="application/ld+json">{&quot;@type&quot;: &quot;Event&quot;, '
            b'&quot;name&quot;: &quot;Caf&eacute; &amp; jeux&quot;, '
            b'&quot;startDate&quot;: &quot;2026-10-09T20:00&quot;}</script>')
    result = parse_jsonld(body, page_url=PAGE_URL, default_tz=PARIS, now=NOW)
    assert [(e.title, e.start) for e in result.events] == [("Café & jeux", paris(2026, 10, 9, 20))]
    assert result.warnings == []


def test_a_page_in_iso_8859_1_reads_its_accents():
    [event] = parse_sample("latin1_page.html").events
    assert event.title == "Soirée jeux à la Maison des associations"
    assert (event.location.address, event.location.city) == ("5 rue de l'Église", "Chartres")


@pytest.mark.parametrize("name, code, count", [
    ("no_events_graph.html", "parse.no_jsonld_events", None),
    ("no_script.html", "parse.no_jsonld_events", None),
    ("listing_links.html", "parse.no_jsonld_events", None),
    ("all_unreadable.html", "parse.no_jsonld_events", 2),
])
def test_pages_without_usable_events_are_a_clear_error(name, code, count):
    with pytest.raises(ParseError) as caught:
        parse_sample(name)
    assert caught.value.code == code
    assert caught.value.data.get("count") == count


@pytest.mark.parametrize("body", [
    b"", b"\xff\xfe\x00garbage", b"<script type=application/ld+json>" + b"[" * 100_000,
    b'<script type="application/ld+json">{"@type": "Event", "name": "x", "startDate": 3}'
    b"</script>",
    b'<script type="application/ld+json">' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"</script>",
    b'<script type="application/ld+json">"just a string"</script>',
])
def test_broken_pages_never_crash(body):
    with pytest.raises(ParseError) as caught:
        parse_jsonld(body, page_url=PAGE_URL, default_tz=PARIS, now=NOW)
    assert caught.value.code == "parse.no_jsonld_events"


def test_links_to_event_pages_on_the_same_site_event_pages_first():
    body = (PAGES / "listing_links.html").read_bytes()
    links = links_to_event_pages(body, "https://recyclerie-exemple.fr/agenda/", cap=10)
    assert links == [
        "https://recyclerie-exemple.fr/agenda/repair-cafe-juin/",
        "https://recyclerie-exemple.fr/evenement/troc-graines/",
        "https://recyclerie-exemple.fr/agenda/atelier-velo",
        "https://recyclerie-exemple.fr/",
        "https://www.recyclerie-exemple.fr/qui-sommes-nous/",
        "https://recyclerie-exemple.fr/mentions-legales/",
    ]


@pytest.mark.parametrize("page_url, cap, expected", [
    ("https://recyclerie-exemple.fr/agenda/", 2, [
        "https://recyclerie-exemple.fr/agenda/repair-cafe-juin/",
        "https://recyclerie-exemple.fr/evenement/troc-graines/"]),
    ("https://recyclerie-exemple.fr/agenda/", 0, []),
    # Relative links follow the page's address; absolute ones to another site are left out
    ("https://autre-site.fr/agenda/", 5, [
        "https://autre-site.fr/agenda/repair-cafe-juin/", "https://autre-site.fr/agenda/atelier-velo",
        "https://autre-site.fr/", "https://autre-site.fr/mentions-legales/"]),
    ("not a url", 5, []),
])
def test_links_are_capped_and_stay_on_the_site(page_url, cap, expected):
    body = (PAGES / "listing_links.html").read_bytes()
    assert links_to_event_pages(body, page_url, cap) == expected


def sample_sentences() -> list[tuple[str, str, dict]]:
    """(English sentence, code, stored values) of every warning and error the samples give."""
    found = []
    for path in sorted(PAGES.glob("*.html")):
        try:
            result = parse_sample(path.name)
        except ParseError as error:
            found.append((error.message, error.code, json_params(error.data)))
            continue
        found += [(str(w), w.code, json_params(w.params)) for w in result.warnings]
    return found


def test_every_sentence_reads_the_same_when_built_again_and_is_said_in_french():
    app = Flask(__name__)
    init_babel(app, timezone="Europe/Paris")
    sentences = sample_sentences()
    assert {"jsonld.invalid_json", "jsonld.event_skipped", "jsonld.event_repaired",
            "jsonld.status", "parse.no_jsonld_events"} <= {code for _s, code, _p in sentences}
    for sentence, code, params in sentences:
        with app.test_request_context("/?lang=en"):
            assert say(code, params, None) == sentence
        with app.test_request_context("/?lang=fr"):
            french = say(code, params, None)
        assert french and french != sentence, sentence


def test_yoast_graph_pointers_to_place_address_organiser_and_image_are_followed():
    [event] = parse_sample("yoast_graph_references.html").events
    assert event.location == Location(name="Salle du Duc Jean", address="1 rue Jacques-Rimbault",
                                      postcode="18000", city="Bourges", department="18",
                                      lat=47.081, lon=2.3988)
    assert event.organizer == "Pôle ESS du Cher"
    assert event.image_url == "https://ess-cher.example/wp-content/uploads/assemblee.jpg"


def test_a_pointer_to_nothing_or_to_itself_does_not_loop():
    body = (b'<script type="application/ld+json">[{"@type": "Event", "@id": "#e", "name": "A",'
            b' "startDate": "2026-12-03", "location": {"@id": "#p"}, "organizer": {"@id": "#e"}},'
            b' {"@type": "Place", "@id": "#p", "address": {"@id": "#p"}}]</script>')
    [event] = parse_jsonld(body, page_url=PAGE_URL, default_tz=PARIS, now=NOW).events
    assert (event.title, event.location, event.organizer) == ("A", Location(), "A")
