"""A series that would make more occurrences than it may keep, expanded only up to its budget.

Never a full list first: the window is walked in pieces sized from the rule's pace (each piece
holds at most about what is still allowed), each piece expanded by recurring-ical-events (so
zones, EXDATE, RDATE and overrides behave as for any series), and the walk stops as soon as the
budget is reached. Before each piece the master's DTSTART is moved forward by whole periods to
just before it, so that a rule which began long ago is not stepped through from its start (not
done for rules with COUNT, whose count starts at DTSTART). RDATEs are cut to the budget too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import recurring_ical_events
from dateutil.relativedelta import relativedelta
from icalendar import Component

from agenda.collectors.expansion_budget import SeriesEstimate
from agenda.collectors.ical_series import (
    EXPANSION_ERRORS,
    Series,
    calendar_of,
    hand_out,
    keep_own_dates,
    kept_first_warning,
    sorted_occurrences,
)
from agenda.collectors.ical_values import all_properties, decoded
from agenda.collectors.normalize import to_utc
from agenda.collectors.notice import Notice
from agenda.collectors.rule_budget import RulePace

MAX_PIECES = 64
_STEPS = {"HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}
_MONTHS = {"MONTHLY": 1, "YEARLY": 12}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")


def expand_capped(series: Series, estimate: SeriesEstimate, limit: int, *, default_tz, window,
                  warnings: list[str]) -> int:
    """Expand ``series`` in ``window`` keeping at most ``limit`` occurrences; returns the count."""
    master = series.master()
    saved = _saved_dates(master[0]) if master else {}
    try:
        _cut_rdates(master[0], limit, window, default_tz) if master else None
        kept, cut_at = _walk(series, estimate, limit, default_tz, window, master)
    except EXPANSION_ERRORS:
        keep_own_dates(series)
        warnings.append(kept_first_warning(series, "its repetitions cannot be computed"))
        return len(series.members)
    finally:
        if master:
            _restore(master[0], saved)
    hand_out(series, kept)
    if cut_at is not None:
        warnings.append(_cut_warning(series, estimate, len(kept), cut_at))
    return len(kept)


def _walk(series, estimate, limit, default_tz, window, master):
    """The kept occurrences and, if some were left out, from when."""
    start = window[0] if master is None else max(window[0], to_utc(master[1].start, default_tz))
    kept, per_hour = [], estimate.per_hour()
    for _ in range(MAX_PIECES):
        if start >= window[1] or len(kept) >= limit:
            break
        room = limit - len(kept)
        span = window[1] - start if not per_hour else timedelta(hours=room / per_hour)
        end = window[1] if span >= window[1] - start else start + max(span, timedelta(seconds=1))
        if master and estimate.can_move_start():
            _move_start_before(master[0], estimate.paces, start, master[1])
        components = recurring_ical_events.of(calendar_of([series])).between(start, end)
        found = [pair for pair in sorted_occurrences(components, default_tz)
                 if not kept or to_utc(pair[1].start, default_tz) >= start]
        kept.extend(found[:room])
        if len(found) > room:
            return kept, to_utc(found[room][1].start, default_tz)
        start = end
    return kept, (start if start < window[1] else None)


def _cut_warning(series: Series, estimate: SeriesEstimate, kept: int, cut_at: datetime) -> Notice:
    label, made, until = series.label(), estimate.in_window, f"{cut_at:%Y-%m-%d %H:%M}"
    if estimate.dense:
        return Notice(f"Event {label}: more than {kept} repetitions in the window (its repeat "
                      f"rule makes up to about {made}, more than one an hour); only the first "
                      f"{kept} are kept, up to {until} UTC.", code="ical.series_cut",
                      variant="dense", event=label, count=kept, made=made, until=until)
    return Notice(f"Event {label}: more than {kept} repetitions in the window (its repeat "
                  f"rule makes up to about {made}); only the first {kept} are kept, up to "
                  f"{until} UTC.", code="ical.series_cut", event=label, count=kept, made=made,
                  until=until)


def _saved_dates(component: Component) -> dict:
    return {name: component.get(name) for name in ("DTSTART", "DTEND", "RRULE", "RDATE")}


def _restore(component: Component, saved: dict) -> None:
    for name, value in saved.items():
        component.pop(name, None)
        if value is not None:
            component[name] = value


def _cut_rdates(component: Component, limit: int, window, default_tz) -> None:
    """Only the first ``limit`` RDATEs inside the window stay."""
    values = [value for prop in all_properties(component, "RDATE")
              for value in (decoded(prop, "dts") or ())]
    if len(values) <= limit:
        return
    starts = sorted((to_utc(_start_of(v.dt), default_tz), v.dt) for v in values
                    if isinstance(_start_of(v.dt), date))
    inside = [dt for instant, dt in starts if window[0] <= instant < window[1]][:limit]
    component.pop("RDATE")
    for value in inside:
        component.add("RDATE", value)


def _start_of(value):
    return value[0] if isinstance(value, tuple) else value


def _move_start_before(component: Component, paces: tuple[RulePace, ...], start: datetime,
                       record) -> None:
    """DTSTART (and DTEND) moved forward by whole periods of every rule, to before ``start``."""
    if len(paces) != 1 or "DTSTART" not in component:
        return
    pace, original = paces[0], record.start
    reach = min(record_duration(record), timedelta(days=7)) + timedelta(seconds=1)
    target = start - reach
    moved = _moved(original, pace, target)
    if moved is None or moved == original:
        return
    rule = all_properties(component, "RRULE")[0].copy()
    _pin_default_days(rule, pace, original)
    delta = moved - original
    component.pop("DTSTART")
    component.add("DTSTART", moved)
    component.pop("RRULE")
    component.add("RRULE", rule)
    end = decoded(component.get("DTEND"), "dt")
    if isinstance(end, date) and not isinstance(component.get("DTEND"), list):
        component.pop("DTEND")
        component.add("DTEND", end + delta)


def _moved(original, pace: RulePace, target: datetime):
    """``original`` plus the most whole periods that keep it before ``target`` (wall time)."""
    if isinstance(original, datetime):
        wall = target.astimezone(original.tzinfo).replace(tzinfo=None)
        gap = wall - original.replace(tzinfo=None)
    else:
        gap = target.date() - original
    if gap <= timedelta(0):
        return None
    if pace.freq in _STEPS:
        step = _STEPS[pace.freq] * max(1, pace.period // _STEPS[pace.freq])
        if isinstance(original, date) and not isinstance(original, datetime) and step.days == 0:
            return None
        return original + step * (gap // step)
    months = _MONTHS.get(pace.freq)
    if months is None:
        return None
    months *= max(1, round(pace.period / (timedelta(days=28) if months == 1 else
                                          timedelta(days=365))))
    whole = (gap.days // 366 * 12 if months >= 12 else gap.days // 31) // months * months
    return original + relativedelta(months=whole) if whole else None


def _pin_default_days(rule, pace: RulePace, original) -> None:
    """The days a rule takes from DTSTART when it names none, written in the rule."""
    if any(rule.get(part) for part in _DAY_PARTS) or pace.freq not in _MONTHS:
        return
    rule["BYMONTHDAY"] = [original.day]
    if pace.freq == "YEARLY" and not rule.get("BYMONTH"):
        rule["BYMONTH"] = [original.month]


def record_duration(record) -> timedelta:
    if record.end is None:
        return timedelta(0)
    try:
        return max(timedelta(0), record.end - record.start)
    except TypeError:
        return timedelta(0)
