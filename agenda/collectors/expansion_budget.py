"""Budgets of a calendar's expansion: occurrences per series, per source, and parse time.

``estimate_series`` bounds what a series would make before anything is expanded (pure, from
its rules, RDATEs and overrides). ``SourceBudget`` is the running account of one parse: the
occurrences still allowed, the deadline (read from a clock the caller passes in), and how many
series were left with their own dates once either ran out, for one warning each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from icalendar import vBroken

from agenda.collectors.ical_series import Series
from agenda.collectors.ical_values import all_properties, decoded
from agenda.collectors.notice import Notice
from agenda.collectors.rule_budget import RulePace, occurrences_between, pace_of

WORK_PER_SERIES = 20_000
"""Rule steps allowed from DTSTART to the window's end before the start is moved forward."""


@dataclass(frozen=True)
class ExpansionLimits:
    per_series: int = 1000
    per_source: int = 20_000
    max_seconds: float = 60.0


@dataclass(frozen=True)
class SeriesEstimate:
    """At most how many occurrences a series makes in the window, and how much work to get them."""

    in_window: int
    work: int
    dense: bool
    paces: tuple[RulePace, ...]

    def per_hour(self) -> float:
        return sum(pace.per_hour() for pace in self.paces)

    def fits(self, per_series: int) -> bool:
        return self.in_window <= per_series and self.work <= WORK_PER_SERIES

    def can_move_start(self) -> bool:
        return all(pace.count is None for pace in self.paces)


def estimate_series(series: Series, window: tuple[datetime, datetime],
                    zone: tzinfo) -> SeriesEstimate | None:
    """The bound of a series, or None when one of its rules cannot be read."""
    master = series.master()
    paces, in_window, work = [], len(series.members) - (master is not None), 0
    for component, record in ([master] if master else []):
        for rule in all_properties(component, "RRULE"):
            pace = pace_of(rule) if hasattr(rule, "get") else None
            if pace is None:
                return None
            paces.append(pace)
            in_window += occurrences_between(pace, record.start, *window, zone)
            work += occurrences_between(pace, record.start, window[0] - timedelta(days=36600),
                                        window[1], zone)
        in_window += rdate_count(component)
    hours = max(1.0, (window[1] - window[0]) / timedelta(hours=1))
    return SeriesEstimate(in_window, work, in_window > hours, tuple(paces))


def rdate_count(component) -> int:
    return sum(len(decoded(prop, "dts") or ()) for prop in all_properties(component, "RDATE")
               if not isinstance(prop, vBroken))


class SourceBudget:
    """What one parse may still spend."""

    def __init__(self, limits: ExpansionLimits, clock: Callable[[], float]):
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.max_seconds
        self.remaining = limits.per_source
        self.left_for_occurrences = 0
        self.left_for_time = 0

    def allowance(self) -> int:
        """Occurrences the next series may keep."""
        return max(0, min(self.limits.per_series, self.remaining))

    def spend(self, occurrences: int) -> None:
        self.remaining -= occurrences

    def stop_reason(self) -> str | None:
        """Why no more series may be expanded ("time", "occurrences"), or None."""
        if self.clock() >= self.deadline:
            return "time"
        return "occurrences" if self.remaining <= 0 else None

    def note_left_out(self, reason: str) -> None:
        if reason == "time":
            self.left_for_time += 1
        else:
            self.left_for_occurrences += 1

    def warnings(self) -> list[str]:
        said = []
        if self.left_for_occurrences:
            said.append(Notice(
                f"This calendar's repeated events make more than {self.limits.per_source} "
                f"occurrences in all; {self.left_for_occurrences} of them keep only their "
                "first date.", code="ical.source_occurrences", limit=self.limits.per_source,
                count=self.left_for_occurrences,
            ))
        if self.left_for_time:
            said.append(Notice(
                f"Reading this calendar took longer than {self.limits.max_seconds:g} s; "
                f"{self.left_for_time} repeated events keep only their first date.",
                code="ical.source_time", seconds=self.limits.max_seconds, count=self.left_for_time,
            ))
        return said
