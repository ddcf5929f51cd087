"""What the proposal form tests share: a valid event and initiative as a browser posts them, a
way to post with the form's own CSRF token, and readers for the pages' errors and links."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Submission
from agenda.web import create_app
from agenda.web.shared import dates
from tests.web.pages import NOW

EVENT_FORM = {
    "title": "Repair café solidaire",
    "start_date": "2026-12-03", "start_time": "18:00", "end_date": "", "end_time": "20:00",
    "recurrence": "", "until": "",
    "location_name": "Ressourcerie du Cher", "address": "3 rue du Commerce",
    "postcode": "37000", "city": "Tours", "online_url": "",
    "description": "Apportez vos objets cassés.\n\nDes bénévoles vous aident.",
    "themes": ["reemploi", "transition-ecologique"],
    "actor_id": "", "new_actor_name": "Répar'37", "new_actor_kind": "association",
    "new_actor_website": "https://repar37.example.org",
    "public_contact": "06 12 34 56 78", "contact_email": "benevole@example.org",
    "image_url": "https://repar37.example.org/affiche.jpg",
    "url": "https://repar37.example.org/repair-cafe", "campaign": "auto", "homepage": "",
}
INITIATIVE_FORM = {
    "title": "Épicerie solidaire itinérante",
    "description": "Une épicerie qui passe dans les villages du Berry.",
    "themes": ["alimentation"], "status": "active", "url": "https://paniers.example.org",
    "department": "18", "territory": "Pays de Bourges",
    "actor_id": "", "new_actor_name": "Les Paniers du Berry", "new_actor_kind": "association",
    "new_actor_website": "", "contact_email": "paniers@example.org", "homepage": "",
}
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_ERROR = re.compile(r'<p class="field-error" id="([\w-]+)-erreur">(.*?)</p>', re.S)
_SECRET_LINK = re.compile(r'href="https?://[^/"]+(/submit/manage/[\w-]+)"')


def make_app(settings, monkeypatch, **overrides):
    """The web app with the tests' frozen clock (and some settings changed)."""
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(settings.with_overrides(**overrides) if overrides else settings)
    app.config["TESTING"] = True
    return app


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form at ``url``, as a browser gets it."""
    response = client.get(url)
    assert response.status_code == 200, url
    return _TOKEN.search(response.get_data(as_text=True)).group(1)


def post_form(client, path: str, values: dict, /, *, token_from: str | None = None,
              **changes):
    """Post ``values`` (with ``changes``) and the token of the form (at ``token_from``)."""
    data = {**values, **changes, "csrf_token": csrf_token(client, token_from or path)}
    return client.post(path, data=data)


def field_errors(html: str) -> dict[str, str]:
    """Field id -> the error shown next to it."""
    return {field: " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()).replace(
        "Error: ", "", 1) for field, text in _ERROR.findall(html)}


def secret_path(html: str) -> str:
    """The path of the secret link shown on the confirmation page."""
    return _SECRET_LINK.search(html).group(1)


def propose(client, values: dict = EVENT_FORM, path: str = "/submit", /, **changes) -> str:
    """Send a valid proposal; the path of its secret link."""
    response = post_form(client, path, values, **changes)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    assert response.headers["Location"].endswith("/submit/received")
    return secret_path(client.get("/submit/received").get_data(as_text=True))


def stored(factory) -> list[Submission]:
    with transaction(factory) as session:
        found = list(session.scalars(select(Submission).order_by(Submission.id)))
        session.expunge_all()
    return found
