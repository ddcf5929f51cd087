"""The actors in public: the directory (filters, « à vérifier », paging, impossible values) and
an actor's page (who, numbers, where, events upcoming and past, initiatives, sources, links,
how to follow its events); hidden actors are 404 pages."""

from __future__ import annotations

import html
import re

import pytest

from agenda.db import transaction
from agenda.models import Actor, EventActor, InitiativeActor
from agenda.services.actors import link_actors, save_actor
from agenda.store.initiatives import put_initiative
from tests.services.proposals import add_staff
from tests.web.pages import NOW, json_ld, read_page, store, timed

REPAR = {"name": "Répar'37", "structure": "association", "kind": "repair café",
         "siren": "732829320", "siret": "73282932000074", "rna": "W372001234",
         "postcode": "37000", "city": "Tours", "themes": ["reemploi"],
         "approvals": ["ESUS"], "website": "https://repar37.example.org",
         "contact_email": "contact@repar37.example.org", "contact_phone": "02 47 00 00 00",
         "description": "<p>Un atelier <strong>ouvert</strong>.</p><script>alert(1)</script>"}


def _save(session, values, status="confirmed", **extra):
    actor, _ = save_actor(session, values, origin="staff", status=status, now=NOW, **extra)
    return actor


@pytest.fixture
def directory(factory):
    """Répar'37 (confirmed, in Tours), a network, an actor to check in Orléans, a proposed and
    a removed one; Répar'37 has an upcoming and a past event, an initiative and a partner."""
    stored = store(factory, [timed("repair", "Repair café de décembre", 5, month=12),
                             timed("old", "Repair café d'octobre", 10, month=10)])
    with transaction(factory) as session:
        staff = add_staff(session)
        repar = _save(session, REPAR)
        network = _save(session, {"name": "Cress Centre-Val de Loire", "structure": "other"})
        _save(session, {"name": "Coop d'Orléans", "structure": "cooperative",
                        "postcode": "45000", "city": "Orléans", "themes": ["alimentation"]},
              status="to_check")
        _save(session, {"name": "Proposée"}, status="proposed")
        removed = _save(session, {"name": "Disparue"})
        removed.removed_at = NOW
        for event_id in stored.ids.values():
            session.add(EventActor(event_id=event_id, actor_id=repar.id, how="staff"))
        initiative = put_initiative(session, None, {
            "title": "Ressourcerie mobile", "description_html": "", "description_text": "",
            "themes": [], "department": "37", "territory": None, "url": None,
            "status": "active", "actor_id": repar.id}, now=NOW)
        session.add(InitiativeActor(initiative_id=initiative.id, actor_id=repar.id))
        link_actors(session, repar.id, network.id, "member", by=staff, now=NOW)
        ids = {a.name: a.id for a in session.query(Actor)}
    return {"actors": ids, "events": stored.ids, "source": stored.source_id}


def names(client, query: str = "") -> list[str]:
    response = client.get(f"/actors/?lang=en{query}")
    assert response.status_code == 200, response.status_code
    links = read_page(response.get_data(as_text=True)).links
    return [text for href, text in links if re.fullmatch(r"/actors/\d+", href)]


def test_the_directory_lists_the_shown_actors_by_name(client, directory):
    assert names(client) == ["Coop d'Orléans", "Cress Centre-Val de Loire",
                             "La Fabrique commune", "Répar'37"]


def test_an_actor_to_check_carries_its_badge(client, directory):
    page = client.get("/actors/?lang=fr").get_data(as_text=True)
    card = page[page.index("Coop d&#39;Orléans"):page.index("Cress Centre")]
    assert "badge-to-check" in card
    assert "badge-to-check" not in page[page.index("Répar&#39;37"):]


@pytest.mark.parametrize("query, expected", [
    ("&theme=reemploi", ["Répar'37"]),
    ("&dept=45", ["Coop d'Orléans"]),
    ("&commune=37261", ["Répar'37"]),
    ("&structure=cooperative", ["Coop d'Orléans"]),
    ("&structure=association&dept=45", []),
])
def test_the_directory_filters(client, directory, query, expected):
    assert names(client, query) == expected


@pytest.mark.parametrize("query", ["theme=quidditch", "dept=75", "commune=99999",
                                   "structure=club", "page=0", "page=abc"])
def test_impossible_filter_values_are_a_400_page_with_a_sentence(client, directory, query):
    response = client.get(f"/actors/?lang=fr&{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Traceback" not in page


def test_an_unknown_structure_is_said_in_words(client, directory):
    page = client.get("/actors/?lang=en&structure=club").get_data(as_text=True)
    assert "Unknown kind of structure" in html.unescape(page) and "club" in page


def test_the_directory_is_paged(client, factory, monkeypatch):
    from agenda.web.actors import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    with transaction(factory) as session:
        for n in range(5):
            _save(session, {"name": f"Acteur {n}"})
    assert names(client) == ["Acteur 0", "Acteur 1"]
    assert names(client, "&page=3") == ["Acteur 4"]
    assert "/actors/?page=2" in client.get("/actors/").get_data(as_text=True)


def test_an_actors_page_says_who_it_is_and_where(client, directory):
    repar = directory["actors"]["Répar'37"]
    response = client.get(f"/actors/{repar}?lang=en")
    assert response.status_code == 200
    page = html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))
    for text in ("Répar'37", "Association", "repair café", "ESUS", "SIREN: 732829320",
                 "SIRET: 73282932000074",
                 "W372001234", "Reuse", "Tours", "Indre-et-Loire", "https://repar37.example.org",
                 "contact@repar37.example.org", "02 47 00 00 00"):
        assert text in page, text


