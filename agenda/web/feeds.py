"""Subscriptions: every listing as iCalendar and Atom, with the same filters as the page.

Endpoints (their names are used by the pages): ``feeds.calendar_ics`` (/calendar.ics),
``feeds.atom`` (/feed.atom), ``feeds.event_ics`` (/events/<event_id>.ics).
"""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("feeds", __name__)


@bp.get("/calendar.ics")
def calendar_ics():
    abort(501)


@bp.get("/feed.atom")
def atom():
    abort(501)


@bp.get("/events/<event_id>.ics")
def event_ics(event_id: str):
    abort(501)
