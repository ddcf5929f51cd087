"""What the event and initiative pages show of the links: who organises the event and the
initiatives it is part of, an initiative's actors and events, and for signed-in staff the
choices of the panel that links and unlinks them (``agenda.web.links.views``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user
from sqlalchemy import select

from agenda.models import Actor, Event, Initiative
from agenda.store.links import (
    SHOWN_ACTOR_STATUSES,
    actors_of_event,
    actors_of_initiative,
    events_of_initiative,
    initiatives_of_event,
)
from agenda.web import db_session
from agenda.web.shared.dates import now_utc

MAX_CHOICES = 5000  # actors offered in the staff panel's list (a text box with suggestions)
INITIATIVE_EVENTS = 20
# The public page of an actor, by the endpoint its engineer named it (the first that exists)
ACTOR_ENDPOINTS = ("actors.actor_page", "actors.actor")


@dataclass(frozen=True)
class ShownActor:
    actor: Actor
    url: str
    main: bool = False  # the initiative's main actor (``Initiative.actor_id``)

    @property
    def to_check(self) -> bool:
        return self.actor.status == "to_check"


def actor_url(actor_id: int) -> str:
    """The actor's public page (``/actors/<id>``)."""
    for endpoint in ACTOR_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, actor_id=actor_id)
    return f"/actors/{actor_id}"


def is_staff() -> bool:
    return bool(current_user.is_authenticated)


def event_links_context(event: Event) -> dict:
    """For the event page: ``linked_actors``, ``linked_initiatives`` and, for staff,
    ``link_panel`` (the choices) or None."""
    session = db_session()
    actors = [ShownActor(a, actor_url(a.id)) for a in actors_of_event(session, event.id)]
    initiatives = initiatives_of_event(session, event.id)
    panel = None
    if is_staff():
        panel = {"actor_names": actor_names(), "initiatives": [
            i for i in published_initiative_choices() if i not in initiatives]}
    return {"linked_actors": actors, "linked_initiatives": initiatives, "link_panel": panel}


def initiative_links_context(initiative: Initiative) -> dict:
    """For the initiative's page: its actors (the main one first), its upcoming and past
    events, and for staff the actors' names to add one."""
    session, now = db_session(), now_utc()
    actors = actors_of_initiative(session, initiative.id)
    main = initiative.actor
    shown = [ShownActor(main, actor_url(main.id), True)] if main is not None and \
        main.removed_at is None and main.status in SHOWN_ACTOR_STATUSES else []
    shown += [ShownActor(a, actor_url(a.id)) for a in actors if main is None or a.id != main.id]
    return {
        "initiative_actors": shown,
        "upcoming_events": events_of_initiative(session, initiative.id, now=now, upcoming=True,
                                                limit=INITIATIVE_EVENTS),
        "past_events": events_of_initiative(session, initiative.id, now=now, upcoming=False,
                                            limit=INITIATIVE_EVENTS),
        "actor_names": actor_names() if is_staff() else None,
    }


def actor_names() -> list[str]:
    """The names staff may pick (actors not removed), for the text box's suggestions."""
    return list(db_session().scalars(select(Actor.name).where(Actor.removed_at.is_(None))
                                     .order_by(Actor.name).limit(MAX_CHOICES)))


def published_initiative_choices() -> list[Initiative]:
    return list(db_session().scalars(select(Initiative).where(Initiative.removed_at.is_(None))
                                     .order_by(Initiative.title).limit(MAX_CHOICES)))
