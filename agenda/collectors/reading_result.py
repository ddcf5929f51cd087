"""What reading a source gave: the events of every document, and what the store and the next
reading need to know about it (see :func:`agenda.collectors.reading.read_source`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agenda.collectors.fetcher import FetchResult
from agenda.collectors.fingerprint import body_hash
from agenda.records import ParseResult


@dataclass
class Reading:
    """Everything read from one source at one collection."""

    format: str  # "ics" | "feed" | "jsonld" | "openagenda" | "tribe" ("auto" on a bare 304)
    parsed: ParseResult  # every event read, over every page/document
    first: FetchResult  # the first document fetched (headers, content type, final URL)
    documents: int = 1  # how many documents/pages were fetched
    removed_uids: list[str] = field(default_factory=list)  # removed, says the API
    partial: bool = False  # events absent from this read are NOT removed
    sync_state: dict | None = None  # to store on the source for the next read
    digest: str | None = None  # body hash of what was read (change detection)
    unchanged: bool = False  # ics/feed body hashed to ``known_digest``: not parsed

    @property
    def not_modified(self) -> bool:
        return self.first.not_modified


def add_page(into: ParseResult, page: ParseResult) -> None:
    """The events, skips and warnings of one more document of the same reading."""
    into.events.extend(page.events)
    into.skipped += page.skipped
    into.warnings.extend(page.warnings)


def combined_digest(digests: list[str]) -> str | None:
    """One hash for the documents of a reading (the document's own for a single one)."""
    if len(digests) <= 1:
        return digests[0] if digests else None
    return body_hash("\n".join(digests).encode("ascii"))
