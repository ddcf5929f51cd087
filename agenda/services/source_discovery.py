"""Discovery: what an address typed by a person returns, and which collector will read it.

The only place that fetches for discovery, and it reads top to bottom: the address (webcal://
becomes https://; OpenAgenda's addresses are known from their shape) -> the first answer -> a
calendar or a feed is read as it is -> a web page is searched for what it offers (The Events
Calendar's REST API, linked calendars and feeds, its own JSON-LD events), tried in the order of
preference of :mod:`agenda.collectors.discovery` -> the chosen URL's reading and its diagnosis.

Bounded: the page is fetched once (kept for the readers that ask for it again), at most
``MAX_TRIES`` offers are tried, each one reading as a collection would (within its own bounds).
Nothing is stored.  ``check_source`` reads the chosen URL a second time to tell whether the
events' identifiers hold still.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from agenda.collectors import discovery as decide
from agenda.collectors.discovery import Candidate, DiscoveryError, PageOffer
from agenda.collectors.doctor import Diagnosis, diagnose, diagnose_page
from agenda.collectors.fetcher import FetchResult, fetch
from agenda.collectors.read_budget import fetch_policy
from agenda.collectors.reading import Reading, read_source
from agenda.errors import CollectError
from agenda.settings import Settings
from agenda.wording.doctor_sentences import REFUSALS
from agenda.wording.source_sentences import SENTENCES

log = logging.getLogger(__name__)

MAX_TRIES = 4  # offers of a page tried before giving up
KINDS = ("auto", "ics", "feed", "jsonld", "openagenda", "tribe")


@dataclass
class Discovery:
    """What discovery chose: the collector (``kind``), the URL to store, and why."""

    kind: str
    url: str
    reason_code: str
    reason_params: dict
    reading: Reading
    diagnosis: Diagnosis
    also: list[str] = field(default_factory=list)  # other kinds the page offered, not used

    @property
    def reasons(self) -> list[tuple[str, dict]]:
        said = [(self.reason_code, self.reason_params)]
        if self.also:
            said.append(("discovery.also", {"others": list(self.also)}))
        return said


def discover(url: str, *, settings: Settings, now: datetime, fetch_func=fetch,
             api_key: str | None = None, kind: str = "auto") -> Discovery:
    """Choose the collector of ``url``; DiscoveryError (or a CollectError's code kept) when
    nothing fits."""
    address = decide.web_address(url)
    fetcher = _RememberingFetch(fetch_func)
    if kind != "auto":
        return _declared(address, kind, settings, now, fetcher, api_key)
    if decide.is_openagenda(address):
        return _openagenda(address, settings, now, fetcher, api_key)
    first = _first_answer(address, settings, fetcher)
    found = decide.sniff(first.body, first.content_type)
    if found in ("ics", "feed"):
        variant = "webcal" if decide.is_webcal(url) and found == "ics" else None
        return _chosen(address, found, _read(address, found, settings, now, fetcher),
                       now, settings, f"discovery.{found}", _variant(variant))
    if found == "json" and decide.TRIBE_ROUTE in address:
        return _chosen(address, "tribe", _read(address, "tribe", settings, now, fetcher),
                       now, settings, "discovery.tribe", {})
    if found != "html":
        raise DiscoveryError(REFUSALS["discovery.unknown_document"],
                             code="discovery.unknown_document")
    return _from_page(first, decide.read_page(first.body, first.url), settings, now, fetcher)


def check_source(url: str, *, settings: Settings, now: datetime, fetch_func=fetch,
                 api_key: str | None = None, kind: str = "auto") -> Discovery:
    """Discovery, then a second reading of the chosen URL: the diagnosis says whether the
    events' identifiers changed between the two.  Nothing is stored."""
    found = discover(url, settings=settings, now=now, fetch_func=fetch_func, api_key=api_key,
                     kind=kind)
    try:
        again = read_source(found.url, kind=found.kind, settings=settings, now=now,
                            fetch_func=fetch_func, api_key=api_key)
    except Exception:  # noqa: BLE001  (the first reading stands; a failed second one says
        return found   # nothing of the identifiers)
    second = {record.source_uid for record in again.parsed.events}
    found.diagnosis = diagnose(found.reading, now=now, tz=settings.tz, second_uids=second)
    return found


def _declared(address: str, kind: str, settings, now, fetcher, api_key) -> Discovery:
    reading = _read(address, kind, settings, now, fetcher, api_key)
    return _chosen(address, kind, reading, now, settings, "discovery.declared",
                   {"format": kind})


def _openagenda(address: str, settings, now, fetcher, api_key) -> Discovery:
    reading = _read(address, "openagenda", settings, now, fetcher, api_key)
    return _chosen(address, "openagenda", reading, now, settings, "discovery.openagenda", {})


def _first_answer(address: str, settings: Settings, fetcher) -> FetchResult:
    try:
        return fetcher(address, policy=fetch_policy(settings))
    except CollectError as error:
        raise _refused(error) from error


def _from_page(page: FetchResult, offer: PageOffer, settings, now, fetcher) -> Discovery:
    """The first offer of the page that reads, else its JSON-LD events, else a refusal."""
    last_tried = None
    for candidate in offer.candidates[:MAX_TRIES]:
        reading = _try(candidate, settings, now, fetcher)
        last_tried = candidate
        if reading is not None:
            code, params = _reason_for(candidate)
            found = _chosen(candidate.url, candidate.kind, reading, now, settings, code, params)
            found.also = _also(offer, candidate.kind)
            return found
    if offer.jsonld_events:
        reading = _read(page.url, "jsonld", settings, now, fetcher)
        return _chosen(page.url, "jsonld", reading, now, settings, "discovery.jsonld", {})
    raise _nothing_found(page, last_tried)


def _try(candidate: Candidate, settings, now, fetcher) -> Reading | None:
    """The candidate's reading, or None when it is not what it seemed (or has no events: a
    blog's feed is not an agenda)."""
    try:
        reading = _read(candidate.url, candidate.kind, settings, now, fetcher)
    except DiscoveryError:
        return None
    if candidate.kind != "ics" and not reading.parsed.events:
        return None
    return reading


def _reason_for(candidate: Candidate) -> tuple[str, dict]:
    if candidate.kind == "tribe":
        return "discovery.tribe", {"variant": "site"}
    params = {"variant": candidate.via}
    if candidate.via == "visible":
        params["label"] = candidate.label or candidate.url
    return f"discovery.linked_{candidate.kind}", params


def _also(offer: PageOffer, chosen: str) -> list[str]:
    kinds = [c.kind for c in offer.candidates if c.kind != chosen and c.via != "wp_api"]
    if offer.jsonld_events:
        kinds.append("jsonld")
    rank = {"ics": 0, "feed": 1, "jsonld": 2}
    return sorted(set(kinds) - {chosen, "tribe"}, key=lambda kind: rank.get(kind, 9))


def _nothing_found(page: FetchResult, last_tried: Candidate | None) -> DiscoveryError:
    diagnosis = diagnose_page(page.body)
    if last_tried is not None:
        sentence = REFUSALS["discovery.nothing_found:linked"] % {"url": last_tried.url}
        return DiscoveryError(sentence, code="discovery.nothing_found", variant="linked",
                              url=last_tried.url, diagnosis=diagnosis)
    return DiscoveryError(REFUSALS["discovery.nothing_found"], code="discovery.nothing_found",
                          diagnosis=diagnosis)


def _read(url: str, kind: str, settings, now, fetcher, api_key=None) -> Reading:
    """The reading of ``url`` as ``kind``; any failure is a refusal (a bug of a reader on odd
    input too: logged, and said as the collection says it, never a crash)."""
    try:
        return read_source(url, kind=kind, settings=settings, now=now, fetch_func=fetcher,
                           api_key=api_key)
    except CollectError as error:
        raise _refused(error) from error
    except (MemoryError, RecursionError) as error:
        raise DiscoveryError(SENTENCES["parse.too_large"], code="parse.too_large") from error
    except Exception as error:  # noqa: BLE001
        log.exception("discovery: unexpected error while reading %s as %s", url, kind)
        raise DiscoveryError(SENTENCES["collect.internal"], code="collect.internal") from error


def _refused(error: CollectError) -> DiscoveryError:
    """A collector's error as discovery's refusal, keeping its code and values."""
    return DiscoveryError(error.message, code=error.code, **error.data)


def _chosen(url: str, kind: str, reading: Reading, now: datetime, settings: Settings,
            code: str, params: dict) -> Discovery:
    return Discovery(kind=kind, url=url, reason_code=code, reason_params=params,
                     reading=reading, diagnosis=diagnose(reading, now=now, tz=settings.tz))


def _variant(variant: str | None) -> dict:
    return {"variant": variant} if variant else {}


class _RememberingFetch:
    """The fetcher, remembering plain answers: the page discovery looked at is not downloaded
    again by the reader that reads it."""

    def __init__(self, fetch_func):
        self.fetch_func = fetch_func
        self.answers: dict[str, FetchResult] = {}

    def __call__(self, url: str, *, policy, etag=None, last_modified=None, **extra) -> FetchResult:
        plain = etag is None and last_modified is None and not extra
        if plain and url in self.answers:
            return self.answers[url]
        answer = self.fetch_func(url, policy=policy, etag=etag, last_modified=last_modified,
                                 **extra)
        if plain:
            self.answers[url] = answer
            self.answers.setdefault(answer.url, answer)
        return answer
