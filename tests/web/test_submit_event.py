"""Proposing an event through /submit: stored pending before the redirect, not public until
approved, the secret link shown (and working), edit and cancel through it, a trusted actor
moderated until its address confirms, the campaign proposed from the date, both languages."""

from __future__ import annotations

import logging
from datetime import date
from html import unescape

from agenda.db import transaction
from agenda.models import Actor, Submission
from agenda.services.moderation import approve
from agenda.services.submissions import submit
from agenda.store.campaigns import create_campaign
from tests.services.proposals import add_staff, event_data
from tests.web.pages import NOW, read_page
from tests.web.submitting import (
    EVENT_FORM,
    field_errors,
    post_form,
    propose,
    secret_path,
    stored,
)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_a_valid_proposal_is_stored_pending_and_not_published(client, factory):
    link = propose(client)
    [submission] = stored(factory)
    assert submission.kind == "event" and submission.status == "pending"
    assert submission.contact_email == "benevole@example.org"
    assert submission.data["title"] == "Repair café solidaire"
    assert submission.data["start"] == "2026-12-03T18:00"
    assert submission.data["end"] == "2026-12-03T20:00"
    assert submission.data["themes"] == ["reemploi", "transition-ecologique"]
    assert submission.data["new_actor"] == {"name": "Répar'37", "kind": "association",
                                            "website": "https://repar37.example.org"}
    assert submission.data["description_html"] == (
        "<p>Apportez vos objets cassés.</p><p>Des bénévoles vous aident.</p>")
    assert submission.event_id is None
    assert "Repair café solidaire" not in page(client, "/")
    assert "Repair café solidaire" not in page(client, "/calendar.ics")
    assert link.startswith("/submit/manage/")


def test_the_confirmation_shows_the_secret_link_and_it_works(client, factory):
    response = post_form(client, "/submit?lang=en", EVENT_FORM)
    assert response.status_code == 302
    confirmation = page(client, "/submit/received")
    link = secret_path(confirmation)
    assert stored(factory)[0].reference in confirmation
    assert "The regional team will check it before it is published." in confirmation
    assert link in page(client, "/submit/received")  # shown again (test_submit_receipt.py)
    manage = unescape(page(client, link)).replace("\u202f", " ")  # CLDR's narrow space
    assert "Repair café solidaire" in manage
    assert "Status: waiting for review" in " ".join(manage.split())
    assert "Thursday, December 3, 2026, 6:00 PM – 8:00 PM" in manage
    assert "benevole@example.org" not in manage  # the private address is never shown


def test_secret_pages_are_not_cached_and_send_no_referrer(client):
    link = propose(client)
    response = client.get(link)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_or_mangled_secret_is_404(client):
    propose(client)
    assert client.get("/submit/manage/not-the-secret").status_code == 404
    assert client.get("/submit/manage/" + "x" * 500).status_code == 404
    assert client.get("/submit/manage/not-the-secret/edit").status_code == 404
    assert client.get("/submit/manage/not-the-secret/cancel").status_code == 404


def test_neither_the_secret_nor_the_address_is_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    link = propose(client)
    secret = link.rsplit("/", 1)[1]
    assert "received (event)" in caplog.text
    assert secret not in caplog.text
    assert "benevole@example.org" not in caplog.text


def test_editing_through_the_link_sends_the_proposal_back_to_moderation(client, factory):
    link = propose(client)
    with transaction(factory) as session:
        submission = session.query(Submission).one()
        approve(session, submission, user=add_staff(session), now=NOW,
                settings=client.application.extensions["agenda"].settings)
    assert "Repair café solidaire" in page(client, "/")

    form = page(client, link + "/edit?lang=en")
    assert 'value="Repair café solidaire"' in unescape(form)
    assert 'value="2026-12-03"' in form and 'value="18:00"' in form
    assert "Apportez vos objets cassés.\n\nDes bénévoles vous aident." in unescape(form)
    assert "benevole@example.org" not in form  # kept when left empty, never shown back
    response = post_form(client, link + "/edit", {**EVENT_FORM, "contact_email": ""},
                         title="Grand repair café solidaire")
    assert response.status_code == 302 and response.headers["Location"].endswith(link)

    [submission] = stored(factory)
    assert submission.status == "pending"
    assert submission.data["title"] == "Grand repair café solidaire"
    assert submission.contact_email == "benevole@example.org"
    manage = unescape(page(client, link + "?lang=en"))
    assert "goes back to the regional team" in manage
    assert "waiting for review" in manage
    home = page(client, "/")  # the approved version stays published until approved again
    assert "Repair café solidaire" in home and "Grand repair café" not in home


def test_cancelling_needs_a_confirmation_then_withdraws_the_proposal(client, factory):
    link = propose(client)
    with transaction(factory) as session:
        approve(session, session.query(Submission).one(), user=add_staff(session), now=NOW,
                settings=client.application.extensions["agenda"].settings)
    assert "Repair café solidaire" in page(client, "/")

    unconfirmed = post_form(client, link + "/cancel?lang=en", {}, token_from=link + "/cancel")
    assert unconfirmed.status_code == 422
    assert field_errors(unconfirmed.get_data(as_text=True)) == {
        "confirm": "Tick the box to confirm."}
    assert stored(factory)[0].status == "approved"

    response = post_form(client, link + "/cancel", {"confirm": "y"})
    assert response.status_code == 302
    assert stored(factory)[0].status == "cancelled"
    assert "Repair café solidaire" not in page(client, "/")
    manage = page(client, link + "?lang=en")
    assert "can no longer be changed" in manage
    assert link + "/edit" not in manage
    again = post_form(client, link + "/edit", EVENT_FORM, token_from="/submit")
    assert again.status_code == 302 and stored(factory)[0].status == "cancelled"


