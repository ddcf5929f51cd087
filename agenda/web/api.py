"""The JSON API: occurrences in a window, and the sources with their health."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, request

from agenda.serialize import occurrence_dict, source_dict
from agenda.store.occurrences import OccurrenceQuery, query_occurrences
from agenda.store.sources import list_sources
from agenda.web import db_session, state

bp = Blueprint("api", __name__)

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_SPAN_DAYS = 3660


class BadQuery(ValueError):
    """A query parameter is malformed: answered with HTTP 400 and the sentence."""


@bp.errorhandler(BadQuery)
def bad_query(error: BadQuery):
    return jsonify({"error": str(error)}), 400


@bp.get("/events")
def events():
    query = _occurrence_query(request.args)
    total, rows = query_occurrences(db_session(), query)
    tz = state().settings.tz
    return jsonify({"total": total, "items": [occurrence_dict(o, default_tz=tz) for o in rows]})


@bp.get("/sources")
def sources():
    return jsonify({"items": [source_dict(s, n) for s, n in list_sources(db_session())]})


def _occurrence_query(args) -> OccurrenceQuery:
    tz = state().settings.tz
    today = datetime.now(tz).date()
    first = _date_arg(args, "from", today)
    last = _date_arg(args, "to", first + timedelta(days=365))
    if last < first:
        raise BadQuery("'to' must not be before 'from'.")
    if (last - first).days > MAX_SPAN_DAYS:
        raise BadQuery(f"The window may not exceed {MAX_SPAN_DAYS} days.")
    page = _int_arg(args, "page", 1, low=1, high=100_000)
    per_page = _int_arg(args, "per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    source = _int_arg(args, "source", None, low=1, high=2**31 - 1)
    return OccurrenceQuery(start=_midnight(first, tz), end=_midnight(last + timedelta(days=1), tz),
                           source_id=source, offset=(page - 1) * per_page, limit=per_page)


def _date_arg(args, name: str, default: date) -> date:
    value = args.get(name)
    if not value:
        return default
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"'{name}' must be a date written YYYY-MM-DD.") from None
    if not 1900 <= parsed.year <= 2200:
        raise BadQuery(f"'{name}' must be a year between 1900 and 2200.")
    return parsed


def _int_arg(args, name: str, default, *, low: int, high: int):
    value = args.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadQuery(f"'{name}' must be a whole number.") from None
    if not low <= number <= high:
        raise BadQuery(f"'{name}' must be between {low} and {high}.")
    return number


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz).astimezone(timezone.utc)
