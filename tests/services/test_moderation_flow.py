"""From a proposal to the calendar: submit, approve, edit again, reject, cancel, trust."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.errors import ProposalError
from agenda.listing.filters import Filters
from agenda.listing.query import find_occurrences
from agenda.models import Actor, AuditEntry, Campaign, Event, Initiative, Occurrence
from agenda.services import address_proofs, moderation, submissions
from agenda.store.audit import list_audit
from agenda.store.submissions import pending_queue
from tests.services.proposals import add_staff, event_data, initiative_data

BROWSER = "a-browser-key-of-the-cress-0123456789abcdef"
WINDOW = (datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2027, 12, 31, tzinfo=timezone.utc))


def _listed_titles(session) -> list[str]:
    listing = find_occurrences(session, Filters(), window=WINDOW, limit=500)
    return [occ.event.title for occ in listing.occurrences]


def _submit(session, settings, now, sender_key=None, **data):
    kind = data.pop("kind", "event")
    values = event_data(**data) if kind == "event" else initiative_data(**data)
    return submissions.submit(session, kind=kind, data=values,
                              contact_email="benevole@example.org", now=now, settings=settings,
                              sender_key=sender_key)


def test_a_proposal_is_stored_pending_and_not_published(factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        assert received.published_ids == []
    with transaction(factory) as session:
        queue = pending_queue(session)
        assert [s.reference for s in queue] == [received.submission.reference]
        assert queue[0].data["title"] == "Atelier réparation de vélos"
        assert _listed_titles(session) == []
        assert submissions.find_by_secret(session, received.secret).id == queue[0].id
        assert submissions.find_by_secret(session, received.secret + "x") is None
        assert received.secret not in (queue[0].secret_hash, queue[0].reference)


def test_approval_publishes_the_event_with_its_place_themes_and_organiser(factory, settings,
                                                                          now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        staff = add_staff(session)
        ids = moderation.approve(session, received.submission, user=staff, now=now,
                                 settings=settings)
    with transaction(factory) as session:
        event = session.get(Event, ids[0])
        assert event.title == "Atelier réparation de vélos"
        assert (event.city, event.postcode, event.department) == ("Orléans", "45000", "45")
        assert event.themes == ["mobilite"] and event.organizer == "Vélo Solidaire Orléans"
        assert event.source.kind == "form" and event.source.enabled is False
        assert event.start_at == datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc)
        assert _listed_titles(session) == ["Atelier réparation de vélos"]
        actor = session.scalar(select(Actor).where(Actor.name == "Vélo Solidaire Orléans"))
        assert actor.website == "https://velo.example.org"
        actions = [(e.action, e.who) for e in list_audit(session)]
        assert actions == [("approve", "moderatrice@cress.example"), ("submit", "submitter")]


def test_weekly_repetition_gives_every_occurrence_at_the_same_wall_clock_time(factory,
                                                                              settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now, start="2026-10-20T10:00",
                           end="2026-10-20T12:00", recurrence="weekly", until="2026-11-10")
        ids = moderation.approve(session, received.submission, user=add_staff(session),
                                 now=now, settings=settings)
    with transaction(factory) as session:
        starts = session.scalars(select(Occurrence.start_at).where(Occurrence.event_id == ids[0])
                                 .order_by(Occurrence.start_at)).all()
        # 10:00 in Paris: 08:00 UTC in summer time, 09:00 UTC after the October change
        assert [s.strftime("%m-%d %H:%M") for s in starts] == [
            "10-20 08:00", "10-27 09:00", "11-03 09:00", "11-10 09:00"]
        assert "FREQ=WEEKLY" in session.get(Event, ids[0]).rrule


def test_an_edit_after_approval_goes_back_to_moderation_while_the_approved_version_stays(
        factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        staff = add_staff(session)
        (event_id,) = moderation.approve(session, received.submission, user=staff, now=now,
                                         settings=settings)
    later = now + timedelta(hours=1)
    with transaction(factory) as session:
        submission = submissions.find_by_secret(session, received.secret)
        submissions.edit_by_submitter(session, submission, event_data(title="Atelier vélo"),
                                      contact_email="benevole@example.org", now=later,
                                      settings=settings)
        assert submission.status == "pending"
    with transaction(factory) as session:
        assert _listed_titles(session) == ["Atelier réparation de vélos"]
        (pending,) = pending_queue(session)
        staff = session.scalar(select(type(staff)))
        moderation.approve(session, pending, user=staff, now=later, settings=settings)
    with transaction(factory) as session:
        event = session.get(Event, event_id)
        assert (event.title, event.sequence) == ("Atelier vélo", 1)  # same event, same id
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "approve")
                               .order_by(AuditEntry.id.desc()))
        assert entry.detail == {"changed": ["title"]}


def test_rejecting_an_edit_keeps_the_approved_version(factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        staff = add_staff(session)
        moderation.approve(session, received.submission, user=staff, now=now, settings=settings)
        submissions.edit_by_submitter(session, received.submission,
                                      event_data(title="ACHETEZ MAINTENANT"),
                                      contact_email="x@example.org", now=now, settings=settings)
        moderation.reject(session, received.submission, user=staff, reason="Publicité", now=now)
        assert received.submission.status == "approved"
        assert received.submission.data["title"] == "Atelier réparation de vélos"
    with transaction(factory) as session:
        assert _listed_titles(session) == ["Atelier réparation de vélos"]
        entry = list_audit(session)[0]
        assert entry.action == "reject" and entry.detail["reason"] == "Publicité"
        assert entry.detail["refused_changes"] == [{"field": "title",
                                                    "new": "ACHETEZ MAINTENANT"}]


def test_a_rejection_needs_a_reason_and_a_decision_is_taken_once(factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        staff = add_staff(session)
        with pytest.raises(ProposalError) as missing:
            moderation.reject(session, received.submission, user=staff, reason="  ", now=now)
        assert missing.value.code == "proposal.reason_missing"
        moderation.reject(session, received.submission, user=staff, reason="Hors région",
                          now=now)
        assert received.submission.status == "rejected"
        with pytest.raises(ProposalError) as twice:
            moderation.approve(session, received.submission, user=staff, now=now,
                               settings=settings)
        assert twice.value.code == "proposal.not_pending"
    with transaction(factory) as session:
        assert _listed_titles(session) == [] and session.scalar(select(Event.id)) is None


def test_cancelling_withdraws_the_published_event(factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        (event_id,) = moderation.approve(session, received.submission,
                                         user=add_staff(session), now=now, settings=settings)
        assert submissions.cancel_by_submitter(session, received.submission,
                                               now=now) == [event_id]
        with pytest.raises(ProposalError):
            submissions.edit_by_submitter(session, received.submission, event_data(),
                                          contact_email="x@example.org", now=now,
                                          settings=settings)
    with transaction(factory) as session:
        assert session.get(Event, event_id).removed_at is not None
        assert _listed_titles(session) == []


def _trusted_actor_with_a_known_contact(session, settings, now) -> Actor:
    actor = Actor(name="CRESS Centre-Val de Loire", trusted=True)
    session.add(actor)
    session.flush()
    first = _submit(session, settings, now, actor_id=actor.id, new_actor=None,
                    title="Première proposition")
    moderation.approve(session, first.submission, user=add_staff(session), now=now,
                       settings=settings)
    return actor


def test_a_trusted_actor_is_published_once_its_known_address_confirmed(factory, settings, now):
    """A known address alone no longer publishes: a link goes to it, and following it does
    (then the same address and browser publish at once)."""
    settings = settings.with_overrides(smtp_host="127.0.0.1")
    with transaction(factory) as session:
        actor = _trusted_actor_with_a_known_contact(session, settings, now)
        received = _submit(session, settings, now, actor_id=actor.id, new_actor=None,
                           sender_key=BROWSER)
        assert received.submission.status == "pending" and received.published_ids == []
        assert received.confirmation
        confirmed = address_proofs.confirm(session, received.confirmation, now=now,
                                           settings=settings)
        assert confirmed.submission.status == "approved" and len(confirmed.published_ids) == 1
        again = _submit(session, settings, now, actor_id=actor.id, new_actor=None,
                        sender_key=BROWSER)
        assert again.submission.status == "approved" and again.confirmation is None
    with transaction(factory) as session:
        assert pending_queue(session) == []
        assert "Atelier réparation de vélos" in _listed_titles(session)
        assert session.get(Event, confirmed.published_ids[0]).organizer == actor.name
        assert [e.action for e in list_audit(session)][:3] == [
            "publish_trusted", "submit", "publish_trusted"]


def test_a_known_address_alone_waits_without_e_mail(factory, settings, now):
    """Without SMTP no address can be proved: the trusted path is off."""
    with transaction(factory) as session:
        actor = _trusted_actor_with_a_known_contact(session, settings, now)
        received = _submit(session, settings, now, actor_id=actor.id, new_actor=None,
                           sender_key=BROWSER)
        assert received.submission.status == "pending" and received.confirmation is None


def test_picking_a_trusted_actor_from_an_unknown_address_still_waits(factory, settings, now):
    """No link either: the stranger could confirm his own address."""
    settings = settings.with_overrides(smtp_host="127.0.0.1")
    with transaction(factory) as session:
        actor = _trusted_actor_with_a_known_contact(session, settings, now)
        received = submissions.submit(
            session, kind="event", data=event_data(actor_id=actor.id, new_actor=None),
            contact_email="quelquun@ailleurs.example", now=now, settings=settings)
        assert received.submission.status == "pending" and received.published_ids == []
        assert received.confirmation is None
    with transaction(factory) as session:
        assert "Atelier réparation de vélos" not in _listed_titles(session)


def test_an_actor_not_trusted_waits_even_from_a_known_address(factory, settings, now):
    settings = settings.with_overrides(smtp_host="127.0.0.1")
    with transaction(factory) as session:
        actor = _trusted_actor_with_a_known_contact(session, settings, now)
        actor.trusted = False
        received = _submit(session, settings, now, actor_id=actor.id, new_actor=None)
        assert received.submission.status == "pending" and received.confirmation is None


def test_trusting_an_actor_is_audited(factory, settings, now):
    with transaction(factory) as session:
        actor = Actor(name="Coopérative Oxalis")
        session.add(actor)
        staff = add_staff(session, role="admin")
        moderation.set_actor_trusted(session, actor, True, user=staff, now=now)
    with transaction(factory) as session:
        assert session.scalar(select(Actor.trusted)) is True
        (entry,) = list_audit(session)
        assert entry.detail == {"actor": "Coopérative Oxalis", "trusted": True}


def test_the_campaign_chosen_in_the_form_is_kept_on_the_event(factory, settings, now):
    with transaction(factory) as session:
        campaign = Campaign(slug="mois-ess-2026", name="Mois de l'ESS 2026",
                            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))
        session.add(campaign)
        session.flush()
        received = _submit(session, settings, now, campaign_id=campaign.id)
        assert received.submission.campaign_id == campaign.id
        (event_id,) = moderation.approve(session, received.submission,
                                         user=add_staff(session), now=now, settings=settings)
    with transaction(factory) as session:
        assert session.get(Event, event_id).campaign_id == campaign.id


def test_an_approved_initiative_is_published_and_withdrawn_on_cancel(factory, settings, now):
    with transaction(factory) as session:
        received = _submit(session, settings, now, kind="initiative")
        assert moderation.approve(session, received.submission, user=add_staff(session),
                                  now=now, settings=settings) == []
    with transaction(factory) as session:
        initiative = session.scalar(select(Initiative))
        assert (initiative.title, initiative.department) == ("Épicerie solidaire itinérante",
                                                             "18")
        assert initiative.actor.name == "Les Paniers du Berry"
        submission = submissions.find_by_secret(session, received.secret)
        submissions.cancel_by_submitter(session, submission, now=now)
    with transaction(factory) as session:
        assert session.scalar(select(Initiative.removed_at)) is not None


def test_the_first_approval_of_a_new_instance_builds_the_search_index(factory, settings, now):
    """Regression: with no collection yet there was no index, and indexing the approved event
    failed quietly (the search then answered from SQL only, accents mattering)."""
    from agenda.search import open_search
    from agenda.services.publication import index_events

    search = open_search(settings)
    with transaction(factory) as session:
        received = _submit(session, settings, now)
        ids = moderation.approve(session, received.submission, user=add_staff(session),
                                 now=now, settings=settings)
    with transaction(factory) as session:
        index_events(search, session, ids)
    found = search.event_ids(Filters(q="reparation velos"), window=WINDOW)
    assert found == ids
