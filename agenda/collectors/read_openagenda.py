"""Read an OpenAgenda agenda through the API v2, page after page (cursor ``after``).

The source's address is the API's events address ``<root>/v2/agendas/<uid>/events`` or the
agenda's page ``https://openagenda.com/<slug>``, whose uid is asked of the API once
(``GET <root>/v2/agendas?slug=<slug>``) and kept in the sync state.  The source's API key
travels only in the ``key`` header (the fetcher drops it if a redirect leaves the API's
origin); no URL, sentence, log line or run record ever holds it.

Incremental sync (:mod:`agenda.collectors.openagenda_sync`): the first read is full; the next
ones ask only for the events updated since the last ``updatedAt`` seen, with the API's removal
markers, and are partial (the events they do not name stay as they are); every
``FULL_READ_EVERY`` a full read again catches anything missed.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from agenda.collectors.fetcher import FetchResult
from agenda.collectors.fingerprint import body_hash
from agenda.collectors.notice import Notice
from agenda.collectors.openagenda import (
    REFUSED_KEY_STATUSES,
    openagenda_request,
    parse_openagenda_page,
)
from agenda.collectors.openagenda_sync import SyncPlan, plan_sync
from agenda.collectors.read_budget import MAX_API_PAGES, ReadContext
from agenda.collectors.reading_result import Reading, add_page, combined_digest
from agenda.collectors.source_urls import (
    OpenAgendaAddress,
    openagenda_address,
    openagenda_slug_request,
)
from agenda.errors import FetchError, ParseError
from agenda.records import ParseResult


def read_openagenda(url: str, context: ReadContext, *, api_key: str | None,
                    sync_state: dict | None, first: FetchResult | None = None,
                    max_pages: int | None = None) -> Reading:
    """Every page of the agenda's events (or of its changes since the last read)."""
    max_pages = MAX_API_PAGES if max_pages is None else max_pages
    address = openagenda_address(url)
    uid = address and (address.uid or _known_uid(sync_state, url)
                       or _resolve_slug(address, context, api_key))
    plan = plan_sync(sync_state, url=url, agenda_uid=uid, now=context.now,
                     incremental=uid is not None)
    pages = _Pages(url, address, uid, plan, api_key)
    result, removed, digests = ParseResult(format="openagenda"), [], []
    cursor, seen, complete, fetched = None, set(), True, first
    while True:
        fetched = fetched or _fetch_page(context, pages.request(cursor), api_key)
        first = first or fetched
        page, cursor, page_removed = parse_openagenda_page(
            fetched.body, default_tz=context.settings.tz, status=fetched.status)
        add_page(result, page)
        removed.extend(page_removed)
        digests.append(body_hash(fetched.body))
        plan.saw_updates(_updated_ats(fetched.body))
        notice = _stop(context, cursor, seen, pages=len(digests), events=len(result.events),
                       max_pages=max_pages)
        if notice is not None:
            result.warnings.append(notice)
            complete = False
        if cursor is None or notice is not None:
            break
        seen.add(json.dumps(cursor))
        fetched = None
    return Reading(format="openagenda", parsed=result, first=first, documents=context.documents,
                   removed_uids=removed, partial=plan.incremental or not complete,
                   sync_state=plan.next_state(complete=complete), digest=combined_digest(digests))


class _Pages:
    """The request of each page: the API's helper for a known agenda, else the source's own
    address with the cursor in its query (an OpenAgenda-shaped answer at another address)."""

    def __init__(self, url: str, address: OpenAgendaAddress | None, uid: str | None,
                 plan: SyncPlan, api_key: str | None):
        self.url, self.address, self.uid, self.plan, self.key = url, address, uid, plan, api_key

    def request(self, cursor: list | None) -> tuple[str, dict[str, str]]:
        if self.address is None or self.uid is None:
            parts = urlsplit(self.url)
            query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                     if k != "after[]"] + [("after[]", str(value)) for value in cursor or ()]
            return urlunsplit(parts._replace(query=urlencode(query))), _headers({}, self.key)
        url, headers = openagenda_request(self.address.api_root, self.uid, key=self.key or "",
                                          after=cursor, updated_since=self.plan.updated_since)
        return url, _headers(headers, self.key)


def _headers(headers: dict[str, str], key: str | None) -> dict[str, str]:
    """The key header only when the source has a key (never an empty one)."""
    headers = {name: value for name, value in headers.items() if name != "key"}
    headers.setdefault("Accept", "application/json")
    if key:
        headers["key"] = key
    return headers


def _fetch_page(context: ReadContext, request: tuple[str, dict[str, str]],
                api_key: str | None) -> FetchResult:
    url, headers = request
    try:
        return context.fetch(url, headers=headers)
    except FetchError as error:
        status = error.data.get("status")
        if error.code != "fetch.http_status" or status not in REFUSED_KEY_STATUSES:
            raise
        if not api_key:
            raise ParseError("OpenAgenda asks for an API key, and this source has none.",
                             code="openagenda.no_key", status=status) from None
        parse_openagenda_page(b"", default_tz=context.settings.tz, status=status)
        raise  # not reached: a refused status is always an error


def _stop(context: ReadContext, cursor: list | None, seen: set[str], *, pages: int,
          events: int, max_pages: int) -> Notice | None:
    if cursor is None:
        return None
    if json.dumps(cursor) in seen:
        return Notice("OpenAgenda sent back to a page already read; reading stopped there.",
                      code="read.stopped", variant="loop")
    return context.stop_notice(pages=pages, events=events, max_pages=max_pages)


def _known_uid(sync_state: dict | None, url: str) -> str | None:
    state = sync_state or {}
    return str(state["agenda_uid"]) if state.get("url") == url and state.get(
        "agenda_uid") else None


def _resolve_slug(address: OpenAgendaAddress, context: ReadContext,
                  api_key: str | None) -> str:
    """The uid of the agenda named ``address.slug`` on openagenda.com, asked of the API."""
    fetched = _fetch_page(context, openagenda_slug_request(address.api_root, address.slug,
                                                           api_key), api_key)
    try:
        agendas = json.loads(fetched.body).get("agendas")
        uid = next(str(a["uid"]) for a in agendas if isinstance(a, dict) and a.get("uid"))
    except (ValueError, RecursionError, AttributeError, TypeError, StopIteration):
        raise ParseError(f"OpenAgenda knows no agenda named {address.slug}.",
                         code="openagenda.unknown_agenda", slug=address.slug) from None
    return uid


def _updated_ats(body: bytes) -> list[str]:
    """The ``updatedAt`` of every event of a page (removed ones too)."""
    try:
        events = json.loads(body).get("events")
    except (ValueError, RecursionError, AttributeError):
        return []
    return [event["updatedAt"] for event in events or () if isinstance(event, dict)
            and isinstance(event.get("updatedAt"), str)]
