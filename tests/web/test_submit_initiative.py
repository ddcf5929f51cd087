"""Proposing an initiative through /submit/initiative: stored pending with its territory and
status, refused with messages next to the fields, editable through its secret link."""

from __future__ import annotations

from html import unescape

import pytest

from tests.web.pages import read_page
from tests.web.submitting import INITIATIVE_FORM, field_errors, post_form, propose, stored


def test_a_valid_initiative_is_stored_pending(client, factory):
    link = propose(client, INITIATIVE_FORM, "/submit/initiative")
    [submission] = stored(factory)
    assert (submission.kind, submission.status) == ("initiative", "pending")
    assert submission.data == {
        "title": "Épicerie solidaire itinérante",
        "description_html": "<p>Une épicerie qui passe dans les villages du Berry.</p>",
        "actor_id": None,
        "new_actor": {"name": "Les Paniers du Berry", "kind": "association", "website": ""},
        "themes": ["alimentation"], "department": "18", "territory": "Pays de Bourges",
        "url": "https://paniers.example.org", "status": "active",
    }
    manage = unescape(client.get(link + "?lang=en").get_data(as_text=True))
    assert "Cher (18)" in manage and "Pays de Bourges" in manage and "Active" in manage


def test_the_whole_region_is_an_empty_department(client, factory):
    propose(client, INITIATIVE_FORM, "/submit/initiative", department="", status="project")
    data = stored(factory)[0].data
    assert (data["department"], data["status"]) == ("", "project")


BAD_INITIATIVES = {
    "missing title": ({"title": ""}, "title", "Give a title."),
    "missing description": ({"description": " "}, "description", "Give a description."),
    "unknown department": ({"department": "75"}, "department", "Not a valid choice"),
    "unknown status": ({"status": "dormant"}, "status", "Not a valid choice"),
    "bad link": ({"url": "www example org"}, "url", "Give a full web address"),
    "territory too long": ({"territory": "t" * 201}, "territory", "At most 200 characters"),
    "missing e-mail": ({"contact_email": ""}, "contact_email", "Give your e-mail address"),
}


@pytest.mark.parametrize("changes, field, message", BAD_INITIATIVES.values(),
                         ids=BAD_INITIATIVES.keys())
def test_bad_initiatives_are_refused_next_to_the_field(client, factory, changes, field,
                                                       message):
    response = post_form(client, "/submit/initiative?lang=en", INITIATIVE_FORM, **changes)
    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True)).get(field, "")
    assert 'value="Pays de Bourges"' in response.get_data(as_text=True) or field == "territory"
    assert stored(factory) == []


def test_an_initiative_is_edited_with_its_own_form(client, factory):
    link = propose(client, INITIATIVE_FORM, "/submit/initiative")
    form = read_page(client.get(link + "/edit").get_data(as_text=True))
    assert "department" in {a.get("name") for a in form.all("select")}
    assert "start_date" not in {a.get("name") for a in form.all("input")}
    response = post_form(client, link + "/edit", {**INITIATIVE_FORM, "contact_email": ""},
                         status="ended")
    assert response.status_code == 302
    [submission] = stored(factory)
    assert submission.data["status"] == "ended" and submission.status == "pending"


def test_the_initiative_form_in_english(client):
    page = read_page(client.get("/submit/initiative?lang=en").get_data(as_text=True))
    assert page.lang == "en" and page.text_headings[0] == "Propose an initiative"
    assert {"title", "department", "territory", "status", "url", "contact_email"} <= {
        a.get("name") for a in page.all("input") + page.all("select")}