def test_a_trusted_actor_waits_until_its_address_confirms(client, factory, settings):
    """From an address the staff already approved a proposal of that actor from: no longer
    published at once (anyone can type that address). Without SMTP nothing can confirm it, so
    it waits for moderation; tests/web/test_submit_trusted.py follows the e-mailed link."""
    with transaction(factory) as session:
        actor = Actor(name="La Fabrique commune", trusted=True)
        session.add(actor)
        session.flush()
        actor_id = actor.id
        earlier = submit(session, kind="event", now=NOW, settings=settings,
                         contact_email="Benevole@example.org",
                         data=event_data(actor_id=actor_id, new_actor=None, title="Avant"))
        approve(session, earlier.submission, user=add_staff(session), now=NOW,
                settings=settings)
    link = propose(client, **{"actor_id": str(actor_id), "new_actor_name": "",
                              "new_actor_kind": "", "new_actor_website": ""})
    submission = next(s for s in stored(factory) if s.id != earlier.submission.id)
    assert submission.status == "pending" and submission.event_id is None
    assert submission.data["actor_id"] == actor_id and submission.data["new_actor"] is None
    assert "Repair café solidaire" not in page(client, "/")
    assert "waiting for review" in page(client, link + "?lang=en")


def test_an_actor_that_is_not_trusted_waits_for_moderation(client, factory):
    with transaction(factory) as session:
        session.add(Actor(name="La Fabrique commune"))
    actor_id = str(stored_actor_id(factory))
    propose(client, actor_id=actor_id, new_actor_name="", new_actor_kind="")
    assert stored(factory)[0].status == "pending"
    assert "Repair café solidaire" not in page(client, "/")


def stored_actor_id(factory) -> int:
    with transaction(factory) as session:
        return session.query(Actor).one().id


def test_the_campaign_running_on_the_events_date_is_chosen(client, factory):
    with transaction(factory) as session:
        december = create_campaign(session, slug="decembre", name="Décembre solidaire",
                                   starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31),
                                   now=NOW).id
    propose(client)  # "auto": chosen from the date
    assert stored(factory)[0].campaign_id == december
    propose(client, campaign="")  # "none" is respected
    assert stored(factory)[1].campaign_id is None

    refused = post_form(client, "/submit?lang=en", EVENT_FORM, title="",
                        start_date="2026-12-10")
    assert 'selected value="auto">Chosen from the date: Décembre solidaire' in unescape(
        refused.get_data(as_text=True))


def test_a_campaign_that_does_not_cover_the_date_is_refused(client, factory):
    with transaction(factory) as session:
        november = create_campaign(session, slug="mois-ess-2026", name="Mois de l'ESS 2026",
                                   starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30),
                                   now=NOW).id
    response = post_form(client, "/submit?lang=en", EVENT_FORM, campaign=str(november))
    assert response.status_code == 422
    assert "the event starts outside it" in field_errors(response.get_data(as_text=True))[
        "campaign"]
    propose(client, campaign=str(november), start_date="2026-11-25", end_date="")
    assert stored(factory)[0].campaign_id == november


def test_an_all_day_repeated_event_is_stored_with_its_dates(client, factory):
    propose(client, all_day="y", start_time="", end_time="", start_date="2026-12-05",
            end_date="2026-12-06", recurrence="weekly", until="2027-01-30")
    data = stored(factory)[0].data
    assert (data["all_day"], data["start"], data["end"]) == (True, "2026-12-05", "2026-12-06")
    assert (data["recurrence"], data["until"]) == ("weekly", "2027-01-30")


def test_an_online_event_needs_no_place(client, factory):
    propose(client, location_name="", address="", postcode="", city="",
            online_url="https://visio.example.org/ess")
    assert stored(factory)[0].data["online_url"] == "https://visio.example.org/ess"


def test_the_form_is_in_french_by_default_and_in_english_on_request(client):
    french = read_page(page(client, "/submit"))
    english = read_page(page(client, "/submit?lang=en"))
    assert french.lang == "fr" and english.lang == "en"
    assert english.text_headings[0] == "Propose an event"
    names = {attrs.get("name") for attrs in english.all("input") + english.all("select")}
    assert {"title", "start_date", "start_time", "end_date", "end_time", "city", "postcode",
            "online_url", "themes", "contact_email", "csrf_token"} <= names
    assert {attrs.get("type") for attrs in english.all("input")
            if attrs.get("name") in ("start_date", "end_date", "until")} == {"date"}
    assert {attrs.get("name") for attrs in french.all("input")} == {
        attrs.get("name") for attrs in english.all("input")}
    assert "/submit" in read_page(page(client, "/")).hrefs()  # the menu leads to the form


def test_every_field_has_a_label(client):
    html = page(client, "/submit?lang=en")
    found = read_page(html)
    labelled = {attrs.get("for") for attrs in found.all("label")}
    fields = [attrs for attrs in found.all("input") + found.all("select") + found.all("textarea")
              if attrs.get("type") not in ("hidden",) and attrs.get("name") != "themes"]
    assert all(f.get("id") in labelled for f in fields), [f.get("id") for f in fields]


def test_browser_line_ends_give_paragraphs_and_line_breaks(client, factory):
    propose(client, description="Un.\r\n\r\nDeux.\r\nTrois.")
    assert stored(factory)[0].data["description_html"] == "<p>Un.</p><p>Deux.<br>Trois.</p>"