def _actor_page(client, directory, name="Répar'37", lang="en"):
    response = client.get(f"/actors/{directory['actors'][name]}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_description_is_sanitised(client, directory):
    page = _actor_page(client, directory)
    assert "<strong>ouvert</strong>" in page and "alert(1)" not in page


def test_its_upcoming_and_past_events_link_to_their_pages(client, directory):
    page = _actor_page(client, directory)
    upcoming = page[page.index('id="a-venir-titre"'):page.index('id="passes-titre"')]
    past = page[page.index('id="passes-titre"'):]
    assert f'/evenements/{directory["events"]["Repair café de décembre"]}' in upcoming
    assert "Repair café d&#39;octobre" in past and "Repair café d&#39;octobre" not in upcoming


def test_its_initiatives_and_networks_are_linked(client, directory):
    page = read_page(_actor_page(client, directory))
    assert "Ressourcerie mobile" in page.link_text("/initiatives/")
    network = directory["actors"]["Cress Centre-Val de Loire"]
    assert page.link_text(f"/actors/{network}") == ["Cress Centre-Val de Loire"]
    members = read_page(_actor_page(client, directory, "Cress Centre-Val de Loire"))
    repar = directory["actors"]["Répar'37"]
    assert members.link_text(f"/actors/{repar}")


def test_its_sources_are_shown_with_their_health(client, directory):
    page = html.unescape(_actor_page(client, directory, "La Fabrique commune"))
    assert "Its sources" in page and "Tiers-lieu" in page
    assert "not collected yet" in page or "working" in page


def test_its_events_can_be_followed_as_a_calendar_a_feed_and_an_embedded_list(client,
                                                                            directory):
    actor_id = directory["actors"]["Répar'37"]
    page = html.unescape(_actor_page(client, directory))
    assert f"http://localhost/calendar.ics?actor={actor_id}" in page
    assert f"webcal://localhost/calendar.ics?actor={actor_id}" in page
    assert f"/feed.atom?actor={actor_id}" in page
    assert (f'<iframe src="http://localhost/widget/events?actor={actor_id}" '
            f'title="Répar\'37"') in page


def test_the_embed_snippet_cannot_be_broken_by_a_name(client, factory):
    with transaction(factory) as session:
        actor_id = _save(session, {"name": 'Le "Lab" <b>&</b>'}).id
    page = client.get(f"/actors/{actor_id}").get_data(as_text=True)
    snippet = html.unescape(page.split('id="actor-embed-code"', 1)[1].split("</textarea>")[0])
    assert 'title="Le &quot;Lab&quot; &lt;b&gt;&amp;&lt;/b&gt;"' in snippet
    assert "<b>" not in page.split('id="actor-embed-code"', 1)[1].split("</textarea>")[0]


def test_the_page_has_a_schema_org_organization(client, directory):
    data = json_ld(_actor_page(client, directory))
    assert data["@type"] == "Organization" and data["name"] == "Répar'37"
    assert data["address"]["postalCode"] == "37000"
    assert data["identifier"]["value"] == "73282932000074"


@pytest.mark.parametrize("name", ["Proposée", "Disparue"])
def test_a_proposed_or_removed_actor_has_no_page(client, directory, name):
    assert client.get(f"/actors/{directory['actors'][name]}").status_code == 404


@pytest.mark.parametrize("path", ["/actors/999999", "/actors/abc", "/actors/99999999999999999"])
def test_an_unknown_actor_is_a_404_page(client, directory, path):
    response = client.get(path)
    assert response.status_code == 404 and "<h1" in response.get_data(as_text=True)


def test_the_public_menu_leads_to_the_directory(client, directory):
    page = read_page(client.get("/?lang=en").get_data(as_text=True))
    assert "Actors" in page.link_text("/actors/")


def test_the_pages_are_in_french_too(client, directory):
    page = html.unescape(_actor_page(client, directory, lang="fr"))
    assert '<html lang="fr">' in page


def test_an_actors_own_words_are_not_said_twice(client, factory):
    """« Association · association » says nothing more: its own words only when they add."""
    with transaction(factory) as session:
        same = _save(session, {"name": "Vélo-école", "structure": "association",
                               "kind": "Association"})
        more = _save(session, {"name": "La Ruche", "structure": "association",
                               "kind": "tiers-lieu"})
        ids = (same.id, more.id)
    listing = html.unescape(re.sub(r"<[^>]+>", " ", client.get("/actors/?lang=fr")
                                   .get_data(as_text=True)))
    assert "tiers-lieu" in listing.split("La Ruche", 1)[1][:300]
    card = listing.split("Vélo-école", 1)[1][:300]
    assert card.lower().count("association") == 1, card
    page = client.get(f"/actors/{ids[0]}?lang=fr").get_data(as_text=True)
    assert "Association · " not in page
