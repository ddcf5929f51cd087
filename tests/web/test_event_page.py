"""An event's page: its details, where it comes from, its dates, its schema.org data; removed
events are gone (410), unknown ones are not found (404)."""

from __future__ import annotations

from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from agenda.db import transaction
from agenda.errors import ConfigError
from agenda.models import Submission
from agenda.services.publication import publish
from agenda.web import create_app
from tests.web.pages import (
    NOW,
    all_day,
    json_ld,
    read_page,
    store,
    timed,
)
from tests.web.staff import propose


def page_of(client, calendar, title: str) -> str:
    response = client.get(f"/evenements/{calendar.ids[title]}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_detail_of_an_event(client, calendar):
    html = page_of(client, calendar, "Repair café")
    text = unescape(html)
    assert "<h1><span>Repair café</span></h1>" in html
    assert "mercredi 25 novembre 2026" in text
    assert "Ressourcerie du Cher" in text and "3 rue du Commerce" in text
    assert "37000 Tours" in " ".join(text.split()) and "Indre-et-Loire (37)" in text
    assert "Association Répar'37" in text
    assert "<p>Apportez vos objets <strong>cassés</strong></p>" in html  # sanitised at collection
    assert "Réemploi et économie circulaire" in text and "Atelier" in text
    page = read_page(html)
    assert page.link_text("https://www.openstreetmap.org/?mlat=47.39412&mlon=0.68484") == [
        "Voir sur la carte (OpenStreetMap)"]
    assert page.hrefs("https://repair.example.org/cafe") == ["https://repair.example.org/cafe"]
    assert [a["src"] for a in page.all("img") if a.get("class") == "event-image"] == [
        "https://repair.example.org/cafe.jpg"]
    assert page.link_text("/?theme=reemploi") == ["Réemploi et économie circulaire"]


def test_where_the_event_was_collected_from(client, calendar):
    page = read_page(page_of(client, calendar, "Repair café"))
    assert page.link_text("http://127.0.0.1/agenda.ics") == ["Tiers-lieu"]
    assert "La Fabrique commune" in unescape(page_of(client, calendar, "Repair café"))


def test_add_to_my_calendar(client, calendar):
    event_id = calendar.ids["Repair café"]
    page = read_page(page_of(client, calendar, "Repair café"))
    assert page.link_text(f"/events/{event_id}.ics") == ["Apple, Thunderbird… (.ics)"]
    [google] = page.hrefs("https://calendar.google.com/calendar/render?")
    query = parse_qs(urlsplit(google).query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == ["Repair café"]
    assert query["dates"] == ["20261125T170000Z/20261125T190000Z"]  # 18:00-20:00 in Paris
    assert query["location"] == ["Ressourcerie du Cher, 3 rue du Commerce, 37000 Tours"]
    assert query["details"][0].endswith(f"http://localhost/evenements/{event_id}")
    [outlook] = page.hrefs("https://outlook.live.com/calendar/0/deeplink/compose?")
    query = parse_qs(urlsplit(outlook).query)
    assert query["path"] == ["/calendar/action/compose"] and query["rru"] == ["addevent"]
    assert query["subject"] == ["Repair café"]
    assert (query["startdt"], query["enddt"]) == (["2026-11-25T17:00:00Z"],
                                                  ["2026-11-25T19:00:00Z"])
    assert query["body"][0].startswith("Apportez vos objets cassés")


def test_add_an_all_day_date_to_my_calendar(client, calendar):
    page = read_page(page_of(client, calendar, "Festival des solidarités"))
    [google] = page.hrefs("https://calendar.google.com/")
    assert parse_qs(urlsplit(google).query)["dates"] == ["20261127/20261130"]  # end exclusive
    [outlook] = page.hrefs("https://outlook.live.com/")
    query = parse_qs(urlsplit(outlook).query)
    assert (query["startdt"], query["enddt"], query["allday"]) == (
        ["2026-11-27"], ["2026-11-30"], ["true"])


def test_a_past_event_offers_no_add_button(client, factory):
    stored = store(factory, [timed("old", "Assemblée générale", 2)])
    html = client.get(f"/evenements/{stored.ids['Assemblée générale']}").get_data(as_text=True)
    assert "calendar.google.com" not in html and "outlook.live.com" not in html


def test_schema_org_event(client, calendar):
    data = json_ld(page_of(client, calendar, "Repair café"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Repair café"
    assert data["startDate"] == "2026-11-25T18:00:00+01:00"
    assert data["endDate"] == "2026-11-25T20:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    [place] = data["location"]
    assert place["@type"] == "Place" and place["name"] == "Ressourcerie du Cher"
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "3 rue du Commerce",
                                "postalCode": "37000", "addressLocality": "Tours",
                                "addressCountry": "FR"}
    assert place["geo"]["latitude"] == pytest.approx(47.39412)
    assert data["organizer"] == {"@type": "Organization", "name": "Association Répar'37"}
    assert data["url"] == f"http://localhost/evenements/{calendar.ids['Repair café']}"
    assert data["sameAs"] == "https://repair.example.org/cafe"
    assert data["image"] == ["https://repair.example.org/cafe.jpg"]
    assert data["description"] == "Apportez vos objets cassés"


def test_online_event(client, calendar):
    html = page_of(client, calendar, "Webinaire ESS")
    assert read_page(html).link_text("https://visio.example.org/ess") == ["Participer en ligne"]
    data = json_ld(html)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == [{"@type": "VirtualLocation",
                                 "url": "https://visio.example.org/ess"}]
    assert data["url"].endswith(f"/evenements/{calendar.ids['Webinaire ESS']}")


def test_cancelled_event_says_so_at_the_top_and_offers_no_add_button(client, calendar):
    html = page_of(client, calendar, "Forum de l'emploi solidaire")
    main = html[html.index("<main"):]
    banner = main.index("Cet évènement a été annulé par son organisateur.")
    assert banner < main.index("<h1")
    [h1] = [t for level, t in read_page(html).headings if level == 1]
    assert h1.startswith("Annulé")
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"
    assert "calendar.google.com" not in html and "outlook.live.com" not in html
    assert ".ics" not in main[:main.index('id="source-titre"')]
    og_title = [a["content"] for a in read_page(html).all("meta") if a.get("property") == "og:title"]
    assert og_title == ["Annulé\u00a0: Forum de l'emploi solidaire"]


def test_all_day_event_over_several_days(client, calendar):
    html = page_of(client, calendar, "Festival des solidarités")
    text = " ".join(unescape(html).split())
    assert "27" in text and "dimanche 29 novembre 2026" in text
    data = json_ld(html)
    assert (data["startDate"], data["endDate"]) == ("2026-11-27", "2026-11-29")


def test_all_day_event_of_one_day(client, factory):
    stored = store(factory, [all_day("j", "Journée portes ouvertes", date(2026, 12, 5),
                                     date(2026, 12, 6))])
    response = client.get(f"/evenements/{stored.ids['Journée portes ouvertes']}")
    assert "samedi 5 décembre 2026, toute la journée" in response.get_data(as_text=True)


def test_recurring_event_in_words_with_its_dates(client, calendar):
    html = page_of(client, calendar, "Permanence numérique")
    text = unescape(html)
    assert "Chaque semaine (lundi), 4 dates" in text
    assert "<h2 id=\"dates-titre\">Les dates de la série</h2>" in html
    for day in ("2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"):
        assert f'/evenements/{calendar.ids["Permanence numérique"]}/{day}"' in html


def test_an_event_in_english(client, calendar):
    html = client.get(f"/evenements/{calendar.ids['Permanence numérique']}?lang=en").get_data(
        as_text=True)
    assert "Every week (Monday), 4 dates" in html
    assert "Monday, November 23, 2026" in unescape(html)
    assert '<h1><span lang="fr">Permanence numérique</span></h1>' in html


def test_a_past_event_says_so(client, factory):
    stored = store(factory, [timed("old", "Assemblée générale", 2)])
    response = client.get(f"/evenements/{stored.ids['Assemblée générale']}")
    assert "Cet évènement est passé." in unescape(response.get_data(as_text=True))


def test_removed_events_are_gone(client, calendar):
    response = client.get(f"/evenements/{calendar.ids['Retiré par sa source']}")
    assert response.status_code == 410
    assert "plus publié" in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("event_id", ["0123456789abcdef0123", "x" * 5000, "%00", "..%2F..",
                                      "ABCDEF"])
def test_unknown_events_are_not_found(client, calendar, event_id):
    assert client.get(f"/evenements/{event_id}").status_code == 404


def test_unsafe_links_from_a_source_are_left_out(client, factory):
    stored = store(factory, [timed("u", "Atelier", 25, url="javascript:alert(1)",
                                   image_url="data:image/png;base64,AAAA",
                                   online_url="vbscript:msgbox", )])
    html = client.get(f"/evenements/{stored.ids['Atelier']}").get_data(as_text=True)
    assert "javascript:" not in html and "data:image" not in html and "vbscript" not in html
    data = json_ld(html)
    assert "image" not in data and data["url"].startswith("http://localhost/evenements/")


def test_json_ld_cannot_close_its_script(client, factory):
    title = '</script><script>alert("x")</script>'
    stored = store(factory, [timed("s", title, 25, description_text="<!-- </SCRIPT> & >")])
    html = client.get(f"/evenements/{stored.ids[title]}").get_data(as_text=True)
    # the page's own script elements close once each; the title never closes one
    assert html.lower().count("</script>") == html.lower().count("<script")
    assert "<script>alert" not in html.lower()
    data = json_ld(html)
    assert data["name"] == title and data["description"] == "<!-- </SCRIPT> & >"


@pytest.mark.parametrize(("zone", "shown"), [
    ("Europe/Paris", False), (None, False), ("UTC", False), ("Etc/GMT-1", False),
    ("Europe/Brussels", False),  # another name, the same clock
    ("America/Montreal", True),
])
def test_the_time_zone_is_named_only_for_an_event_announced_in_another(client, factory, zone,
                                                                       shown):
    stored = store(factory, [timed("z", "Réunion", 25, timezone=zone)])
    text = unescape(client.get(f"/evenements/{stored.ids['Réunion']}").get_data(as_text=True))
    assert ("Les heures sont données dans le fuseau horaire Europe/Paris" in text) is shown
    if shown:
        assert f"dans le fuseau {zone}." in text


def test_link_previews_describe_the_event(client, calendar):
    event_id = calendar.ids["Repair café"]
    page = read_page(page_of(client, calendar, "Repair café"))
    meta = {a.get("property") or a.get("name"): a["content"] for a in page.all("meta")
            if "content" in a}
    url = f"http://localhost/evenements/{event_id}"
    assert meta["og:title"] == meta["twitter:title"] == "Repair café"
    assert meta["og:type"] == "event" and meta["og:url"] == url
    assert meta["og:image"] == meta["twitter:image"] == "https://repair.example.org/cafe.jpg"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:description"].startswith("mercredi 25 novembre 2026")
    assert meta["og:description"].endswith("Apportez vos objets cassés")
    assert meta["og:site_name"] == "Agenda commun" and meta["og:locale"] == "fr_FR"
    assert [a["href"] for a in page.all("link") if a.get("rel") == "canonical"] == [url]


def test_link_preview_tags_are_escaped(client, factory):
    title = '"><script>alert(1)</script>'
    stored = store(factory, [timed("x", title, 25, image_url="javascript:alert(2)")])
    html = client.get(f"/evenements/{stored.ids[title]}").get_data(as_text=True)
    assert '<meta property="og:title" content="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in html
    page = read_page(html)
    assert [a["content"] for a in page.all("meta") if a.get("property") == "og:title"] == [title]
    assert not [a for a in page.all("meta") if a.get("property") == "og:image"]
    assert "<script>alert" not in html


def test_other_pages_carry_a_default_link_preview(client, calendar):
    page = read_page(client.get("/sources").get_data(as_text=True))
    meta = {a.get("property") or a.get("name"): a["content"] for a in page.all("meta")
            if "content" in a}
    assert meta["og:type"] == "website" and meta["og:site_name"] == "Agenda commun"
    assert meta["og:url"] == "http://localhost/sources" and meta["twitter:card"] == "summary"
    assert meta["og:description"] == meta["description"] != ""


def test_favicon_and_logo(client, calendar):
    html = client.get("/").get_data(as_text=True)
    page = read_page(html)
    assert [a["href"] for a in page.all("link") if a.get("rel") == "icon"] == [
        "/static/favicon.svg", "/static/favicon-32.png"]
    [logo] = [a for a in page.all("img") if a.get("class") == "site-logo"]
    assert logo["alt"] == ""  # the link's text, "Agenda commun", names it
    assert [text for href, text in page.links if href == "/"][0] == "Agenda commun"
    for path, mimetype in [("/static/favicon.svg", "image/svg+xml"),
                           ("/static/logo.svg", "image/svg+xml"),
                           ("/static/favicon-32.png", "image/png"),
                           ("/static/apple-touch-icon.png", "image/png")]:
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == mimetype
        assert f"\"{path}\"" in html


def test_the_public_contact_of_a_proposal_is_shown_with_its_organiser(client, factory, settings):
    submission = propose(factory, settings, public_contact="06 12 34 56 78")
    with transaction(factory) as session:
        [event_id] = publish(session, session.get(Submission, submission.id), now=NOW,
                             settings=settings)
    html = client.get(f"/evenements/{event_id}").get_data(as_text=True)
    page = read_page(html)
    assert page.link_text("tel:0612345678") == ["06 12 34 56 78"]
    assert [text for href, text in page.links if href == "https://velo.example.org"] == [
        "Vélo Solidaire Orléans"]
    assert "benevole.prive@example.org" not in html  # the private address stays private


@pytest.mark.parametrize(("organizer", "contact_href"), [
    ("contact@repair.example.org", "mailto:contact@repair.example.org"),
    ("Association Répar'37", None),
])
def test_a_collected_organiser_address_is_its_contact(client, factory, organizer, contact_href):
    stored = store(factory, [timed("c", "Atelier", 25, organizer=organizer)])
    page = read_page(client.get(f"/evenements/{stored.ids['Atelier']}").get_data(as_text=True))
    assert page.hrefs("mailto:") == ([contact_href] if contact_href else [])


def test_the_organiser_links_to_the_listing_of_its_source_without_a_website(client, calendar):
    page = read_page(page_of(client, calendar, "Conférence finance solidaire"))
    assert page.link_text(f"/?source={calendar.source_id}") == ["La Fabrique commune"]


def test_a_map_is_offered_when_the_place_has_coordinates(client, calendar):
    html = page_of(client, calendar, "Repair café")
    [box] = [a for a in read_page(html).all("div") if a.get("id") == "carte"]
    assert (box["data-lat"], box["data-lon"]) == ("47.39412", "0.68484")
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/map.js" in html
    other = page_of(client, calendar, "Conférence finance solidaire")
    assert 'id="carte"' not in other and "leaflet" not in other


def test_without_a_tile_server_there_is_no_map_only_the_link(settings, engine,
                                                               calendar):
    """map_tiles_url = "" (an instance that does not want its visitors to load OpenStreetMap's
    tiles): no map, no Leaflet, and the OpenStreetMap link stays."""
    app = create_app(settings.with_overrides(map_tiles_url=""))
    html = app.test_client().get(f"/evenements/{calendar.ids['Repair café']}").get_data(
        as_text=True)
    assert 'id="carte"' not in html and "leaflet" not in html
    assert "https://www.openstreetmap.org/?mlat=47.39412&amp;mlon=0.68484" in html


def test_the_map_loads_its_tiles_from_the_configured_server(settings, engine, calendar):
    tiles = "https://tuiles.example.org/{z}/{x}/{y}.png"
    app = create_app(settings.with_overrides(map_tiles_url=tiles))
    html = app.test_client().get(f"/evenements/{calendar.ids['Repair café']}").get_data(
        as_text=True)
    assert f'data-tiles="{tiles}"' in html


@pytest.mark.parametrize("tiles", ["http://tile.example.org/{z}/{x}/{y}.png",
                                   "https://tile.example.org/tiles.png", "javascript:alert(1)"])
def test_a_tile_server_must_be_https_with_its_placeholders(settings, tiles):
    with pytest.raises(ConfigError):
        settings.with_overrides(map_tiles_url=tiles)


def test_the_page_address_can_be_copied_and_shared(client, calendar):
    event_id = calendar.ids["Repair café"]
    page = read_page(page_of(client, calendar, "Repair café"))
    [field] = [a for a in page.all("input") if a.get("id") == "adresse-page"]
    assert field["value"] == f"http://localhost/evenements/{event_id}" and "readonly" in field
    assert [a["data-copy"] for a in page.all("button") if "data-copy" in a] == ["adresse-page"]
