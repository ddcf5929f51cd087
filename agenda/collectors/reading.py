"""Read a source: every document it takes (one calendar, API pages, the event pages of a
listing), parsed into one :class:`Reading`.

``read_source`` is what the orchestrator calls between "fetch" and "store".  ``kind="auto"``
decides from the address first (:func:`~agenda.collectors.source_urls.kind_of_url`), then from
the first document (:func:`~agenda.collectors.detect.detect_kind`).  The one-document formats
(ics, feed) keep their short cuts: a 304, or a body whose hash is ``known_digest``, is not
parsed (``Reading.not_modified`` / ``Reading.unchanged``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from agenda.collectors.detect import detect_kind
from agenda.collectors.expansion_budget import ExpansionLimits
from agenda.collectors.feed import parse_feed
from agenda.collectors.fetcher import FetchResult, fetch
from agenda.collectors.fingerprint import body_hash
from agenda.collectors.ical import parse_ical
from agenda.collectors.read_budget import ReadContext
from agenda.collectors.read_jsonld import read_jsonld
from agenda.collectors.read_openagenda import read_openagenda
from agenda.collectors.read_tribe import read_tribe
from agenda.collectors.reading_result import Reading
from agenda.collectors.source_urls import kind_of_url
from agenda.records import ParseResult
from agenda.settings import Settings

ONE_DOCUMENT_KINDS = ("ics", "feed")
PAGED_KINDS = ("openagenda", "tribe")
__all__ = ["Reading", "read_source", "parse_document", "wants_validators"]


def read_source(url: str, *, kind: str, settings: Settings, now: datetime,
                fetch_func=fetch, api_key: str | None = None, sync_state: dict | None = None,
                etag: str | None = None, last_modified: str | None = None,
                known_digest: str | None = None,
                on_document: Callable[[], None] | None = None,
                parse_func: Callable[..., ParseResult] | None = None) -> Reading:
    """Read the source at ``url``; raise :class:`~agenda.errors.CollectError` when nothing
    usable came back.

    ``api_key`` goes only in OpenAgenda's ``key`` header; ``sync_state`` is the one the last
    reading returned; ``etag``/``last_modified`` are sent for a one-document source only;
    ``on_document`` is called after each document fetched (the orchestrator renews its claim);
    ``parse_func`` replaces :func:`parse_document` for ics and feed (the orchestrator's stage).
    """
    context = ReadContext(settings=settings, now=now, fetch_func=fetch_func,
                          on_document=on_document)
    known = kind if kind != "auto" else kind_of_url(url)
    if known in PAGED_KINDS:
        return _read_paged(known, url, context, api_key=api_key, sync_state=sync_state)
    conditional = known in (None, *ONE_DOCUMENT_KINDS)
    first = context.fetch(url, etag=etag if conditional else None,
                          last_modified=last_modified if conditional else None)
    if first.not_modified:
        return Reading(format=kind, parsed=ParseResult(format=kind), first=first)
    fmt = detect_kind(first.body, first.content_type, declared=kind)
    if fmt in ONE_DOCUMENT_KINDS:
        return _read_one_document(fmt, first, settings=settings, now=now,
                                  known_digest=known_digest, parse=parse_func or parse_document)
    if fmt == "jsonld":
        return read_jsonld(first, context)
    return _read_paged(fmt, url, context, api_key=api_key, sync_state=sync_state, first=first)


def wants_validators(kind: str, detected_format: str | None) -> bool:
    """Whether a conditional GET can tell that the whole source is unchanged: only for
    one-document sources (a listing's event pages, an API's pages change behind it)."""
    fmt = detected_format if kind == "auto" else kind
    return fmt in (None, *ONE_DOCUMENT_KINDS)


def _read_one_document(fmt: str, first: FetchResult, *, settings: Settings, now: datetime,
                       known_digest: str | None, parse: Callable[..., ParseResult]) -> Reading:
    digest = body_hash(first.body)
    if known_digest is not None and digest == known_digest:
        return Reading(format=fmt, parsed=ParseResult(format=fmt), first=first, digest=digest,
                       unchanged=True)
    parsed = parse(fmt, first, now=now, settings=settings)
    return Reading(format=fmt, parsed=parsed, first=first, digest=digest)


def _read_paged(fmt: str, url: str, context: ReadContext, *, api_key: str | None,
                sync_state: dict | None, first: FetchResult | None = None) -> Reading:
    if fmt == "openagenda":
        return read_openagenda(url, context, api_key=api_key, sync_state=sync_state,
                               first=first)
    return read_tribe(url, context, first=first)


def parse_document(fmt: str, fetched: FetchResult, *, now: datetime,
                   settings: Settings) -> ParseResult:
    """Run the parser of a one-document format (``ics`` or ``feed``) on the fetched bytes."""
    if fmt == "ics":
        window = (now - timedelta(days=settings.window_past_days),
                  now + timedelta(days=settings.window_future_days))
        limits = ExpansionLimits(per_series=settings.max_occurrences_per_series,
                                 per_source=settings.max_occurrences_per_source,
                                 max_seconds=settings.max_parse_seconds)
        return parse_ical(fetched.body, default_tz=settings.tz, window=window, limits=limits)
    return parse_feed(fetched.body, default_tz=settings.tz, content_type=fetched.content_type,
                      url=fetched.url)
