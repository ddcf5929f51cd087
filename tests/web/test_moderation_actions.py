"""Approve, reject, edit: each action is published (or not) at once, in the listing, the search
and the calendar feed, and recorded in the audit log with who did it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import AuditEntry, Event
from agenda.services.submissions import cancel_by_submitter, edit_by_submitter
from agenda.store.submissions import get_submission
from tests.services.proposals import event_data
from tests.web.pages import NOW
from tests.web.staff import CONTACT, STAFF, accounts, form_values, post, propose, sign_in

__all__ = ["accounts"]

TITLE = "Atelier réparation de vélos"  # event_data(): on 2026-11-26, after the frozen clock


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def published_in(client, title: str) -> dict[str, bool]:
    """Where ``title`` can be seen by the public: the listing, a search, the calendar feed."""
    ics = client.get("/calendar.ics").get_data(as_text=True)
    return {"listing": title in page(client, "/?lang=en"),
            "search": title in page(client, "/?lang=en&q=velo"),
            "ics": f"SUMMARY:{title}" in ics.replace("\r\n ", "")}


def flashes(client, path: str) -> list[str]:
    return re.findall(r'<p class="notice notice-\w+ flash" role="\w+">([^<]*)</p>',
                      page(client, path))


def status_of(factory, submission_id: int) -> str:
    with transaction(factory) as session:
        return get_submission(session, submission_id).status


def actions(factory, submission_id: int) -> list[tuple[str, str]]:
    with transaction(factory) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.submission_id
                                                           == submission_id)
                                  .order_by(AuditEntry.id))
        return [(e.action, e.who) for e in entries]


def test_approval_publishes_at_once_in_the_listing_the_search_and_the_feed(
        app, client, accounts, factory, settings):
    proposal = propose(factory, settings)
    assert published_in(client, TITLE) == {"listing": False, "search": False, "ics": False}
    assert app.extensions["agenda"].search.status()["live"]  # built by that first search
    sign_in(client)
    response = post(client, f"/admin/moderation/{proposal.id}/approve")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/moderation/"
    assert published_in(client, TITLE) == {"listing": True, "search": True, "ics": True}
    assert flashes(client, "/admin/moderation/?lang=en") == [
        f"Approved: {proposal.reference} is published."]
    assert status_of(factory, proposal.id) == "approved"
    assert actions(factory, proposal.id) == [("submit", "submitter"), ("approve", STAFF)]
    assert CONTACT not in page(client, "/?lang=en")


def test_a_refusal_needs_a_reason(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    for reason in ("", "   "):
        response = post(client, f"/admin/moderation/{proposal.id}/reject", {"reason": reason})
        assert response.status_code == 400
        assert 'id="reason-error"' in response.get_data(as_text=True)
    assert status_of(factory, proposal.id) == "pending"


def test_a_rejected_proposal_never_appears(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    response = post(client, f"/admin/moderation/{proposal.id}/reject",
                    {"reason": "Cet atelier a lieu hors de la région."})
    assert response.status_code == 302
    assert status_of(factory, proposal.id) == "rejected"
    assert published_in(client, TITLE) == {"listing": False, "search": False, "ics": False}
    with transaction(factory) as session:
        assert session.scalars(select(Event)).all() == []
        assert get_submission(session, proposal.id).reject_reason == \
            "Cet atelier a lieu hors de la région."
    assert actions(factory, proposal.id)[-1] == ("reject", STAFF)


@pytest.mark.parametrize("first, then, message", [
    ("approve", "approve", "This proposal has already been approved"),
    ("approve", "reject", "This proposal has already been approved"),
    ("reject", "approve", "This proposal has already been rejected."),
    ("cancel", "approve", "This proposal was cancelled by its submitter"),
    ("cancel", "reject", "This proposal was cancelled by its submitter"),
])
def test_deciding_again_says_why_and_changes_nothing(client, accounts, factory, settings,
                                                     first, then, message):
    proposal = propose(factory, settings)
    sign_in(client)
    if first == "cancel":
        with transaction(factory) as session:
            cancel_by_submitter(session, get_submission(session, proposal.id), now=NOW)
    else:
        post(client, f"/admin/moderation/{proposal.id}/{first}", {"reason": "Doublon"})
    before = actions(factory, proposal.id)
    response = post(client, f"/admin/moderation/{proposal.id}/{then}", {"reason": "Doublon"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/moderation/{proposal.id}"
    assert any(message in text for text in flashes(client, response.headers["Location"]
                                                   + "?lang=en"))
    assert actions(factory, proposal.id) == before


def test_actions_on_a_missing_proposal_are_404(client, accounts):
    sign_in(client)
    assert post(client, "/admin/moderation/999/approve").status_code == 404
    assert post(client, "/admin/moderation/999/reject", {"reason": "x"}).status_code == 404
    assert client.get("/admin/moderation/999/edit").status_code == 404


def test_an_approved_proposal_edited_by_its_submitter_waits_then_its_new_version_is_published(
        client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    post(client, f"/admin/moderation/{proposal.id}/approve")
    with transaction(factory) as session:
        edit_by_submitter(session, get_submission(session, proposal.id),
                          event_data(title="Atelier vélo du samedi"), contact_email=CONTACT,
                          now=NOW, settings=settings)
    assert published_in(client, TITLE)["listing"]  # the approved version stays meanwhile
    post(client, f"/admin/moderation/{proposal.id}/approve")
    assert published_in(client, "Atelier vélo du samedi") == {"listing": True, "search": True,
                                                              "ics": True}
    assert not published_in(client, TITLE)["listing"]


def test_staff_edit_a_proposal_with_the_public_form(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    edit_page = page(client, f"/admin/moderation/{proposal.id}/edit?lang=en")
    action = f"/admin/moderation/{proposal.id}/edit"
    values = form_values(edit_page, action)
    assert values["title"] == TITLE and values["city"] == "Orléans"
    assert "contact_email" not in values and "homepage" not in values
    values["title"] = "Atelier vélo corrigé"
    response = client.post(action, data=values)
    assert response.status_code == 302
    with transaction(factory) as session:
        stored = get_submission(session, proposal.id)
        assert stored.data["title"] == "Atelier vélo corrigé"
        assert stored.data["start"] == "2026-11-26T18:00" and stored.status == "pending"
        assert stored.contact_email == CONTACT
    assert actions(factory, proposal.id)[-1] == ("edit", STAFF)
    assert any("Changes saved" in text
               for text in flashes(client, response.headers["Location"] + "?lang=en"))


def test_a_staff_edit_of_a_published_event_is_published_at_once(
        client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    post(client, f"/admin/moderation/{proposal.id}/approve")
    action = f"/admin/moderation/{proposal.id}/edit"
    values = form_values(page(client, action), action)
    values["title"] = "Atelier vélo (lieu changé)"
    assert client.post(action, data=values).status_code == 302
    assert published_in(client, "Atelier vélo (lieu changé)") == {
        "listing": True, "search": True, "ics": True}


def test_a_bad_staff_edit_is_shown_with_its_errors_and_changes_nothing(
        client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    action = f"/admin/moderation/{proposal.id}/edit"
    values = form_values(page(client, action), action)
    values.update(title="", url="javascript:alert(1)")
    response = client.post(action + "?lang=en", data=values)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="title-error"' in text and 'id="url-error"' in text
    with transaction(factory) as session:
        assert get_submission(session, proposal.id).data["title"] == TITLE


def test_a_cancelled_proposal_cannot_be_edited(client, accounts, factory, settings):
    proposal = propose(factory, settings)
    with transaction(factory) as session:
        cancel_by_submitter(session, get_submission(session, proposal.id), now=NOW)
    sign_in(client)
    response = client.get(f"/admin/moderation/{proposal.id}/edit")
    assert response.status_code == 302
    assert any("cancelled" in text
               for text in flashes(client, response.headers["Location"] + "?lang=en"))


def test_refusing_the_changes_of_an_approved_proposal_keeps_the_approved_version(
        client, accounts, factory, settings):
    proposal = propose(factory, settings)
    sign_in(client)
    post(client, f"/admin/moderation/{proposal.id}/approve")
    with transaction(factory) as session:
        edit_by_submitter(session, get_submission(session, proposal.id),
                          event_data(title="Titre publicitaire"), contact_email=CONTACT,
                          now=NOW, settings=settings)
    response = post(client, f"/admin/moderation/{proposal.id}/reject",
                    {"reason": "Le titre doit décrire l'atelier."})
    assert response.status_code == 302
    assert flashes(client, "/admin/moderation/?lang=en") == [
        f"Changes refused: {proposal.reference} keeps its approved version."]
    assert published_in(client, TITLE) == {"listing": True, "search": True, "ics": True}
    assert not published_in(client, "Titre publicitaire")["listing"]
    assert actions(factory, proposal.id)[-1] == ("reject", STAFF)
