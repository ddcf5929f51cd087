"""Proposal data and a staff account for the service and page tests."""

from __future__ import annotations

from agenda.models import User


def event_data(**overrides) -> dict:
    """A valid event proposal on 2026-11-26 in Orléans (after the tests' frozen 'now')."""
    data = {
        "title": "Atelier réparation de vélos",
        "all_day": False,
        "start": "2026-11-26T18:00",
        "end": "2026-11-26T20:30",
        "recurrence": "",
        "until": "",
        "location_name": "Tiers-lieu La Fabrique",
        "address": "3 rue des Carmes",
        "postcode": "45000",
        "city": "Orléans",
        "online_url": "",
        "description_html": "<p>Venez réparer votre vélo avec les bénévoles.</p>",
        "themes": ["mobilite"],
        "actor_id": None,
        "new_actor": {"name": "Vélo Solidaire Orléans", "kind": "association",
                      "website": "https://velo.example.org"},
        "public_contact": "contact@velo.example.org",
        "image_url": "",
        "url": "https://velo.example.org/atelier",
        "campaign_id": None,
    }
    data.update(overrides)
    return data


def initiative_data(**overrides) -> dict:
    data = {
        "title": "Épicerie solidaire itinérante",
        "description_html": "<p>Une épicerie qui passe dans les villages.</p>",
        "actor_id": None,
        "new_actor": {"name": "Les Paniers du Berry", "kind": "association", "website": ""},
        "themes": ["alimentation"],
        "department": "18",
        "territory": "Pays de Bourges",
        "url": "https://paniers.example.org",
        "status": "active",
    }
    data.update(overrides)
    return data


def add_staff(session, email: str = "moderatrice@cress.example", role: str = "staff") -> User:
    user = User(email=email, password_hash="not-used-here", role=role)
    session.add(user)
    session.flush()
    return user
