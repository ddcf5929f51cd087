"""A proposed event as the record every collector produces, so that it is stored, indexed and
exported exactly like a collected one (pure).

Times are the region's wall-clock times; a weekly or monthly repetition becomes an RRULE with
its UNTIL, and its occurrences are listed here (at most a year of them: the form refuses more).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from agenda.collectors.normalize import department_from_postcode
from agenda.collectors.sanitize import html_to_text
from agenda.records import EventRecord, Location, Occurrence

FREQUENCIES = {"weekly": WEEKLY, "monthly": MONTHLY}


def event_record(data: dict, *, uid: str, tz: ZoneInfo, organizer: str | None = None
                 ) -> EventRecord:
    """The record of proposal ``data`` (see ``agenda.services.proposals``) under ``uid``."""
    all_day = bool(data.get("all_day"))
    start, end = _bounds(data, tz, all_day)
    repeat = data.get("recurrence") or ""
    until = date.fromisoformat(data["until"]) if repeat and data.get("until") else None
    rule = rrule_text(repeat, until, all_day=all_day, tz=tz) if until else None
    return EventRecord(
        source_uid=uid,
        title=data["title"],
        start=start,
        end=end,
        all_day=all_day,
        timezone=None if all_day else tz.key,
        description_html=data.get("description_html") or "",
        description_text=html_to_text(data.get("description_html")),
        rrule=rule,
        location=_location(data),
        online_url=data.get("online_url") or None,
        organizer=organizer,
        url=data.get("url") or None,
        image_url=data.get("image_url") or None,
        themes=tuple(data.get("themes") or ()),
        occurrences=occurrences(start, end, repeat if until else "", until, all_day=all_day),
    )


def rrule_text(repeat: str, until: date, *, all_day: bool, tz: ZoneInfo) -> str:
    """RRULE value: FREQ and an UNTIL that includes the whole ``until`` day."""
    freq = {"weekly": "WEEKLY", "monthly": "MONTHLY"}[repeat]
    if all_day:
        return f"FREQ={freq};UNTIL={until:%Y%m%d}"
    last = datetime.combine(until, time(23, 59, 59), tzinfo=tz).astimezone(timezone.utc)
    return f"FREQ={freq};UNTIL={last:%Y%m%dT%H%M%SZ}"


def occurrences(start: datetime | date, end: datetime | date, repeat: str, until: date | None,
                *, all_day: bool) -> list[Occurrence]:
    """Every occurrence, the repetition computed on wall-clock times (a 10:00 event stays at
    10:00 across the change of clocks)."""
    duration = end - start
    if not repeat or until is None:
        return [Occurrence(start, end, all_day)]
    naive = start if all_day else start.replace(tzinfo=None)
    first = datetime.combine(naive, time()) if all_day else naive
    last = datetime.combine(until, time(23, 59, 59))
    found = []
    for moment in rrule(FREQUENCIES[repeat], dtstart=first, until=last):
        begin = moment.date() if all_day else moment.replace(tzinfo=start.tzinfo)
        found.append(Occurrence(begin, begin + duration, all_day))
    return found


def _bounds(data: dict, tz: ZoneInfo, all_day: bool):
    if all_day:
        first = date.fromisoformat(data["start"][:10])
        last = date.fromisoformat((data.get("end") or data["start"])[:10])
        return first, max(last, first) + timedelta(days=1)  # iCalendar's exclusive end
    start = datetime.fromisoformat(data["start"]).replace(tzinfo=tz)
    end = datetime.fromisoformat(data["end"]).replace(tzinfo=tz) if data.get("end") else start
    return start, max(end, start)


def _location(data: dict) -> Location:
    postcode = (data.get("postcode") or "").strip() or None
    return Location(
        name=data.get("location_name") or None,
        address=data.get("address") or None,
        postcode=postcode,
        city=data.get("city") or None,
        department=department_from_postcode(postcode),
    )
