"""A trusted actor's proposal is published at once only after its contact address confirmed it
through a one-time link e-mailed to it (SMTP sink on loopback): a stranger who types that address
is moderated; the owner's link (GET shows a button, the POST confirms) publishes, and the same
address and browser then publish at once until an admin revokes the trust.  The link is
single-use, expires after 24 hours, is cut out of the access logs; without SMTP the trusted path
is off and the actors page says so."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from agenda.db import transaction
from agenda.models import Actor, AuditEntry
from agenda.services.moderation import approve
from agenda.services.submissions import submit
from agenda.web.shared import dates
from agenda.web.shared.log_redaction import redact
from tests.services.proposals import add_staff, event_data
from tests.web.pages import NOW
from tests.web.staff import ADMIN, accounts, csrf_token, post, sign_in
from tests.web.submitting import EVENT_FORM, make_app, post_form, propose, stored

__all__ = ["accounts"]

ADDRESS = "benevole@example.org"  # EVENT_FORM's contact, approved once for the actor
PUBLIC_URL = "https://agenda.example.org"
_CONFIRM_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/submit/confirm/[\w-]+)")



@pytest.fixture
def mailing_app(settings, engine, monkeypatch, sink):
    return make_app(settings, monkeypatch, smtp_host="127.0.0.1", smtp_port=sink.port,
                    smtp_starttls=False, public_url=PUBLIC_URL)


@pytest.fixture
def actor_id(factory, settings) -> int:
    """A trusted actor, with a proposal the staff approved from ADDRESS."""
    with transaction(factory) as session:
        actor = Actor(name="La Fabrique commune", trusted=True)
        session.add(actor)
        session.flush()
        earlier = submit(session, kind="event", now=NOW, settings=settings,
                         contact_email=ADDRESS,
                         data=event_data(actor_id=actor.id, new_actor=None, title="Avant"))
        approve(session, earlier.submission, user=add_staff(session), now=NOW,
                settings=settings)
        return actor.id


def propose_for(client, actor_id: int, title: str = EVENT_FORM["title"]) -> str:
    return propose(client, EVENT_FORM, "/submit?lang=en", actor_id=str(actor_id),
                   new_actor_name="", new_actor_kind="", new_actor_website="", title=title)


def confirmation_links(sink) -> list[str]:
    """The path of every confirmation link e-mailed so far (to ADDRESS)."""
    found = []
    for received in sink.messages:
        match = _CONFIRM_LINK.search(received.message.get_content())
        if match:
            assert received.recipients == [ADDRESS]
            found.append(match.group(1))
    return found


def listed(client, title: str) -> bool:
    return title in client.get("/").get_data(as_text=True)


def press_the_button(client, link: str):
    return client.post(link + "?lang=en", data={"csrf_token": csrf_token(client, link)})


def test_a_stranger_typing_a_trusted_actors_address_is_not_published(mailing_app, sink,
                                                                     actor_id, factory):
    stranger = mailing_app.test_client()
    propose_for(stranger, actor_id)
    assert stored(factory)[-1].status == "pending"
    assert not listed(stranger, "Repair café solidaire")
    assert len(confirmation_links(sink)) == 1  # sent to the actor's address
    [mail] = [m for m in sink.messages if "/submit/confirm/" in m.message.get_content()]
    assert "on behalf of “La Fabrique commune”" in mail.message.get_content()
    assert "Confirm the proposal" in mail.message["Subject"]


def test_the_received_page_asks_to_check_the_mailbox(mailing_app, sink, actor_id):
    client = mailing_app.test_client()
    post_form(client, "/submit?lang=en", EVENT_FORM, actor_id=str(actor_id), new_actor_name="",
              new_actor_kind="", new_actor_website="")
    page = client.get("/submit/received?lang=en").get_data(as_text=True)
    assert "Check your mailbox: we have sent a confirmation link" in page


def test_the_link_confirms_with_its_button_and_the_address_is_then_remembered(
        mailing_app, sink, actor_id, factory, accounts):
    owner = mailing_app.test_client()
    propose_for(owner, actor_id)
    [link] = confirmation_links(sink)
    page = owner.get(link + "?lang=en")  # what a mail scanner does: nothing is confirmed
    assert page.status_code == 200 and "Confirm and publish" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert stored(factory)[-1].status == "pending"

    response = press_the_button(owner, link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/confirmed")
    assert "is published" in owner.get("/submit/confirmed?lang=en").get_data(as_text=True)
    assert stored(factory)[-1].status == "approved"
    assert listed(owner, "Repair café solidaire")

    propose_for(owner, actor_id, title="Deuxième atelier")  # same address, same browser
    assert stored(factory)[-1].status == "approved" and listed(owner, "Deuxième atelier")
    assert len(confirmation_links(sink)) == 1  # no new link needed

    stranger = mailing_app.test_client()  # the same address from another browser
    propose_for(stranger, actor_id, title="Atelier du voisin")
    assert stored(factory)[-1].status == "pending" and len(confirmation_links(sink)) == 2

    staff = mailing_app.test_client()
    sign_in(staff, ADMIN)
    post(staff, f"/admin/actors/{actor_id}/trust", {"trusted": "0"})
    propose_for(owner, actor_id, title="Pendant la révocation")
    assert stored(factory)[-1].status == "pending" and len(confirmation_links(sink)) == 2
    post(staff, f"/admin/actors/{actor_id}/trust", {"trusted": "1"})
    propose_for(owner, actor_id, title="Après la révocation")  # the proof was forgotten
    assert stored(factory)[-1].status == "pending" and len(confirmation_links(sink)) == 3
    assert not listed(owner, "Après la révocation")


def test_the_audit_names_the_confirmed_address_only_by_a_hash(mailing_app, sink, actor_id,
                                                              factory):
    owner = mailing_app.test_client()
    propose_for(owner, actor_id)
    [link] = confirmation_links(sink)
    press_the_button(owner, link)
    with transaction(factory) as session:
        entry = session.query(AuditEntry).filter_by(action="publish_trusted").one()
        assert entry.who.startswith("address ") and ADDRESS not in entry.who
        assert entry.detail == {"actor": "La Fabrique commune", "proof": "link"}


def test_the_link_works_once(mailing_app, sink, actor_id, factory):
    owner = mailing_app.test_client()
    propose_for(owner, actor_id)
    [link] = confirmation_links(sink)
    token = csrf_token(owner, link)
    assert owner.post(link, data={"csrf_token": token}).status_code == 302
    again = owner.get(link + "?lang=en")
    assert again.status_code == 410
    assert "already been used: it works only once" in again.get_data(as_text=True)
    assert owner.post(link + "?lang=en", data={"csrf_token": token}).status_code == 410


def test_the_link_expires_after_24_hours(mailing_app, sink, actor_id, factory, monkeypatch):
    owner = mailing_app.test_client()
    propose_for(owner, actor_id)
    [link] = confirmation_links(sink)
    token = csrf_token(owner, link)
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(hours=23, minutes=59))
    assert owner.get(link).status_code == 200
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(hours=24))
    late = owner.post(link + "?lang=en", data={"csrf_token": token})
    assert late.status_code == 410 and "has expired" in late.get_data(as_text=True)
    assert stored(factory)[-1].status == "pending"  # still in the moderation queue
    assert not listed(owner, "Repair café solidaire")


def test_a_post_without_its_csrf_token_confirms_nothing(mailing_app, sink, actor_id, factory):
    owner = mailing_app.test_client()
    propose_for(owner, actor_id)
    [link] = confirmation_links(sink)
    response = owner.post(link + "?lang=en", data={})
    assert response.status_code == 400
    assert "Confirm and publish" in response.get_data(as_text=True)
    assert stored(factory)[-1].status == "pending"


def test_an_unknown_link_is_a_404_page(mailing_app):
    response = mailing_app.test_client().get("/submit/confirm/nothing-like-this?lang=en")
    assert response.status_code == 404
    assert "unknown or no longer valid" in response.get_data(as_text=True)


def test_without_smtp_the_proposal_waits_and_the_actors_page_says_so(
        client, actor_id, factory, accounts):
    propose_for(client, actor_id)
    assert stored(factory)[-1].status == "pending"
    assert "Check your mailbox" not in client.get("/submit/received?lang=en").get_data(
        as_text=True)
    sign_in(client, ADMIN)
    page = client.get("/admin/actors?lang=fr").get_data(as_text=True)
    assert "Sans serveur d’e-mail configuré, les acteurs de confiance passent eux aussi par " \
           "la modération." in page


def test_with_smtp_the_actors_page_has_no_such_notice(mailing_app, accounts):
    staff = mailing_app.test_client()
    sign_in(staff, ADMIN)
    page = staff.get("/admin/actors?lang=en").get_data(as_text=True)
    assert "once their contact address has confirmed them" in page
    assert "Without a configured e-mail server" not in page


def test_the_confirmation_token_is_cut_out_of_access_logs():
    line = '127.0.0.1 - - "GET /submit/confirm/Zm9vYmFy-secret_123?lang=en HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - "GET /submit/confirm/…?lang=en HTTP/1.1" 200 -'
