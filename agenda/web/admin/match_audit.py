"""The events an audit line of the duplicates review names ("first", "second" in its detail):
each as its title, a link to its page (its id alone when the event is gone)."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from agenda.models import Event
from agenda.web import db_session
from agenda.web.shared.i18n import content_lang

NO_EVENT = "—"


def match_event_link(event_id: object) -> Markup | str:
    if not isinstance(event_id, str) or not event_id:
        return NO_EVENT
    event = db_session().get(Event, event_id)
    title = event.title if event is not None else event_id
    href = url_for("public.event", event_id=event_id)
    return Markup('<a href="{}"{}>{}</a>').format(href, content_lang(), title)
