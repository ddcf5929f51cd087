"""“Lost your link?”: new secret links e-mailed to a proposal's private address, the same
answer whatever the address, a rate limit, and without SMTP a page that says whom to ask."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import AuditEntry
from agenda.web.shared import dates
from agenda.web.submit.lost_link import wait_for_mail
from tests.web.pages import NOW
from tests.web.submitting import make_app, post_form, propose

_LINK = re.compile(r"https://agenda\.example\.org(/submit/manage/[\w-]+)")



@pytest.fixture
def mail_app(settings, engine, monkeypatch, sink):
    return make_app(settings, monkeypatch, smtp_host="127.0.0.1", smtp_port=sink.port,
                    smtp_starttls=False, public_url="https://agenda.example.org")


def ask(client, email: str):
    return post_form(client, "/submit/lost-link?lang=en", {"email": email},
                     token_from="/submit/lost-link")


def answer_page(client, response) -> str:
    wait_for_mail()
    assert response.status_code == 302
    assert response.headers["Location"] == "/submit/lost-link/sent"
    return client.get("/submit/lost-link/sent?lang=en").get_data(as_text=True)


def test_the_same_answer_for_a_known_and_an_unknown_address(mail_app, sink):
    client = mail_app.test_client()
    old_link = propose(client)
    sink.messages.clear()  # the first link's e-mail
    known = answer_page(client, ask(client, "benevole@example.org"))
    unknown = answer_page(client, ask(client, "personne@example.org"))
    assert known == unknown
    assert "If proposals were sent with this address" in known
    [mail] = sink.messages  # only the known address gets mail
    assert mail.recipients == ["benevole@example.org"]
    body = mail.message.get_content()
    assert "Repair café solidaire" in body
    [new_link] = _LINK.findall(body)
    assert new_link != old_link
    page = client.get(new_link + "?lang=en")
    assert page.status_code == 200 and "Repair café solidaire" in page.get_data(as_text=True)
    assert client.get(old_link).status_code == 200  # the first link still works


def test_the_address_is_matched_whatever_its_case_and_every_proposal_is_sent(mail_app, sink):
    client = mail_app.test_client()
    propose(client)
    propose(client, title="Atelier vélo")
    propose(client, title="Annulé", contact_email="BENEVOLE@example.org")
    sink.messages.clear()
    answer_page(client, ask(client, "Benevole@Example.ORG"))
    [mail] = sink.messages
    body = mail.message.get_content()
    assert len(_LINK.findall(body)) == 3
    assert "Atelier vélo" in body and "Annulé" in body


def test_a_cancelled_proposal_gets_no_new_link(mail_app, sink):
    client = mail_app.test_client()
    link = propose(client)
    post_form(client, link + "/cancel", {"confirm": "y"})
    sink.messages.clear()
    answer_page(client, ask(client, "benevole@example.org"))
    assert sink.messages == []


def test_asking_again_soon_sends_nothing_more(mail_app, sink, monkeypatch):
    client = mail_app.test_client()
    propose(client)
    sink.messages.clear()
    answer_page(client, ask(client, "benevole@example.org"))
    answer_page(client, ask(client, "benevole@example.org"))
    assert len(sink.messages) == 1  # nobody can flood a mailbox
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(minutes=11))
    answer_page(client, ask(client, "benevole@example.org"))
    assert len(sink.messages) == 2


def test_neither_the_address_nor_the_link_is_logged_or_audited(mail_app, sink, factory,
                                                              caplog):
    client = mail_app.test_client()
    propose(client)
    caplog.set_level(logging.DEBUG)
    answer_page(client, ask(client, "benevole@example.org"))
    body = sink.messages[-1].message.get_content()
    secret = _LINK.findall(body)[0].rsplit("/", 1)[1]
    assert "benevole@example.org" not in caplog.text and secret not in caplog.text
    with transaction(factory) as session:
        entries = list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lost_link")))
        assert len(entries) == 1 and entries[0].who == "submitter"
        assert "benevole" not in str(entries[0].detail)


def test_a_malformed_address_is_refused_with_its_message(mail_app, sink):
    client = mail_app.test_client()
    response = ask(client, "pas-une-adresse")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give a valid e-mail address" in html
    assert "<title>Error: Lost your link? · Agenda commun</title>" in html
    assert 'value="pas-une-adresse"' in html
    assert sink.messages == []


def test_asking_is_rate_limited(mail_app):
    client = mail_app.test_client()
    statuses = [ask(client, f"personne{i}@example.org").status_code for i in range(6)]
    assert statuses == [302] * 5 + [429]
    assert client.get("/submit/lost-link").status_code == 200  # reading is not limited


@pytest.mark.parametrize("team_email", ["", "equipe@cress.example.org"])
def test_without_smtp_the_page_says_the_link_cannot_be_sent_and_whom_to_ask(
        settings, engine, monkeypatch, team_email):
    client = make_app(settings, monkeypatch, team_email=team_email).test_client()
    html = client.get("/submit/lost-link?lang=en").get_data(as_text=True)
    assert "E-mail is not set up on this site, so the link cannot be sent again." in html
    assert 'name="email"' not in html
    if team_email:
        assert f'<a href="mailto:{team_email}">{team_email}</a>' in html
    else:
        assert "The regional team that runs this calendar can correct or cancel" in html
    posted = post_form(client, "/submit/lost-link", {"email": "a@example.org"},
                       token_from="/submit")
    assert posted.status_code == 200  # nothing is sent, the same explanation


def test_the_confirmation_and_the_french_page_lead_to_it(client):
    html = client.get("/submit/lost-link").get_data(as_text=True)
    assert "<h1>Lien perdu\u00a0?</h1>" in html
    propose(client)
    assert "/submit/lost-link" in client.get("/submit/received").get_data(as_text=True)


def test_the_french_page_sends_a_french_e_mail(mail_app, sink):
    client = mail_app.test_client()
    propose(client)
    sink.messages.clear()
    post_form(client, "/submit/lost-link", {"email": "benevole@example.org"})
    wait_for_mail()
    [mail] = sink.messages
    assert mail.message["Subject"] == "Vos liens secrets sur Agenda commun"
    body = mail.message.get_content()
    assert "«\u00a0Repair café solidaire\u00a0» (P-" in body
    assert "les liens que vous aviez restent valables" in body


def test_an_expired_form_is_shown_again_with_the_address_kept(mail_app, sink):
    client = mail_app.test_client()
    client.get("/submit/lost-link")
    response = client.post("/submit/lost-link?lang=en",
                           data={"email": "benevole@example.org", "csrf_token": "stale"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error: Lost your link? · Agenda commun</title>" in html
    assert "This form has expired" in html and 'value="benevole@example.org"' in html
    wait_for_mail()
    assert sink.messages == []
