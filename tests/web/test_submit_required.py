"""Forms that forgive: every field the server requires is marked as required on the page (and
no other), a web address typed without https:// gets it, the description help is in plain
words, and after a failed send the title starts with “Erreur” and the error summary, which links
to each field, takes the focus."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.web.pages import read_page
from tests.web.submitting import EVENT_FORM, INITIATIVE_FORM, field_errors, post_form, stored

EVENT_REQUIRED = ("title", "start_date", "start_time", "end_time", "new_actor_kind",
                  "contact_email")
EVENT_OPTIONAL = ("description", "themes", "end_date", "recurrence", "until", "location_name",
                  "address", "postcode", "city", "online_url", "public_contact", "url",
                  "image_url", "new_actor_website", "campaign")
INITIATIVE_REQUIRED = ("title", "description", "new_actor_kind", "contact_email")
INITIATIVE_OPTIONAL = ("themes", "url", "department", "territory", "new_actor_website")
# Groups: one of their fields is required (the legend says so); emptied, the error goes to one.
GROUPS = {
    "event place": ("/submit", EVENT_FORM, "Where",
                    ("location_name", "address", "postcode", "city", "online_url"), "city"),
    "event organiser": ("/submit", EVENT_FORM, "Organiser",
                        ("actor_id", "new_actor_name", "new_actor_kind"), "actor_id"),
    "initiative organiser": ("/submit/initiative", INITIATIVE_FORM, "Organiser",
                             ("actor_id", "new_actor_name", "new_actor_kind"), "actor_id"),
}


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def marked(html: str, name: str) -> bool:
    """The field's label says it is required, and so does the field for assistive tools."""
    label = re.search(rf'<label for="{name}">(.*?)</label>', html, re.S)
    field = [a for a in read_page(html).all("input") + read_page(html).all("select")
             + read_page(html).all("textarea") if a.get("id") == name]
    says = bool(label) and '<span class="required">' in label.group(1)
    flagged = bool(field) and field[0].get("aria-required") == "true"
    assert says == flagged, name  # both or neither
    return says


def empty(values: dict, *names: str) -> dict:
    return {name: [] if name == "themes" else "" for name in names}


CASES = [("/submit", EVENT_FORM, name, name in EVENT_REQUIRED)
         for name in EVENT_REQUIRED + EVENT_OPTIONAL] + [
        ("/submit/initiative", INITIATIVE_FORM, name, name in INITIATIVE_REQUIRED)
        for name in INITIATIVE_REQUIRED + INITIATIVE_OPTIONAL]


@pytest.mark.parametrize("path, form, name, required", CASES,
                         ids=[f"{p.rsplit('/', 1)[1]}-{n}" for p, _f, n, _r in CASES])
def test_a_field_is_marked_required_exactly_when_the_server_refuses_it_empty(
        english, factory, path, form, name, required):
    assert marked(english.get(path).get_data(as_text=True), name) is required
    response = post_form(english, path, form, **empty(form, name))
    if required:
        assert response.status_code == 422
        assert name in field_errors(response.get_data(as_text=True))
    else:
        assert response.status_code == 302, field_errors(response.get_data(as_text=True))
        assert len(stored(factory)) == 1


@pytest.mark.parametrize("path, form, legend, names, error_at", GROUPS.values(),
                         ids=GROUPS.keys())
def test_a_group_is_marked_required_and_refused_when_all_empty(english, factory, path, form,
                                                               legend, names, error_at):
    html = english.get(path).get_data(as_text=True)
    assert f'<legend>{legend} <span class="required">(required)</span></legend>' in html
    response = post_form(english, path, form, **empty(form, *names))
    assert response.status_code == 422
    assert error_at in field_errors(response.get_data(as_text=True))


def test_the_french_form_says_obligatoire(client):
    html = client.get("/submit").get_data(as_text=True)
    assert '<span class="required">(obligatoire)</span>' in html
    assert "(obligatoire, sauf journée entière)" in html


BARE = {
    "url": ("url", "bricoleurs-tourangeaux.fr/repair", "https://bricoleurs-tourangeaux.fr/repair"),
    "www": ("url", "www.ess-centre.fr", "https://www.ess-centre.fr"),
    "online": ("online_url", "visio.example.org/salle?id=4", "https://visio.example.org/salle?id=4"),
    "image": ("image_url", "repar37.example.org/affiche.jpg",
              "https://repar37.example.org/affiche.jpg"),
    "website": ("new_actor_website", "répar37.fr", "https://répar37.fr"),
    "kept": ("url", "http://repar37.example.org/", "http://repar37.example.org/"),
}


@pytest.mark.parametrize("name, typed, expected", BARE.values(), ids=BARE.keys())
def test_a_web_address_without_scheme_gets_https(english, factory, name, typed, expected):
    refused = post_form(english, "/submit", EVENT_FORM, title="", **{name: typed})
    assert f'name="{name}" type="url" value="{expected}"' in unescape(
        refused.get_data(as_text=True))  # shown back that way
    assert post_form(english, "/submit", EVENT_FORM, **{name: typed}).status_code == 302
    data = stored(factory)[0].data
    stored_value = data["new_actor"]["website"] if name == "new_actor_website" else data[name]
    assert stored_value == expected


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "mailto:a@example.org",
                                   "bricoleurs tourangeaux", "repair"])
def test_what_is_no_web_address_is_still_refused(english, typed):
    response = post_form(english, "/submit", EVENT_FORM, url=typed)
    assert "Give a full web address" in field_errors(response.get_data(as_text=True))["url"]


def test_the_description_help_is_in_plain_words(english):
    for path in ("/submit", "/submit/initiative"):
        html = english.get(path).get_data(as_text=True)
        assert "leave a blank line between paragraphs" in html
        assert "&lt;p&gt;" not in html and "&lt;strong&gt;" not in html


@pytest.mark.parametrize("path, form, title", [
    ("/submit", EVENT_FORM, "Proposer un évènement"),
    ("/submit/initiative", INITIATIVE_FORM, "Proposer une initiative")])
def test_after_a_failed_send_the_title_says_erreur_and_the_summary_takes_the_focus(
        client, path, form, title):
    assert f"<title>{title} · Agenda commun</title>" in client.get(path).get_data(as_text=True)
    html = post_form(client, path, form, title="", contact_email="x").get_data(as_text=True)
    assert f"<title>Erreur\u00a0: {title} · Agenda commun</title>" in html
    assert f"<h1>{title}</h1>" in html
    [summary] = [a for a in read_page(html).all("div") if a.get("id") == "erreurs"]
    assert "autofocus" in summary and summary["tabindex"] == "-1"
    assert summary["role"] == "alert"
    targets = re.findall(r'<li><a href="#([\w-]+)">', html)
    assert set(targets) == {"title", "contact_email"}
    ids = {a.get("id") for a in read_page(html).all("input")}
    assert set(targets) <= ids


def test_an_expired_form_also_says_erreur(client):
    client.get("/submit")
    html = client.post("/submit", data={**EVENT_FORM, "csrf_token": "stale"}).get_data(
        as_text=True)
    assert "<title>Erreur\u00a0: Proposer un évènement · Agenda commun</title>" in html
