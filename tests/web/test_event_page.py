"""An event's page: its details, where it comes from, its dates, its schema.org data; removed
events are gone (410), unknown ones are not found (404)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest

from tests.web.pages import (
    all_day,
    json_ld,
    read_page,
    store,
    timed,
)


def page_of(client, calendar, title: str) -> str:
    response = client.get(f"/evenements/{calendar.ids[title]}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_detail_of_an_event(client, calendar):
    html = page_of(client, calendar, "Repair café")
    text = unescape(html)
    assert "<h1>Repair café</h1>" in html
    assert "mercredi 25 novembre 2026, de 18:00 à 20:00" in text
    assert "Ressourcerie du Cher" in text and "3 rue du Commerce" in text
    assert "37000 Tours" in " ".join(text.split()) and "Indre-et-Loire (37)" in text
    assert "Association Répar'37" in text
    assert "<p>Apportez vos objets <strong>cassés</strong></p>" in html  # sanitised at collection
    assert "Réemploi et économie circulaire" in text and "Atelier" in text
    page = read_page(html)
    assert page.link_text("https://www.openstreetmap.org/?mlat=47.39412&mlon=0.68484") == [
        "Voir sur la carte (OpenStreetMap)"]
    assert page.hrefs("https://repair.example.org/cafe") == ["https://repair.example.org/cafe"]
    assert [a["src"] for a in page.all("img")] == ["https://repair.example.org/cafe.jpg"]
    assert page.link_text("/?theme=reemploi") == ["Réemploi et économie circulaire"]


def test_where_the_event_was_collected_from(client, calendar):
    page = read_page(page_of(client, calendar, "Repair café"))
    assert page.link_text("http://127.0.0.1/agenda.ics") == ["Tiers-lieu"]
    assert "La Fabrique commune" in unescape(page_of(client, calendar, "Repair café"))


def test_add_to_my_calendar(client, calendar):
    event_id = calendar.ids["Repair café"]
    page = read_page(page_of(client, calendar, "Repair café"))
    assert page.link_text(f"/events/{event_id}.ics") == ["Ajouter à mon agenda (.ics)"]


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
    assert data["url"] == "https://repair.example.org/cafe"
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


def test_cancelled_event(client, calendar):
    html = page_of(client, calendar, "Forum de l'emploi solidaire")
    text = unescape(html)
    assert "Cet évènement a été annulé par son organisateur." in text
    [h1] = [t for level, t in read_page(html).headings if level == 1]
    assert h1.startswith("Annulé")
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_all_day_event_over_several_days(client, calendar):
    html = page_of(client, calendar, "Festival des solidarités")
    assert "Du vendredi 27 novembre 2026 au dimanche 29 novembre 2026" in unescape(html)
    data = json_ld(html)
    assert (data["startDate"], data["endDate"]) == ("2026-11-27", "2026-11-29")


def test_all_day_event_of_one_day(client, factory):
    stored = store(factory, [all_day("j", "Journée portes ouvertes", date(2026, 12, 5),
                                     date(2026, 12, 6))])
    response = client.get(f"/evenements/{stored.ids['Journée portes ouvertes']}")
    assert "samedi 5 décembre 2026, toute la journée" in response.get_data(as_text=True)


def test_recurring_event_in_words_with_its_next_dates(client, calendar):
    html = page_of(client, calendar, "Permanence numérique")
    text = unescape(html)
    assert "Chaque semaine (lundi), 4 fois" in text
    assert "<h2 id=\"dates-titre\">Prochaines dates</h2>" in html
    for day in ("lundi 23 novembre 2026", "lundi 30 novembre 2026", "lundi 7 décembre 2026",
                "lundi 14 décembre 2026"):
        assert f"{day}, de 14:00 à 17:00" in text


def test_an_event_in_english(client, calendar):
    html = client.get(f"/evenements/{calendar.ids['Permanence numérique']}?lang=en").get_data(
        as_text=True)
    assert "Every week (Monday), 4 times" in html
    assert "Monday, November 23, 2026, 2:00\u202fPM – 5:00\u202fPM" in unescape(html)


def test_a_past_event_says_so(client, factory):
    stored = store(factory, [timed("old", "Assemblée générale", 2)])
    response = client.get(f"/evenements/{stored.ids['Assemblée générale']}")
    assert "Cet évènement est passé." in unescape(response.get_data(as_text=True))


def test_removed_events_are_gone(client, calendar):
    response = client.get(f"/evenements/{calendar.ids['Retiré par sa source']}")
    assert response.status_code == 410
    assert "Cet évènement n'est plus publié" in unescape(response.get_data(as_text=True))


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
