"""VTIMEZONE blocks written from the tz database, once per zone and process (pure).

Not icalendar's ``Timezone.from_tzid``: it writes every transition in one multi-valued RDATE
line, of which ical.js reads only the first value (events after 1977 came out an hour off),
and some of its onsets in the wrong local time.  Here the transitions since 1970 are found by
sampling the zone, each onset is written in the local time in force before it (RFC 5545
§3.6.5), and the rule still in force becomes a yearly RRULE, as calendar applications write
it themselves ("last Sunday of March at 02:00"); older transitions are one RDATE a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import groupby
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.export.ics_text import CRLF

FIRST_YEAR, LAST_YEAR = 1970, 2100
SAMPLE = timedelta(days=7)
MIN_RULE_YEARS = 3  # a run of at least this many regular years ending in LAST_YEAR is a rule
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    onset: datetime  # local wall-clock time before the change (naive)
    before: timedelta
    after: timedelta
    name: str
    dst: bool

    @property
    def kind(self) -> tuple:
        return (self.before, self.after, self.name, self.dst)


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of an IANA zone name, CRLF-terminated (b"" for an unknown zone)."""
    try:
        zone = ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError):
        return b""
    start = datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.utc)
    found = transitions(zone, start, datetime(LAST_YEAR + 1, 1, 1, tzinfo=timezone.utc))
    first = start.astimezone(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}",
             *_observance(first.replace(tzinfo=None), first.utcoffset(), first.utcoffset(),
                          first.tzname() or tzid, bool(first.dst()), [])]
    for _kind, group in groupby(sorted(found, key=lambda t: (t.kind, t.onset)), lambda t: t.kind):
        lines += _observances(list(group))
    lines.append("END:VTIMEZONE")
    return (CRLF.join(lines) + CRLF).encode("utf-8")


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[Transition]:
    """Every change of offset or name of ``zone`` between two UTC instants (sampled weekly,
    then pinned to the second; no zone changes twice within a week since 1970)."""
    found = []
    moment, state = start, _state(zone, start)
    while moment < end:
        following = moment + SAMPLE
        if _state(zone, following) != state:
            at = _bisect(zone, moment, following, state)
            before = (at - timedelta(seconds=1)).astimezone(zone).utcoffset()
            local = at.astimezone(zone)
            found.append(Transition((at + before).replace(tzinfo=None), before,
                                    local.utcoffset(), local.tzname() or "", bool(local.dst())))
            state = _state(zone, at)
            following = at
        moment = following
    return found


def _state(zone: ZoneInfo, instant: datetime) -> tuple:
    local = instant.astimezone(zone)
    return (local.utcoffset(), local.tzname())


def _bisect(zone: ZoneInfo, low: datetime, high: datetime, state: tuple) -> datetime:
    """The first second in (low, high] whose state differs from ``state``."""
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _state(zone, middle) == state:
            low = middle
        else:
            high = middle
    return high


def _observances(group: list[Transition]) -> list[str]:
    """One kind of change: its regular tail as a yearly RRULE, the rest as RDATEs."""
    rule, tail = _yearly_rule(group)
    head = group[:len(group) - len(tail)]
    first = group[0]
    lines = []
    if head:
        lines += _observance(head[0].onset, first.before, first.after, first.name, first.dst,
                             [f"RDATE:{_local(t.onset)}" for t in head[1:]])
    if tail:
        lines += _observance(tail[0].onset, first.before, first.after, first.name, first.dst,
                             [f"RRULE:{rule}"])
    return lines


def _yearly_rule(group: list[Transition]) -> tuple[str | None, list[Transition]]:
    """("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", the transitions it covers) for the longest run of
    yearly, same-rule onsets reaching the last year; (None, []) when there is none."""
    tail: list[Transition] = []
    for transition in reversed(group):
        if tail and not _same_rule(transition, tail[-1]):
            break
        tail.append(transition)
    tail.reverse()
    if len(tail) < MIN_RULE_YEARS or tail[-1].onset.year < LAST_YEAR or _weekday_position(
            tail[0]) is None:
        return None, []
    onset = tail[0].onset
    return (f"FREQ=YEARLY;BYMONTH={onset.month};"
            f"BYDAY={_weekday_position(tail[0])}{_DAYS[onset.weekday()]}"), tail


def _same_rule(earlier: Transition, later: Transition) -> bool:
    a, b = earlier.onset, later.onset
    if b.year != a.year + 1 or (a.month, a.weekday(), a.time()) != (b.month, b.weekday(),
                                                                       b.time()):
        return False
    position = _weekday_position(earlier)
    return position is not None and position == _weekday_position(later)


def _weekday_position(transition: Transition) -> int | None:
    """-1 for the last such weekday of its month, else 1..4 for the first to fourth."""
    day = transition.onset
    if (day + timedelta(days=7)).month != day.month:
        return -1
    position = (day.day - 1) // 7 + 1
    return position if position <= 4 else None


def _observance(onset: datetime, before: timedelta, after: timedelta, name: str, dst: bool,
                extra: list[str]) -> list[str]:
    kind = "DAYLIGHT" if dst else "STANDARD"
    return [f"BEGIN:{kind}", f"DTSTART:{_local(onset)}", f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}", f"TZNAME:{_tzname(name)}", *extra, f"END:{kind}"]


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _tzname(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum() or ch in "+-_/") or "UTC"
