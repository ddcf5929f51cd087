"""The RSS/Atom collector, one sample file per behaviour in tests/data/feeds/."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.feed import parse_feed
from agenda.errors import ParseError
from agenda.records import Occurrence, ParseResult

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
PARIS = ZoneInfo("Europe/Paris")


def parse_sample(name: str, **kwargs) -> ParseResult:
    return parse_feed((FEEDS / name).read_bytes(), default_tz=PARIS, **kwargs)


def by_title(result: ParseResult) -> dict:
    return {event.title: event for event in result.events}


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_rss10_event_module():
    result = parse_sample("rss10_event_module.xml")
    assert result.format == "feed"
    assert (len(result.events), result.skipped, result.warnings) == (3, 0, [])
    events = by_title(result)

    repair = events["Repair Café de juin"]
    assert repair.source_uid == "https://ressourcerie-exemple.fr/agenda/repair-cafe-juin"
    assert (repair.start, repair.end, repair.all_day) == (paris(2026, 6, 13, 14),
                                                          paris(2026, 6, 13, 18), False)
    assert repair.occurrences == [Occurrence(repair.start, repair.end, False)]
    assert repair.location.name == "Ressourcerie La Charpente"
    assert repair.location.address == "12 rue des Carmes"
    assert (repair.location.postcode, repair.location.city) == ("45000", "Orléans")
    assert repair.location.department == "45"
    assert repair.organizer == "Ressourcerie La Charpente"
    assert repair.categories == ("Réparation", "Atelier")  # dc:subject then ev:type
    assert repair.url == "https://ressourcerie-exemple.fr/agenda/repair-cafe-juin"
    assert repair.status == "confirmed"

    fete = events["Fête des tiers-lieux"]  # ev:enddate 2026-06-21 is the last day
    assert (fete.start, fete.end, fete.all_day) == (date(2026, 6, 20), date(2026, 6, 22), True)
    assert fete.location.department == "41"

    amap = events["Assemblée générale de l'AMAP du Prado"]  # floating, no end
    assert amap.start == amap.end == paris(2026, 6, 18, 18, 30)
    assert amap.timezone == "Europe/Paris"
    assert amap.location.department == "18"


def test_rss20_event_module_namespace():
    result = parse_sample("rss20_event_module_namespace.xml")
    assert (len(result.events), result.skipped) == (4, 1)  # the blog post is skipped
    events = by_title(result)

    troc = events["Troc de plantes au jardin partagé"]
    assert troc.source_uid == "https://graines-exemple.fr/?p=1201"
    assert troc.url == "https://graines-exemple.fr/evenement/troc-de-plantes/"
    assert troc.start == datetime(2026, 9, 12, 10, tzinfo=timezone(timedelta(hours=2)))
    assert troc.end - troc.start == timedelta(hours=2, minutes=30)
    assert troc.categories == ("Jardinage", "Échange", "Troc")  # deduplicated, order kept
    assert troc.organizer == "Collectif Graines d'ici"  # the author's name, not the e-mail
    assert troc.image_url == "https://graines-exemple.fr/wp-content/uploads/troc.jpg"
    assert troc.location.department == "37"
    assert troc.online_url is None

    assert events["ANNULÉ : Atelier vélo participatif"].status == "cancelled"

    webinar = events["Webinaire : monter sa SCIC"]
    assert webinar.online_url == "https://meet.jit.si/scic-centre-val-de-loire"
    assert webinar.location.name is None  # "En ligne" is no place
    assert webinar.organizer == "URSCOP Centre-Val de Loire"
    assert webinar.image_url == "https://graines-exemple.fr/wp-content/uploads/scic.png"
    assert "<strong>SCIC</strong>" in webinar.description_html  # content:encoded wins

    forum = events["Forum de l'ESS du Loiret"]  # 00:00:00 -> 23:59:59, WordPress style
    assert (forum.start, forum.end, forum.all_day) == (date(2026, 11, 19), date(2026, 11, 21),
                                                       True)


def test_xcal_in_rss():
    result = parse_sample("xcal_in_rss.xml")
    assert (len(result.events), result.skipped) == (3, 1)
    events = by_title(result)

    soupe = events["Disco soupe au marché"]  # the xCal:... prefix is found whatever its case
    assert (soupe.start, soupe.end) == (paris(2026, 10, 17, 11), paris(2026, 10, 17, 15))
    assert soupe.location.city == "Châteauroux"
    assert soupe.location.department == "36"

    portes = events["Journées portes ouvertes"]  # xCal DTEND is exclusive, as in iCalendar
    assert (portes.start, portes.end, portes.all_day) == (date(2026, 9, 19), date(2026, 9, 21),
                                                          True)

    velos = events["Bourse aux vélos"]  # no <title>: xCal:summary
    assert velos.start == datetime(2026, 10, 3, 8, tzinfo=timezone.utc)

    # <xCal:dtstart value="DATE"> reaches us as {"value": "DATE"}: reported, not invented
    assert any("Collecte de jouets" in w and "xcal:dtstart" in w for w in result.warnings)


def test_atom_with_event_module():
    result = parse_sample("atom_with_event_module.xml")
    assert (len(result.events), result.skipped) == (1, 1)  # published/updated are no event dates
    event = result.events[0]
    assert event.title == "Café compost & jardinage"
    assert event.source_uid == "tag:maison-ess-exemple.fr,2026:agenda/cafe-compost"
    assert event.url == "https://maison-ess-exemple.fr/agenda/cafe-compost"
    assert event.start == datetime(2026, 10, 3, 10, tzinfo=timezone(timedelta(hours=2)))
    assert event.description_html == ("<p>Tout savoir sur le <b>compost collectif</b> "
                                      "de quartier.</p>")
    assert event.description_text == "Tout savoir sur le compost collectif de quartier."
    assert event.organizer == "Compost'Chartres"
    assert event.categories == ("Écologie", "Atelier")
    assert event.location.department == "28"


def test_rss_items_without_dates_skipped():
    result = parse_sample("rss_items_without_dates_skipped.xml")
    assert (result.events, result.skipped) == ([], 3)
    assert len(result.warnings) == 1 and result.warnings[0].startswith("3 item(s)")


def test_dates_with_cet_and_short_offsets():
    result = parse_sample("dates_with_cet_and_short_offsets.xml")
    assert (len(result.events), result.skipped) == (6, 0)
    november = [e for e in result.events if e.start.month == 11]
    assert len(november) == 5
    for event in november:  # CET, +01, +0100, Z and floating: the same instant
        assert event.start.astimezone(timezone.utc) == datetime(2026, 11, 14, 13,
                                                                 tzinfo=timezone.utc)
        assert event.end - event.start == timedelta(hours=3)
    cest = by_title(result)["Pique-nique zéro déchet (zone CEST)"]
    assert cest.start.astimezone(timezone.utc) == datetime(2026, 6, 13, 10, tzinfo=timezone.utc)


def test_item_with_script_in_description():
    event = parse_sample("item_with_script_in_description.xml").events[0]
    assert event.title == "Atelier couture & réemploi"  # title HTML reduced to text
    html = event.description_html
    for gone in ("<script", "alert", "<style", "display:none", "onclick", "onerror",
                 "javascript:", "<img"):
        assert gone not in html
    assert "<strong>nombreux</strong>" in html
    assert "<ul><li>machines fournies</li>" in html
    assert 'href="https://couture-exemple.fr/inscription"' in html
    assert "Résumé court" not in html  # content:encoded is preferred to the summary
    assert event.description_text.startswith("Venez nombreux avec vos chutes de tissu !\n")
    assert "piège" not in event.description_text


def test_georss_point_event():
    events = by_title(parse_sample("georss_point_event.xml"))
    braderie = events["Grande braderie de la ressourcerie"].location
    assert (braderie.lat, braderie.lon) == (47.4012, 0.6921)  # georss:point is "lat lon"
    assert (braderie.city, braderie.department) == ("Tours", "37")
    amboise = events["Atelier réparation de petit électroménager"].location
    assert (amboise.lat, amboise.lon) == (47.4125, 0.9821)  # W3C geo:lat / geo:long


def test_one_bad_date_item():
    result = parse_sample("one_bad_date_item.xml")
    assert sorted(by_title(result)) == ["Atelier cuisine anti-gaspi",
                                        "Nettoyage des berges du Cher"]
    assert result.skipped == 1
    assert any("Soirée jeux coopératifs" in w and "start date" in w for w in result.warnings)
    cuisine = by_title(result)["Atelier cuisine anti-gaspi"]  # its end is before its start
    assert cuisine.end == cuisine.start
    assert any("Atelier cuisine anti-gaspi" in w and "end is before" in w
               for w in result.warnings)


def test_html_page_served_as_feed():
    with pytest.raises(ParseError) as caught:
        parse_sample("html_page_served_as_feed.html")
    assert caught.value.code == "parse.html_page"
    assert caught.value.message == "The address returns a web page, not a feed."


@pytest.mark.parametrize(
    "body, content_type, message",
    [
        (b"", None, "This is not an RSS or Atom feed."),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "application/json",
         "This is not an RSS or Atom feed."),
        (b"\x00\x01\x02 junk \xff", None, "This is not an RSS or Atom feed."),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar",
         "This is not an RSS or Atom feed."),
        (b"<p>Bonjour</p>", "text/html; charset=utf-8",
         "The address returns a web page, not a feed."),
    ],
)
def test_documents_that_are_not_feeds(body, content_type, message):
    with pytest.raises(ParseError) as caught:
        parse_feed(body, default_tz=PARIS, content_type=content_type)
    code = "parse.html_page" if "web page" in message else "parse.not_feed"
    assert (caught.value.code, caught.value.message) == (code, message)


def test_a_feed_with_no_items_is_a_valid_empty_result():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Vide</title></channel></rss>'
    result = parse_feed(body, default_tz=PARIS)
    assert (result.events, result.skipped, result.warnings) == ([], 0, [])


def test_bozo_with_items_is_usable():
    body = (FEEDS / "rss10_event_module.xml").read_bytes()
    result = parse_feed(b"\n" + body, default_tz=PARIS)  # a newline before <?xml
    assert len(result.events) == 3
    assert "tolerant mode" in result.warnings[0]


def test_tribe_events_pubdate_is_the_event_start():
    result = parse_sample("tribe_events_pubdate.xml")
    assert (len(result.events), result.skipped) == (2, 1)  # the job offer is a blog post
    events = by_title(result)
    concert = events["Concert solidaire au Hangar"]
    assert concert.source_uid == "https://hangar-exemple.fr/?post_type=tribe_events&p=412"
    assert concert.start == concert.end == paris(2026, 10, 10, 20, 30)
    assert concert.organizer == "Le Hangar"
    portes = events["Journée portes ouvertes"]  # starts at midnight in Paris: all day
    assert (portes.start, portes.end, portes.all_day) == (date(2026, 10, 17), date(2026, 10, 18),
                                                          True)


def test_tribe_events_feed_recognised_by_its_address():
    assert parse_sample("tribe_events_feed_address.xml").events == []  # a guid proves nothing
    result = parse_sample("tribe_events_feed_address.xml",
                          url="https://escale-exemple.fr/?post_type=tribe_events&feed=rss2")
    assert [(e.title, e.start) for e in result.events] == [("Soirée contes",
                                                            paris(2026, 11, 6, 20))]


def test_headers_given_to_feedparser_resolve_relative_links():
    body = (b'<?xml version="1.0"?><rss version="2.0" '
            b'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>'
            b"<item><title>Atelier</title><link>/agenda/atelier</link>"
            b"<ev:startdate>2026-06-13</ev:startdate></item></channel></rss>")
    event = parse_feed(body, default_tz=PARIS, content_type="application/rss+xml",
                       url="https://asso-exemple.fr/feed/").events[0]
    assert event.url == "https://asso-exemple.fr/agenda/atelier"


def test_an_item_without_id_nor_link_gets_a_stable_uid():
    body = (b'<?xml version="1.0"?><rss version="2.0" '
            b'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>'
            b"<item><title>Atelier</title><ev:startdate>2026-06-13</ev:startdate></item>"
            b"<item><title>Atelier</title><ev:startdate>2026-06-20</ev:startdate></item>"
            b"</channel></rss>")
    first = parse_feed(body, default_tz=PARIS)
    second = parse_feed(body, default_tz=PARIS)
    uids = [e.source_uid for e in first.events]
    assert uids == [e.source_uid for e in second.events]
    assert len(set(uids)) == 2 and all(uid.startswith("feed-") for uid in uids)


def test_an_item_without_title_is_skipped():
    body = (b'<?xml version="1.0"?><rss version="2.0" '
            b'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>'
            b"<item><guid>x1</guid><ev:startdate>2026-06-13</ev:startdate></item>"
            b"</channel></rss>")
    result = parse_feed(body, default_tz=PARIS)
    assert (result.events, result.skipped) == ([], 1)
    assert "no title" in result.warnings[0]


@pytest.mark.parametrize(
    "title, status",
    [
        ("ANNULÉ : Repair café", "cancelled"),
        ("[Annulé] Troc de graines", "cancelled"),
        ("Annulée - Fête du quartier", "cancelled"),
        ("CANCELLED: Workshop", "cancelled"),
        ("annule", "cancelled"),
        ("Annulation des frais d'inscription", "confirmed"),
        ("Repair café (annulé si pluie)", "confirmed"),
        ("Annuler ses achats compulsifs : atelier", "confirmed"),
    ],
)
def test_cancelled_titles(title, status):
    body = ('<?xml version="1.0"?><rss version="2.0" '
            'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>'
            f"<item><title>{title}</title><guid>g</guid>"
            "<ev:startdate>2026-06-13</ev:startdate></item></channel></rss>").encode()
    assert parse_feed(body, default_tz=PARIS).events[0].status == status
