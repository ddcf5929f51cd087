"""Public pages.  For now the home page: upcoming events by day, and the sources' health."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import groupby

from flask import Blueprint, render_template
from sqlalchemy import text

from agenda.store.occurrences import OccurrenceQuery, query_occurrences
from agenda.store.sources import list_sources
from agenda.web import db_session, state

bp = Blueprint("public", __name__)

HOME_DAYS = 60
HOME_LIMIT = 200


@bp.get("/")
def home():
    tz = state().settings.tz
    now = datetime.now(timezone.utc)
    query = OccurrenceQuery(start=now, end=now + timedelta(days=HOME_DAYS), limit=HOME_LIMIT)
    total, occurrences = query_occurrences(db_session(), query)
    days = [(day, list(items)) for day, items in
            groupby(occurrences, key=lambda o: o.start_date or o.start_at.astimezone(tz).date())]
    return render_template("public/home.html", days=days, total=total, tz=tz,
                           sources=list_sources(db_session()))


@bp.get("/healthz")
def healthz():
    db_session().execute(text("SELECT 1"))
    return {"status": "ok"}
