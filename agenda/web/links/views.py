"""Staff links by hand (``/admin/links/...``): who organises an event and the initiatives it is
part of (from the panel of the event's page), and an initiative's actors (from its page).

Every action is a POST with the CSRF token, for signed-in staff only; it is written in the
audit log, bumps the data version (``agenda.store.link_edits``), is committed, and goes back to
the page it came from with a sentence.  A link to a copy merged into another event is made on
the listed event.  An unknown event or initiative is a 404; an actor that is not found by the
name typed says so and changes nothing.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from agenda.models import Actor, Event, Initiative
from agenda.store import link_edits
from agenda.store.audit import add_audit
from agenda.text_clean import clean_line
from agenda.web import db_session
from agenda.web.admin.views import staff_headers
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("event_links", __name__, url_prefix="/admin/links")
bp.after_request(staff_headers)

_ID = re.compile(r"[0-9a-f]{1,32}")
NOT_FOUND = "links-error"  # flash categories the pages show beside the panel
DONE = "links-success"


@bp.post("/events/<event_id>/actors")
@staff_required
def link_actor(event_id: str):
    event = _listed_event(event_id)
    actor = _actor_asked()
    if actor is None:
        return _back_to_event(event, gettext("No actor has this name: nothing was changed."))
    if link_edits.link_event_actor(db_session(), event.id, actor.id):
        _audit("event_actor_link", event=event, actor=actor)
    return _back_to_event(event, gettext("%(actor)s is now an organiser of this event.",
                                         actor=actor.name), DONE)


@bp.post("/events/<event_id>/actors/<int:actor_id>/remove")
@staff_required
def unlink_actor(event_id: str, actor_id: int):
    event = _listed_event(event_id)
    actor = db_session().get(Actor, actor_id) if actor_id < 2**31 else None
    if actor is None:
        abort(404)
    if link_edits.unlink_event_actor(db_session(), event.id, actor.id):
        _audit("event_actor_unlink", event=event, actor=actor)
    return _back_to_event(event, gettext("%(actor)s is no longer an organiser of this event.",
                                         actor=actor.name), DONE)


@bp.post("/events/<event_id>/initiatives")
@staff_required
def link_initiative(event_id: str):
    event = _listed_event(event_id)
    initiative = _initiative_or_none(request.form.get("initiative", ""))
    if initiative is None or initiative.removed_at is not None:
        return _back_to_event(event, gettext("Choose an initiative: nothing was changed."))
    if link_edits.link_event_initiative(db_session(), event.id, initiative.id):
        _audit("event_initiative_link", event=event, initiative=initiative)
    return _back_to_event(event, gettext("This event is now part of the initiative "
                                         "“%(title)s”.", title=initiative.title), DONE)


@bp.post("/events/<event_id>/initiatives/<initiative_id>/remove")
@staff_required
def unlink_initiative(event_id: str, initiative_id: str):
    event = _listed_event(event_id)
    initiative = _initiative_or_none(initiative_id)
    if initiative is None:
        abort(404)
    if link_edits.unlink_event_initiative(db_session(), event.id, initiative.id):
        _audit("event_initiative_unlink", event=event, initiative=initiative)
    return _back_to_event(event, gettext("This event is no longer part of the initiative "
                                         "“%(title)s”.", title=initiative.title), DONE)


@bp.post("/initiatives/<initiative_id>/actors")
@staff_required
def add_initiative_actor(initiative_id: str):
    initiative = _initiative_or_404(initiative_id)
    actor = _actor_asked()
    if actor is None:
        return _back_to_initiative(initiative, gettext("No actor has this name: nothing was "
                                                       "changed."))
    if link_edits.add_initiative_actor(db_session(), initiative.id, actor.id):
        _audit("initiative_actor_add", initiative=initiative, actor=actor)
    return _back_to_initiative(initiative, gettext("%(actor)s is now one of the actors of this "
                                                   "initiative.", actor=actor.name), DONE)


@bp.post("/initiatives/<initiative_id>/actors/<int:actor_id>/remove")
@staff_required
def remove_initiative_actor(initiative_id: str, actor_id: int):
    initiative = _initiative_or_404(initiative_id)
    actor = db_session().get(Actor, actor_id) if actor_id < 2**31 else None
    if actor is None:
        abort(404)
    if actor.id == initiative.actor_id:
        return _back_to_initiative(initiative, gettext(
            "%(actor)s carries this initiative: it stays among its actors.", actor=actor.name))
    if link_edits.remove_initiative_actor(db_session(), initiative.id, actor.id):
        _audit("initiative_actor_remove", initiative=initiative, actor=actor)
    return _back_to_initiative(initiative, gettext("%(actor)s is no longer one of the actors "
                                                   "of this initiative.", actor=actor.name), DONE)


def _listed_event(event_id: str) -> Event:
    """The listed event (a copy leads to the event it is merged into); 404 when unknown or
    removed."""
    if not _ID.fullmatch(event_id):
        abort(404)
    listed_id = link_edits.listed_event_id(db_session(), event_id)
    event = db_session().get(Event, listed_id) if listed_id else None
    if event is None or event.removed_at is not None:
        abort(404)
    return event


def _actor_asked() -> Actor | None:
    """The actor the form names: by its number, else by its exact name (not removed)."""
    value = clean_line(request.form.get("actor", ""))[:200]
    if not value:
        return None
    number = value.lstrip("#")
    query = select(Actor).where(Actor.removed_at.is_(None))
    if number.isascii() and number.isdigit() and int(number) < 2**31:
        return db_session().scalar(query.where(Actor.id == int(number)))
    return db_session().scalar(query.where(Actor.name == value))


def _initiative_or_none(initiative_id: str) -> Initiative | None:
    initiative_id = initiative_id.strip()
    if not _ID.fullmatch(initiative_id):
        return None
    return db_session().get(Initiative, initiative_id)


def _initiative_or_404(initiative_id: str) -> Initiative:
    initiative = _initiative_or_none(initiative_id)
    if initiative is None or initiative.removed_at is not None:
        abort(404)
    return initiative


def _audit(action: str, *, actor: Actor | None = None, event: Event | None = None,
           initiative: Initiative | None = None) -> None:
    detail: dict = {}
    if actor is not None:
        detail.update(actor=actor.name, actor_id=actor.id)
    if event is not None:
        detail.update(event_id=event.id, event_title=event.title)
    if initiative is not None:
        detail.update(initiative=initiative.title, initiative_id=initiative.id)
    add_audit(db_session(), action=action, who=current_user.email, now=now_utc(),
              user_id=current_user.id, detail=detail)


def _back_to_event(event: Event, message: str, category: str = NOT_FOUND):
    db_session().commit()
    flash(message, category)
    return redirect(url_for("public.event", event_id=event.id, _anchor="liens"))


def _back_to_initiative(initiative: Initiative, message: str, category: str = NOT_FOUND):
    db_session().commit()
    flash(message, category)
    return redirect(url_for("initiatives.initiative", initiative_id=initiative.id,
                            _anchor="acteurs"))
