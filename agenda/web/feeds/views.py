"""Subscriptions: every listing as iCalendar and Atom, with the same filters as the page.

Endpoints (their names are used by the pages): ``feeds.calendar_ics`` (/calendar.ics),
``feeds.atom`` (/feed.atom), ``feeds.event_ics`` (/events/<event_id>.ics).

Each answer carries an ETag (the body's hash) and a Last-Modified, and is a 304 when the
client's copy is current.  A bad query string is a 400 with a sentence.

``/calendar.ics`` covers a bounded window and at most ``feed_max_events`` events (see
agenda.export.bounds).  Bodies are keyed by (kind, canonical filters, data version, day):
cached per process in front (a repeated request costs one small SQL query), and in the
database behind (agenda.export.shared_cache), so that one worker builds a feed and every
worker and machine serves it.  A request that makes the site build a feed counts against the
client's ``feed_miss_rate_limit`` (a 429 beyond it); one that finds it built never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    copy_current_request_context,
    current_app,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict

from agenda.errors import NotFound
from agenda.export.bounds import FeedBounds, canonical, filter_key, version_key
from agenda.export.conditional import etag_of, http_date, is_not_modified
from agenda.export.priority import run_nicer
from agenda.export.responses import Rendered, ResponseCache
from agenda.export.shared_cache import FeedBusy, SharedFeeds, SharedPolicy
from agenda.export.subscription import (
    EventGone,
    Exporter,
    FeedLinks,
    atom_for,
    calendar_for,
    event_calendar,
)
from agenda.export.version import read_version
from agenda.listing.filters import BadFilter, Filters, parse_filters, to_query
from agenda.region import cached_region
from agenda.store.feed_cache import FeedKey
from agenda.web import db_session, state
from agenda.web.campaigns.scope import with_campaign
from agenda.web.feeds.limits import FeedRateLimited, limit_feed_misses

bp = Blueprint("feeds", __name__)

MAX_QUERY_LENGTH = 2000
ICS_TYPE = "text/calendar; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
CACHE_CONTROL = "public, max-age=300"
STALE_CACHE_CONTROL = "public, max-age=5"  # an older version, served while it is rebuilt
CASE_FOLDED = {"mode": str.lower, "sort": str.lower, "theme": str.lower, "dept": str.upper}
_EVENT_ID = re.compile(r"[0-9a-f]{1,32}")


class BadParameter(BadFilter):
    """A parameter only the API and the feeds take, or their own limits (their answers are
    English sentences; the pages never show these)."""


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class ExportState:
    """Per application: the exporter (with its VEVENT cache), the response cache, the feeds
    shared through the database, the clock (tests freeze it)."""

    exporter: Exporter
    shared: SharedFeeds
    responses: ResponseCache = field(default_factory=ResponseCache)
    clock: Callable[[], datetime] = _utcnow

    def today(self) -> date:
        return self.clock().astimezone(self.exporter.tz).date()

    def epoch(self) -> int:
        """Changes every ``responses.max_age`` seconds: the last resort against a change the
        data version cannot see, in the shared cache as in the process's."""
        return int(self.clock().timestamp() // self.responses.max_age)


@bp.record_once
def create_export_state(setup) -> None:
    """Made once with the application (not lazily: gunicorn threads would race)."""
    agenda = setup.app.extensions["agenda"]
    settings = agenda.settings
    bounds = FeedBounds(settings.feed_past_days, settings.feed_future_days,
                        settings.feed_max_events)
    exporter = Exporter(cached_region(settings.region_file), settings.tz, bounds=bounds)
    policy = SharedPolicy(stale_for=timedelta(seconds=settings.feed_stale_seconds),
                          wait_for=settings.feed_build_wait_seconds,
                          max_bytes=settings.feed_cache_max_bytes)
    exports = ExportState(exporter, SharedFeeds(agenda.session_factory, policy, clock=_utcnow))
    exports.shared.clock = lambda: exports.clock()  # the state's clock, even once replaced
    setup.app.extensions["agenda_exports"] = exports


def export_state() -> ExportState:
    return current_app.extensions["agenda_exports"]


def request_filters() -> Filters:
    """This request's filters; BadFilter (a 400) for anything malformed or hostile."""
    if len(request.query_string) > MAX_QUERY_LENGTH:
        raise BadParameter(f"The query string may not exceed {MAX_QUERY_LENGTH} characters.")
    return with_campaign(canonical(parse_filters(folded_args(request.args),
                                                 region=export_state().exporter.region)))


def folded_args(args: MultiDict) -> MultiDict:
    """The query string without empty values, surrounding spaces, or case differences in the
    enumerated parameters (``MODE=Online`` is ``mode=online``)."""
    folded = MultiDict()
    for key, value in args.items(multi=True):
        value = value.strip()
        if value:
            folded.add(key, CASE_FOLDED.get(key, str)(value))
    return folded


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return Response(f"{error}\n", 400, mimetype="text/plain")


@bp.app_errorhandler(FeedRateLimited)
def too_many_builds(error: FeedRateLimited):
    return Response(f"{error}\n", 429, mimetype="text/plain",
                    headers={"Retry-After": str(error.data["retry_after"])})


@bp.app_errorhandler(FeedBusy)
def busy(error: FeedBusy):
    return Response(f"{error}\n", 503, mimetype="text/plain",
                    headers={"Retry-After": str(error.data["retry_after"])})


@bp.errorhandler(NotFound)
def not_found(error: NotFound):
    status = 410 if isinstance(error, EventGone) else 404
    return Response(f"{error}\n", status, mimetype="text/plain")


@bp.get("/calendar.ics")
def calendar_ics():
    exporter = export_state().exporter
    filters = exporter.bounds.clamp(request_filters(), export_state().today())

    def build(session, today) -> bytes:
        return calendar_for(session, filters, today=today, exporter=exporter,
                            search=state().search)

    return cached_response("ics", filters, build, ICS_TYPE,
                           {"Content-Disposition": 'inline; filename="agenda-commun.ics"'})


@bp.get("/feed.atom")
def atom():
    filters = request_filters()
    exporter = export_state().exporter
    links = feed_links(filters)

    def build(session, today) -> bytes:
        return atom_for(session, filters, today=today, exporter=exporter, links=links,
                        updated=exporter.midnight(today), search=state().search)

    return cached_response("atom", filters, build, ATOM_TYPE, host=request.host_url)


@bp.get("/events/<event_id>.ics")
def event_ics(event_id: str):
    if not _EVENT_ID.fullmatch(event_id):
        abort(404)
    body, last_modified = event_calendar(db_session(), event_id,
                                         exporter=export_state().exporter)
    rendered = Rendered(body, etag_of(body), last_modified, made_at=0.0)
    return conditional(rendered, ICS_TYPE, {
        "Content-Disposition": f'attachment; filename="evenement-{event_id}.ics"'})


def cached_response(kind: str, filters: Filters, build, mimetype: str, headers=None, *,
                    host: str = "") -> Response:
    """The body for (kind, host, filters, day, data version): from this process's cache, else
    from the database's (built there once, by one worker, when missing)."""
    session = db_session()
    version = read_version(session)
    exports = export_state()
    today = exports.today()
    last_modified = max(filter(None, [version.changed_at, exports.exporter.midnight(today)]))
    key = FeedKey(kind, filter_key(filters, host=host),
                  version_key(version.key, exports.epoch(), exports.exporter.bounds), today)
    rendered = exports.responses.get(key)
    if rendered is not None:
        return conditional(rendered, mimetype, headers)
    in_context = copy_current_request_context(lambda: build(session, today))

    def build_now() -> bytes:
        """A feed asked for the first time is built at a lower priority (a client asking a new
        one each time must not slow the pages); a rebuild after a collection is not (the
        others serve the previous body meanwhile, and it must not starve)."""
        nice = 0 if exports.shared.built_before(key) else state().settings.feed_build_nice
        return run_nicer(in_context, nice=nice)

    served = exports.shared.get_or_build(key, build_now,
                                         last_modified=last_modified,
                                         changed_at=version.changed_at,
                                         on_miss=limit_feed_misses)
    if not served.fresh:  # the previous version while another worker builds this one
        stale = Rendered(served.body, served.etag, served.last_modified, made_at=0.0)
        return conditional(stale, mimetype, {**(headers or {}),
                                             "Cache-Control": STALE_CACHE_CONTROL})
    rendered = exports.responses.put(key, served.body, etag=served.etag,
                                     last_modified=served.last_modified)
    return conditional(rendered, mimetype, headers)


def conditional(rendered: Rendered, content_type: str, headers: dict | None = None) -> Response:
    """A 200 with the body, or a 304 when the request's validators match."""
    validators = {"ETag": rendered.etag, "Cache-Control": CACHE_CONTROL}
    if rendered.last_modified is not None:
        validators["Last-Modified"] = http_date(rendered.last_modified)
    validators.update(headers or {})
    if is_not_modified(etag=rendered.etag, last_modified=rendered.last_modified,
                       if_none_match=request.headers.get("If-None-Match"),
                       if_modified_since=request.headers.get("If-Modified-Since")):
        return Response(status=304, headers=validators)
    return Response(rendered.body, content_type=content_type, headers=validators)


def feed_links(filters: Filters) -> FeedLinks:
    args = filter_args(filters)
    return FeedLinks(
        self_url=url_for("feeds.atom", _external=True, **args),
        alternate_url=url_for("public.home", _external=True, **args),
        page_url=event_page_url)


def event_page_url(event_id: str, day: str | None = None) -> str:
    """The event's page, or the page of its date ``day`` (YYYY-MM-DD, local)."""
    if day:
        return url_for("public.occurrence", event_id=event_id, day=day, _external=True)
    return url_for("public.event", event_id=event_id, _external=True)


def filter_args(filters: Filters) -> dict[str, list[str]]:
    args: dict[str, list[str]] = {}
    for key, value in to_query(filters):
        args.setdefault(key, []).append(value)
    return args
