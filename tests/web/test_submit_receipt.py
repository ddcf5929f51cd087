"""The confirmation after a proposal: the secret link in a read-only field with a copy button,
whether it was e-mailed said plainly, and the page shown again in the same browser for an hour
(not in another browser, not after the hour)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agenda.web.shared import dates
from tests.services.smtp_sink import SmtpSink
from tests.web.pages import NOW, read_page
from tests.web.submitting import EVENT_FORM, make_app, post_form, secret_path


def send(client) -> str:
    """Propose the usual event (in English); the confirmation page."""
    response = post_form(client, "/submit?lang=en", EVENT_FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/submit/received"  # no secret in the redirect
    return client.get("/submit/received").get_data(as_text=True)


def secret_field(html: str) -> dict:
    [field] = [a for a in read_page(html).all("input") if a.get("id") == "lien-secret"]
    return field


def test_the_link_is_in_a_read_only_field_with_a_copy_button(client):
    html = send(client)
    field = secret_field(html)
    assert "readonly" in field and field["value"].endswith(secret_path(html))
    [button] = [b for b in read_page(html).all("button") if b.get("data-copy") == "lien-secret"]
    assert button["class"] == "js-only" and button["data-copied"] == "Link copied"
    assert 'id="lien-copie" class="copy-status" aria-live="polite"' in html


MAIL_CASES = {
    "no smtp": ({}, "No e-mail was sent: copy this link now."),
    "smtp refuses": ({"refuse": True}, "The e-mail could not be sent: copy this link now."),
    "smtp accepts": ({"refuse": False}, "We have also sent it by e-mail to the address you gave."),
}


@pytest.mark.parametrize("setup, sentence", MAIL_CASES.values(), ids=MAIL_CASES.keys())
def test_the_page_says_whether_the_link_was_e_mailed(settings, engine, monkeypatch, setup,
                                                     sentence):
    others = {sentence for _setup, sentence in MAIL_CASES.values()} - {sentence}
    if "refuse" not in setup:
        html = send(make_app(settings, monkeypatch).test_client())
    else:
        with SmtpSink(refuse_recipients=setup["refuse"]) as sink:
            app = make_app(settings, monkeypatch, smtp_host="127.0.0.1", smtp_port=sink.port,
                           smtp_starttls=False)
            html = send(app.test_client())
    assert sentence in html
    assert not any(other in html for other in others)


def test_french_says_no_e_mail_was_sent_in_french(client):
    post_form(client, "/submit", EVENT_FORM)
    html = client.get("/submit/received").get_data(as_text=True)
    assert "Aucun e-mail n’a été envoyé\u00a0: copiez ce lien maintenant." in html


def test_the_page_is_shown_again_in_the_same_browser_for_an_hour(client, monkeypatch):
    first = send(client)
    link = secret_path(first)
    assert secret_path(client.get("/submit/received").get_data(as_text=True)) == link
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(minutes=59))
    again = client.get("/submit/received?lang=en").get_data(as_text=True)
    assert secret_path(again) == link
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(minutes=61))
    late = client.get("/submit/received?lang=en").get_data(as_text=True)
    assert "/submit/manage/" not in late
    assert "Your proposal has been received." in late and "/submit/lost-link" in late


def test_another_browser_never_sees_the_link(app, client):
    send(client)
    other = app.test_client()
    html = other.get("/submit/received?lang=en").get_data(as_text=True)
    assert "/submit/manage/" not in html and "Your proposal has been received." in html


def test_the_receipt_cookie_is_private_to_the_page_and_lives_an_hour(client):
    response = post_form(client, "/submit", EVENT_FORM)
    [cookie] = [c for c in response.headers.getlist("Set-Cookie")
                if c.startswith("agenda_receipt=")]
    attributes = {part.strip().split("=")[0].lower(): part.strip()
                  for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Strict"
    assert attributes["path"] == "Path=/submit/received"
    assert attributes["max-age"] == "Max-Age=3600"


def test_a_forged_or_tampered_receipt_shows_the_thanks_only(client):
    send(client)
    cookie = client.get_cookie("agenda_receipt", path="/submit/received")
    client.set_cookie("agenda_receipt", cookie.value[:-3] + "xyz", path="/submit/received")
    response = client.get("/submit/received?lang=en")
    assert response.status_code == 200
    assert "/submit/manage/" not in response.get_data(as_text=True)


def test_a_new_proposal_replaces_the_receipt(client):
    first = secret_path(send(client))
    second = secret_path(send(client))
    assert first != second
    assert secret_path(client.get("/submit/received").get_data(as_text=True)) == second
