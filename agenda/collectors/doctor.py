"""The feed doctor: what a source's document says about itself, and each problem with its fix.

``diagnose(reading, now=..., tz=...)`` looks at one reading of a source (what
:func:`agenda.collectors.reading.read_source` returns): the format and the software that wrote
it, how many events and how far ahead they go, and each problem as a :class:`Finding` (a
stable code, its values, a severity).  The sentences that say a finding and its fix, in French
and English, live in ``agenda/web/shared/doctor_sentences.py``.  Pure: no fetching, no
database; ``second_uids`` (the UIDs of a second reading) is given by the caller that fetched
twice.  A Diagnosis is JSON (``to_json``/``from_json``): it is stored on the source.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from agenda.collectors import doctor_scans
from agenda.records import EventRecord

log = logging.getLogger(__name__)

VERSION = 1
SEVERITIES = ("problem", "warning", "tip")  # most serious first
CACHED_FORMATS = ("ics", "feed", "jsonld")  # the formats collected by conditional GET
UNSTABLE_SHARE = 0.5  # more than half of the UIDs gone between two readings: unstable
SYNTHETIC_UID_PREFIXES = ("agenda-synthetic-", "feed-", "jsonld-")
GENERATORS = {"openagenda": "OpenAgenda", "tribe": "WordPress (The Events Calendar)"}


@dataclass(frozen=True)
class Finding:
    code: str  # doctor.floating_times...
    severity: str  # problem | warning | tip
    params: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "params": dict(self.params)}


@dataclass
class Diagnosis:
    format: str  # ics | feed | jsonld | openagenda | tribe | html
    generator: str | None = None
    events: int = 0
    upcoming: int = 0  # events with an occurrence from today on
    first: str | None = None  # ISO date of the first occurrence, in the region's zone
    last: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def all_past(self) -> bool:
        return self.events > 0 and self.upcoming == 0

    def to_json(self) -> dict:
        return {"version": VERSION, "format": self.format, "generator": self.generator,
                "events": self.events, "upcoming": self.upcoming, "first": self.first,
                "last": self.last, "findings": [f.to_json() for f in self.findings]}

    @classmethod
    def from_json(cls, data: dict | None) -> Diagnosis | None:
        """The stored diagnosis; None for nothing stored or a shape we cannot read."""
        if not isinstance(data, dict) or not isinstance(data.get("format"), str):
            return None
        findings = [Finding(f["code"], f.get("severity", "warning"), dict(f.get("params") or {}))
                    for f in data.get("findings") or []
                    if isinstance(f, dict) and isinstance(f.get("code"), str)]
        return cls(format=data["format"], generator=data.get("generator"),
                   events=_int(data.get("events")), upcoming=_int(data.get("upcoming")),
                   first=data.get("first"), last=data.get("last"),
                   findings=sorted(findings, key=_seriousness))


def diagnose(reading, *, now: datetime, tz: ZoneInfo,
             second_uids: set[str] | None = None) -> Diagnosis:
    """The diagnosis of one reading (its format, parsed result and first answer)."""
    events = list(reading.parsed.events)
    body = reading.first.body if reading.first is not None else None
    diagnosis = Diagnosis(format=reading.format, events=len(events))
    diagnosis.generator = _generator(reading.format, body)
    _horizon(diagnosis, events, now, tz)
    findings = [*_document_findings(reading, events, body, tz),
                *_event_findings(events, reading.parsed),
                *_uid_findings(events, second_uids),
                *_horizon_findings(diagnosis),
                *_caching_findings(reading)]
    diagnosis.findings = sorted(findings, key=_seriousness)
    return diagnosis


def diagnosis_to_store(reading, *, now: datetime, tz: ZoneInfo) -> dict | None:
    """The diagnosis as stored on the source after a collection; None (and logged) if the
    doctor fails: a bug of the doctor must never fail a collection."""
    try:
        return diagnose(reading, now=now, tz=tz).to_json()
    except Exception:  # noqa: BLE001  (the collection goes on; the old diagnosis stays)
        log.exception("the feed doctor failed on a reading of format %s", reading.format)
        return None


def diagnose_page(body: bytes | None) -> Diagnosis:
    """A web page where nothing machine-readable was found (discovery's refusal)."""
    return Diagnosis(format="html", generator=doctor_scans.page_generator(body),
                     findings=[Finding("doctor.no_machine_data", "problem")])


def _generator(fmt: str, body: bytes | None) -> str | None:
    if fmt == "ics":
        return doctor_scans.scan_ics(body).generator
    if fmt == "feed":
        return doctor_scans.feed_generator(body)
    if fmt == "jsonld":
        return doctor_scans.page_generator(body)
    return GENERATORS.get(fmt)


def _horizon(diagnosis: Diagnosis, events: list[EventRecord], now: datetime,
             tz: ZoneInfo) -> None:
    today = now.astimezone(tz).date()
    days_of = [[_day(start, tz) for start in _starts(record)] for record in events]
    every = [day for days in days_of for day in days]
    if every:
        diagnosis.first, diagnosis.last = min(every).isoformat(), max(every).isoformat()
    diagnosis.upcoming = sum(1 for days in days_of if days and max(days) >= today)


def _starts(record: EventRecord) -> list:
    return [o.start for o in record.occurrences] or [record.start]


def _day(moment, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date() if isinstance(moment, datetime) else moment


def _document_findings(reading, events: list[EventRecord], body: bytes | None,
                       tz: ZoneInfo) -> list[Finding]:
    """Floating times and HTML in titles: read in the document where the parsers clean them."""
    total = len(events)
    if reading.format == "ics":
        facts = doctor_scans.scan_ics(body)
        floating, html_titles, missing = facts.floating, facts.html_titles, facts.missing_uids
    else:
        floating = sum(1 for r in events if r.timezone and not r.all_day)
        missing = sum(1 for r in events if r.source_uid.startswith(SYNTHETIC_UID_PREFIXES))
        html_titles = (doctor_scans.feed_html_titles(body) if reading.format == "feed" else
                       doctor_scans.jsonld_html_titles(body) if reading.format == "jsonld" else 0)
    if reading.format not in CACHED_FORMATS:  # APIs give zones and ids of their own
        floating = missing = 0
    found = []
    if floating:
        found.append(Finding("doctor.floating_times", "warning",
                             {"count": floating, "total": total, "zone": tz.key}))
    if missing:
        found.append(Finding("doctor.missing_uids", "warning", {"count": missing, "total": total}))
    if html_titles:
        found.append(Finding("doctor.html_titles", "warning", {"count": html_titles}))
    return found


def _event_findings(events: list[EventRecord], parsed) -> list[Finding]:
    found = []
    if not events:
        found.append(Finding("doctor.no_events", "problem"))
    undated = _undated(parsed.warnings)
    if undated:  # a feed's news or blog posts: not events, not unreadable either
        found.append(Finding("doctor.undated_items", "problem" if not events else "tip",
                             {"count": undated}))
    skipped = max(0, parsed.skipped - undated)
    no_end = sum(1 for r in events if not r.all_day and (r.end is None or r.end == r.start))
    if no_end:
        found.append(Finding("doctor.no_end", "tip", {"count": no_end, "total": len(events)}))
    duplicates = _duplicates(events)
    if duplicates:
        found.append(Finding("doctor.duplicates", "warning", {"count": duplicates}))
    if skipped:
        found.append(Finding("doctor.skipped", "warning", {"count": skipped}))
    return found


def _undated(warnings: list) -> int:
    """How many feed items carry no event dates (the parser's ``feed.undated`` warning)."""
    for warning in warnings:
        if getattr(warning, "code", None) == "feed.undated":
            count = warning.params.get("count")
            return count if isinstance(count, int) else 0
    return 0


def _duplicates(events: list[EventRecord]) -> int:
    """Events that repeat another's identity, or its title and start under another UID."""
    keys, shows = set(), set()
    repeated = 0
    for record in events:
        show = (record.title.casefold(), record.start, record.recurrence_id)
        if record.key in keys or show in shows:
            repeated += 1
        keys.add(record.key)
        shows.add(show)
    return repeated


def _uid_findings(events: list[EventRecord], second_uids: set[str] | None) -> list[Finding]:
    if second_uids is None or not events:
        return []
    first = {record.source_uid for record in events}
    gone = len(first - set(second_uids))
    if gone and gone > len(first) * UNSTABLE_SHARE:
        return [Finding("doctor.unstable_uids", "problem", {"count": gone, "total": len(first)})]
    return []


def _horizon_findings(diagnosis: Diagnosis) -> list[Finding]:
    if diagnosis.all_past:
        return [Finding("doctor.all_past", "problem", {"last": diagnosis.last})]
    return []


def _caching_findings(reading) -> list[Finding]:
    first = reading.first
    if first is None or reading.format not in CACHED_FORMATS:
        return []
    if first.etag or first.last_modified:
        return []
    return [Finding("doctor.no_cache_headers", "tip")]


def _seriousness(finding: Finding) -> int:
    return SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else 1


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
