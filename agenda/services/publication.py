"""Publish a proposal (an event into the calendar, an initiative or an actor into the
directory), withdraw it, and bring the search index in line once the transaction has committed.

An approved event goes through the same storage as a collected one (the "form" source, keyed by
the proposal's reference), so the listing, the search and every feed show it at once.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Iterable

from sqlalchemy.orm import Session

from agenda.collectors.normalize import with_themes
from agenda.collectors.sanitize import html_to_text
from agenda.models import Actor, Submission
from agenda.region import cached_region
from agenda.services.event_actors import link_event_actors
from agenda.services.merging import match_events, settle_removed
from agenda.services.proposal_record import event_record
from agenda.settings import Settings
from agenda.store.actors import get_or_create_actor
from agenda.store.events import put_event, withdraw_event
from agenda.store.form_source import form_source
from agenda.store.initiatives import put_initiative, withdraw_initiative
from agenda.store.link_edits import add_initiative_actor

log = logging.getLogger(__name__)


def publish(session: Session, submission: Submission, *, now: datetime,
            settings: Settings) -> list[str]:
    """Publish the proposal as it is now; returns the event ids to re-index."""
    actor = resolve_actor(session, submission)
    if submission.kind == "initiative":
        _publish_initiative(session, submission, actor, now=now)
        ids = []
    elif submission.kind == "actor":
        _publish_actor(session, submission, now=now)
        ids = []
    else:
        event_id = _publish_event(session, submission, actor, now=now, settings=settings)
        matched = match_events(session, [event_id], now=now, tz=settings.tz)
        session.flush()  # the submission's actor, read by the links
        link_event_actors(session, [event_id])
        ids = [event_id, *sorted(matched.touched - {event_id})]
    submission.published_data = dict(submission.data)
    submission.status = "approved"
    session.flush()
    return ids


def withdraw(session: Session, submission: Submission, *, now: datetime) -> list[str]:
    """Take the published version down (the event leaves the calendar); ids to re-index."""
    if submission.initiative_id:
        withdraw_initiative(session, submission.initiative_id, now=now)
    if submission.event_id and withdraw_event(session, submission.event_id, now=now):
        touched = settle_removed(session, [submission.event_id], now=now)
        return [submission.event_id, *sorted(touched - {submission.event_id})]
    return []


def resolve_actor(session: Session, submission: Submission) -> Actor | None:
    """The organiser: the actor picked in the form, or the new one it describes (created, or
    found by its name, on first publication)."""
    if submission.actor is not None:
        return submission.actor
    described = submission.data.get("new_actor") or {}
    if not described.get("name"):
        return None
    actor = get_or_create_actor(session, described["name"], kind=described.get("kind") or None,
                                website=described.get("website") or None)
    submission.actor = actor
    return actor


def index_events(search, session: Session, event_ids: Iterable[str]) -> None:
    """After the commit: (re)index these events, first building the index if there is none yet
    (or catching a damaged one up).  Never raises: a failure is logged and the index catches
    up at the next collection (the listing reads the database meanwhile)."""
    ids = list(event_ids)
    if not ids or search is None:
        return
    try:
        search.catch_up(session)
        search.index(session, ids)
    except Exception as error:
        log.warning("search index not updated for %s event(s) (%r); it will catch up",
                    len(ids), error)


def _publish_event(session, submission: Submission, actor: Actor | None, *, now,
                   settings: Settings) -> str:
    record = event_record(submission.data, uid=submission.reference, tz=settings.tz,
                          organizer=actor.name if actor else None)
    record = _with_chosen_themes(record, cached_region(settings.region_file))
    source = form_source(session, now=now)
    event_id = put_event(session, source.id, record, now=now, tz=settings.tz,
                         campaign_id=submission.data.get("campaign_id"))
    submission.event_id = event_id
    return event_id


def _with_chosen_themes(record, region):
    """The themes the submitter chose (as CATEGORIES too, in French); when none was chosen, the
    ones its title speaks of, as for collected events."""
    chosen = [region.theme(slug) for slug in record.themes]
    labels = tuple(theme.label_fr for theme in chosen if theme is not None)
    if not labels:
        return with_themes(record, region)
    return replace(record, categories=labels)


def _publish_initiative(session, submission: Submission, actor: Actor | None, *, now) -> None:
    data = submission.data
    values = {
        "title": data["title"],
        "description_html": data.get("description_html") or "",
        "description_text": html_to_text(data.get("description_html")),
        "actor_id": actor.id if actor else None,
        "themes": list(data.get("themes") or []),
        "department": data.get("department") or None,
        "territory": data.get("territory") or None,
        "url": data.get("url") or None,
        "status": data.get("status") or "active",
    }
    initiative = put_initiative(session, submission.initiative_id, values, now=now)
    submission.initiative_id = initiative.id
    if actor is not None:  # the main actor is one of its actors too
        add_initiative_actor(session, initiative.id, actor.id)


def _publish_actor(session, submission: Submission, *, now) -> None:
    """An approved actor proposal creates its actor (or updates the one it made before, or
    the one its numbers or name already identify), confirmed (``agenda.services.actors``)."""
    from agenda.errors import ProposalError
    from agenda.messages import N_
    from agenda.services.actors import ActorRefused, save_actor, values_of_proposal

    made = session.get(Actor, submission.data["actor_id"]) if submission.data.get(
        "actor_id") else None
    try:
        actor, _problems = save_actor(session, values_of_proposal(submission.data),
                                      origin="proposal", status="confirmed", actor=made, now=now)
    except ActorRefused as refused:
        raise ProposalError(N_("This actor cannot be published as it is: another actor has its "
                               "name or number, or a value is not valid. Edit the proposal."),
                            code="proposal.actor_refused", problems=refused.problems) from refused
    submission.actor = actor
    submission.data = {**submission.data, "actor_id": actor.id}

