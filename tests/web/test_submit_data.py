"""From the form's values to the proposal's data and back (pure): what the submitter typed is
what they find again when they edit it."""

from __future__ import annotations

from datetime import date, time

import pytest

from agenda.web.submit.proposal_data import (
    description_source,
    event_data,
    event_defaults,
    initiative_data,
    initiative_defaults,
)

EVENT_VALUES = {
    "title": "Repair café", "all_day": False, "start_date": date(2026, 12, 3),
    "start_time": time(18, 0), "end_date": None, "end_time": time(20, 30),
    "recurrence": "monthly", "until": date(2027, 6, 3), "location_name": "Ressourcerie",
    "address": "3 rue du Commerce", "postcode": "37000", "city": "Tours", "online_url": "",
    "description": "Un.\n\nDeux & trois <3", "themes": ["reemploi", "reemploi", "culture"],
    "actor_id": "", "new_actor_name": "  Répar'37   Tours ", "new_actor_kind": "association",
    "new_actor_website": "", "public_contact": "", "image_url": "",
    "url": "https://example.org", "campaign": "auto", "contact_email": "a@example.org",
    "homepage": "", "csrf_token": "t",
}


def test_event_values_become_the_proposal_data():
    data = event_data(EVENT_VALUES, campaign_id=7)
    assert data["start"] == "2026-12-03T18:00" and data["end"] == "2026-12-03T20:30"
    assert (data["recurrence"], data["until"]) == ("monthly", "2027-06-03")
    assert data["themes"] == ["reemploi", "culture"]
    assert data["new_actor"] == {"name": "Répar'37 Tours", "kind": "association", "website": ""}
    assert data["actor_id"] is None and data["campaign_id"] == 7
    assert data["description_html"] == "<p>Un.</p><p>Deux &amp; trois &lt;3</p>"
    assert "contact_email" not in data and "csrf_token" not in data and "homepage" not in data


def test_an_all_day_event_has_dates_only_and_no_until_without_repetition():
    values = {**EVENT_VALUES, "all_day": True, "end_date": date(2026, 12, 4),
              "recurrence": "", "until": date(2027, 1, 1)}
    data = event_data(values, campaign_id=None)
    assert (data["start"], data["end"], data["until"]) == ("2026-12-03", "2026-12-04", "")


def test_an_edited_event_comes_back_as_it_was_typed():
    data = event_data(EVENT_VALUES, campaign_id=7)
    defaults = event_defaults(data)
    assert defaults["start_date"] == date(2026, 12, 3) and defaults["start_time"] == time(18)
    assert defaults["end_date"] == date(2026, 12, 3) and defaults["end_time"] == time(20, 30)
    assert defaults["until"] == date(2027, 6, 3) and defaults["campaign"] == "7"
    assert defaults["description"] == "Un.\n\nDeux & trois <3"
    assert defaults["new_actor_name"] == "Répar'37 Tours" and defaults["actor_id"] == ""
    assert event_data({**EVENT_VALUES, **defaults}, campaign_id=7) == data


def test_an_initiative_round_trip():
    values = {"title": "Épicerie", "description": "Texte", "themes": ["alimentation"],
              "actor_id": "12", "new_actor_name": "", "new_actor_kind": "",
              "new_actor_website": "", "department": "", "territory": "Berry", "url": "",
              "status": "project"}
    data = initiative_data(values)
    assert data["actor_id"] == 12 and data["new_actor"] is None and data["department"] == ""
    assert initiative_data({**values, **initiative_defaults(data)}) == data


@pytest.mark.parametrize("html, typed", [
    ("", ""),
    ("<p>Un.</p><p>Deux<br>trois &amp; quatre</p>", "Un.\n\nDeux\ntrois & quatre"),
    ("<p>Un <strong>gras</strong></p>", "<p>Un <strong>gras</strong></p>"),
])
def test_a_description_is_shown_as_the_submitter_would_type_it(html, typed):
    assert description_source(html) == typed
