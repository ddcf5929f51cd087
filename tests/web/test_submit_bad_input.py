"""Bad input on the proposal forms: missing or malformed fields, impossible dates, huge
descriptions, script tags, wrong CSRF tokens, a filled honeypot, floods and huge bodies.  Each
gets a clear message next to the field (or a clear status), never a 500, and nothing published.
"""

from __future__ import annotations

import logging
from html import unescape

import pytest

from agenda.db import transaction
from agenda.models import Actor
from tests.web.pages import read_page
from tests.web.submitting import (
    EVENT_FORM,
    field_errors,
    make_app,
    post_form,
    propose,
    stored,
)

BAD_EVENTS = {
    "missing title": ({"title": "  "}, "title", "Give a title."),
    "title too long": ({"title": "x" * 201}, "title", "At most 200 characters (this has 201)."),
    "control character": ({"title": "Repair\x00café"}, "title", "invisible control characters"),
    "missing start date": ({"start_date": ""}, "start_date", "Give the start date."),
    "malformed date": ({"start_date": "2026-13-45"}, "start_date", "Not a valid date value."),
    "malformed time": ({"start_time": "25:99"}, "start_time", "Not a valid time value."),
    "missing start time": ({"start_time": ""}, "start_time", "Give the start time"),
    "missing end time": ({"end_time": ""}, "end_time", "Give the end time"),
    "end before start": ({"end_time": "17:00"}, "end_time", "The end is before the start."),
    "end day before start": ({"end_date": "2026-12-02"}, "end_date",
                             "The end is before the start."),
    "far in the past": ({"start_date": "2026-11-19", "end_date": "2026-11-19"}, "start_date",
                        "This date is past"),
    "far in the future": ({"start_date": "2029-01-10"}, "start_date",
                          "more than two years away"),
    "year 9999": ({"start_date": "9999-12-31", "all_day": "y"}, "start_date",
                  "more than two years away"),
    "too long an event": ({"end_date": "2027-02-15"}, "end_date", "at most 60 days"),
    "repeat without end": ({"recurrence": "weekly"}, "until",
                           "Give the date of the last repetition."),
    "repeat ends before": ({"recurrence": "weekly", "until": "2026-12-01"}, "until",
                           "before the first date"),
    "repeat over a year": ({"recurrence": "monthly", "until": "2028-01-01"}, "until",
                           "at most a year"),
    "unknown repetition": ({"recurrence": "daily"}, "recurrence", "Not a valid choice"),
    "short postcode": ({"postcode": "3700"}, "postcode", "five digits"),
    "postcode elsewhere": ({"postcode": "75001"}, "postcode", "is not in Centre-Val de Loire"),
    "no place": ({"location_name": "", "address": "", "postcode": "", "city": ""}, "city",
                 "Give the place"),
    "javascript link": ({"online_url": "javascript:alert(1)"}, "online_url",
                        "Give a full web address"),
    "link without host": ({"url": "https://"}, "url", "Give a full web address"),
    "ftp image": ({"image_url": "ftp://example.org/a.jpg"}, "image_url",
                  "Give a full web address"),
    "link too long": ({"url": "https://example.org/" + "a" * 2000}, "url", "At most 2000"),
    "bad e-mail": ({"contact_email": "not-an-address"}, "contact_email",
                   "Give a valid e-mail address"),
    "e-mail with a newline": ({"contact_email": "a@example.org\r\nBcc: x@example.org"},
                              "contact_email", "control characters"),
    "missing e-mail": ({"contact_email": ""}, "contact_email", "Give your e-mail address"),
    "no organiser": ({"new_actor_name": "", "new_actor_kind": ""}, "actor_id",
                     "Choose your organisation"),
    "organiser without kind": ({"new_actor_kind": ""}, "new_actor_kind",
                               "Choose the kind of structure."),
    "unknown kind": ({"new_actor_kind": "cartel"}, "new_actor_kind", "Not a valid choice"),
    "unknown actor": ({"actor_id": "999999", "new_actor_name": ""}, "actor_id",
                      "Not a valid choice"),
    "unknown theme": ({"themes": ["reemploi", "nope"]}, "themes", "not a valid choice"),
    "unknown campaign": ({"campaign": "424242"}, "campaign", "Not a valid choice"),
    "megabyte description": ({"description": "a" * 1_048_576}, "description",
                             "At most 20000 characters (this has 1048576)."),
}


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.mark.parametrize("changes, field, message", BAD_EVENTS.values(), ids=BAD_EVENTS.keys())
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(
        english, factory, changes, field, message):
    response = post_form(english, "/submit", EVENT_FORM, **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = field_errors(html)
    assert message in errors.get(field, ""), errors
    assert f'href="#{field}"' in html  # the summary at the top leads to it
    assert stored(factory) == []


def test_every_input_is_kept_when_the_form_is_refused(english):
    html = unescape(post_form(english, "/submit", EVENT_FORM, title="").get_data(as_text=True))
    page = read_page(html)
    values = {a["name"]: a.get("value") for a in page.all("input") if a.get("type") != "checkbox"}
    for name in ("start_date", "start_time", "end_time", "location_name", "address", "postcode",
                 "city", "new_actor_name", "new_actor_website", "public_contact",
                 "contact_email", "image_url", "url"):
        assert values[name] == EVENT_FORM[name], name
    checked = {a["value"] for a in page.all("input") if a.get("name") == "themes"
               and "checked" in a}
    assert checked == set(EVENT_FORM["themes"])
    assert '<option selected value="association">' in html
    assert "Apportez vos objets cassés.\n\nDes bénévoles vous aident.</textarea>" in html


def test_an_invalid_field_is_marked_for_assistive_technologies(english):
    html = post_form(english, "/submit", EVENT_FORM, postcode="3700").get_data(as_text=True)
    [postcode] = [a for a in read_page(html).all("input") if a.get("name") == "postcode"]
    assert postcode["aria-invalid"] == "true"
    assert "postcode-erreur" in postcode["aria-describedby"]


def test_script_tags_never_reach_a_page_unescaped(english, factory):
    script = "<script>alert('x')</script>"
    refused = post_form(english, "/submit", EVENT_FORM, title=script, city=script, postcode="",
                        start_date="")
    assert script not in refused.get_data(as_text=True)
    link = propose(english, title=f"Repair {script}", location_name=script,
                   description=f"<p>Bienvenue</p>{script}<img src=x onerror=alert(1)>",
                   public_contact=script)
    [submission] = stored(factory)
    assert "<script" not in submission.data["description_html"]
    assert "onerror" not in submission.data["description_html"]
    manage = english.get(link).get_data(as_text=True)
    assert "<script>" not in manage and "onerror" not in manage
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in manage
    edit = english.get(link + "/edit").get_data(as_text=True)
    assert "<script>" not in edit and "onerror" not in edit


def test_a_plain_text_description_with_a_script_is_shown_as_text(english, factory):
    propose(english, description="Attention : <script>alert(1)</script>")
    html = stored(factory)[0].data["description_html"]
    assert "<script" not in html
    assert html == "<p>Attention : &lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize("token", ["", "forged-token"], ids=["missing", "wrong"])
def test_a_wrong_csrf_token_is_a_clear_400_with_the_input_kept(english, factory, token):
    english.get("/submit")
    data = {**EVENT_FORM, "csrf_token": token} if token else dict(EVENT_FORM)
    response = english.post("/submit", data=data)
    assert response.status_code == 400
    html = unescape(response.get_data(as_text=True))
    assert "This form has expired or was not sent from this site" in html
    assert 'value="Repair café solidaire"' in html
    assert 'name="csrf_token" type="hidden" value="' in html  # a fresh token to send it again
    assert stored(factory) == []


def test_a_wrong_csrf_token_on_the_manage_actions_changes_nothing(english, factory):
    link = propose(english)
    cancel = english.post(link + "/cancel", data={"confirm": "y", "csrf_token": "forged"})
    assert cancel.status_code == 400
    assert "nothing was changed" in cancel.get_data(as_text=True)
    edit = english.post(link + "/edit", data={**EVENT_FORM, "title": "Changed",
                                              "csrf_token": "forged"})
    assert edit.status_code == 400
    assert 'value="Changed"' in edit.get_data(as_text=True)
    [submission] = stored(factory)
    assert submission.status == "pending" and submission.data["title"] == EVENT_FORM["title"]


def test_a_filled_honeypot_gets_thanks_but_nothing_is_stored(english, factory, caplog):
    caplog.set_level(logging.WARNING)
    response = post_form(english, "/submit", EVENT_FORM, homepage="https://spam.example")
    assert response.status_code == 302
    thanks = english.get("/submit/received").get_data(as_text=True)
    assert "Your proposal has been received." in thanks
    assert "/submit/manage/" not in thanks
    assert stored(factory) == []
    assert "hidden field was filled in" in caplog.text


def test_the_honeypot_is_hidden_from_people(english):
    page = read_page(english.get("/submit").get_data(as_text=True))
    [trap] = [a for a in page.all("input") if a.get("name") == "homepage"]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert any(a.get("class") == "hp-field" and a.get("aria-hidden") == "true"
               for a in page.all("div"))


def test_a_trusted_actor_chosen_with_bad_input_publishes_nothing(english, factory):
    with transaction(factory) as session:
        actor = Actor(name="La Fabrique commune", trusted=True)
        session.add(actor)
        session.flush()
        actor_id = str(actor.id)
    response = post_form(english, "/submit", EVENT_FORM, actor_id=actor_id,
                         start_date="2020-01-01")
    assert response.status_code == 422
    assert "Repair café" not in english.get("/").get_data(as_text=True)


def test_an_organiser_both_chosen_and_described_is_refused(english, factory):
    with transaction(factory) as session:
        session.add(Actor(name="La Fabrique commune"))
    actor_id = [c for c in read_page(english.get("/submit").get_data(as_text=True)).all("option")
                if c.get("value", "").isdigit()][0]["value"]
    response = post_form(english, "/submit", EVENT_FORM, actor_id=actor_id)
    assert response.status_code == 422
    assert "You chose an organisation in the list" in field_errors(
        response.get_data(as_text=True))["new_actor_name"]


def test_a_flood_of_posts_is_stopped_with_429(settings, engine, monkeypatch, factory):
    app = make_app(settings, monkeypatch, submit_rate_limit="3 per minute")
    client = app.test_client()
    client.set_cookie("lang", "en")
    statuses = [post_form(client, "/submit", EVENT_FORM, title="").status_code for _ in range(3)]
    assert statuses == [422, 422, 422]
    flooded = post_form(client, "/submit/initiative", {"title": "x"})  # one limit for all forms
    assert flooded.status_code == 429
    assert "You have sent many forms in a short time" in flooded.get_data(as_text=True)
    assert client.get("/submit").status_code == 200  # reading the form is not limited
    other = app.test_client()  # another client
    other.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert post_form(other, "/submit", EVENT_FORM, title="").status_code == 422
    assert stored(factory) == []


def test_a_huge_body_is_refused_with_413(english, factory):
    body = b"title=" + b"x" * (50 * 1024 * 1024)
    response = english.post("/submit", data=body,
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert stored(factory) == []
