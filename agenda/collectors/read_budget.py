"""The bounds of a read made of several documents (API pages, event pages of a listing), and
the one way such a read fetches: under what is left of its time, renewing the claim after each
document.

A paged read stops at whichever comes first: ``max_documents``, ``max_events`` (the settings'
``max_occurrences_per_source``), or its time (``total_timeout + max_parse_seconds``: what a
one-document source may take to download and parse).  A read that stopped early says so in a
warning and is *partial*: the events it did not reach are not removed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from agenda.collectors.fetcher import FetchPolicy, FetchResult
from agenda.collectors.notice import Notice
from agenda.settings import Settings

MAX_API_PAGES = 50
MAX_FOLLOWED_PAGES = 30


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(connect_timeout=settings.connect_timeout,
                       total_timeout=settings.total_timeout, max_bytes=settings.max_body_bytes,
                       max_redirects=settings.max_redirects,
                       allow_private=settings.allow_private_urls)


@dataclass
class ReadContext:
    """What every reader needs, and the documents it fetched so far."""

    settings: Settings
    now: datetime
    fetch_func: Callable[..., FetchResult]
    on_document: Callable[[], None] | None = None
    monotonic: Callable[[], float] = time.monotonic
    documents: int = 0
    started: float = field(default=0.0)

    def __post_init__(self):
        self.started = self.monotonic()

    @property
    def max_events(self) -> int:
        return self.settings.max_occurrences_per_source

    @property
    def seconds(self) -> float:
        return self.settings.total_timeout + self.settings.max_parse_seconds

    def remaining(self) -> float:
        return self.seconds - (self.monotonic() - self.started)

    def fetch(self, url: str, *, headers: dict[str, str] | None = None, etag: str | None = None,
              last_modified: str | None = None) -> FetchResult:
        """One document, within the time left (the fetcher's own deadline shortened to it)."""
        policy = fetch_policy(self.settings)
        if self.documents:
            policy = replace(policy, total_timeout=max(0.1, min(policy.total_timeout,
                                                                 self.remaining())))
        extra = {"headers": headers} if headers else {}
        fetched = self.fetch_func(url, policy=policy, etag=etag, last_modified=last_modified,
                                  **extra)
        self.documents += 1
        if self.on_document is not None:
            self.on_document()
        return fetched

    def stop_notice(self, *, pages: int, events: int, max_pages: int) -> Notice | None:
        """Why a paged read must stop before the next document, or None to go on."""
        if events >= self.max_events:
            return Notice(f"Reading stopped after {events} events (the limit per source); "
                          "the events not read are kept as they were.",
                          code="read.stopped", variant="events", count=events)
        if pages >= max_pages:
            return Notice(f"Reading stopped after {pages} pages (the limit per source); "
                          "the events not read are kept as they were.", code="read.stopped",
                          variant="pages", count=pages)
        if self.remaining() <= 0:
            return Notice(f"Reading stopped after {pages} pages: it took longer than the time "
                          "allowed to one source; the events not read are kept as they were.",
                          code="read.stopped", variant="time", count=pages)
        return None
