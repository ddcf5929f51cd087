"""Occurrences of iCalendar events inside a window, with recurring-ical-events, within budgets.

A single event keeps its own dates (even outside the window, so past one-off events exist).
Every series is bounded before it is expanded (expansion_budget.estimate_series): those that
fit their budget are expanded in the window together, in batches, as recurring-ical-events does
it; if a batch raises, each of its series is expanded on its own so that one bad series does
not sink the others. A series that would make more than its budget (or that began so long ago
that stepping through it would be long work) is expanded piece by piece and cut at the budget,
with a warning (ical_capped). Once the source's budget of occurrences or of time is spent, the
remaining series keep only their own dates. A series that cannot be expanded keeps its record
with only its own dates (the master's DTSTART, each override's) and a warning.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Component, vRecur

from agenda.collectors.expansion_budget import (
    ExpansionLimits,
    SeriesEstimate,
    SourceBudget,
    estimate_series,
)
from agenda.collectors.ical_capped import expand_capped
from agenda.collectors.ical_series import (
    EXPANSION_ERRORS,
    REPETITIONS_NOT_COMPUTED,
    RULE_UNREADABLE,
    Series,
    calendar_of,
    group_series,
    hand_out,
    keep_own_dates,
    kept_first_warning,
    sorted_occurrences,
)
from agenda.collectors.ical_values import first_property, text_of
from agenda.collectors.notice import Notice
from agenda.records import EventRecord

MAX_OCCURRENCES_PER_SERIES = 1000
"""The default budget of a series (settings: max_occurrences_per_series); RDATEs count too."""
BATCH_OCCURRENCES = 5000
"""At most this many occurrences (by estimate) are expanded in one recurring-ical-events call."""


def attach_occurrences(
    pairs: list[tuple[Component, EventRecord]],
    *,
    default_tz: ZoneInfo,
    window: tuple[datetime, datetime],
    warnings: list[str],
    budget: SourceBudget | None = None,
) -> None:
    """Fill ``record.occurrences`` for every (VEVENT, record) pair of one calendar."""
    budget = budget or SourceBudget(ExpansionLimits(MAX_OCCURRENCES_PER_SERIES), lambda: 0.0)
    batch: list[tuple[Series, SeriesEstimate]] = []
    for series in group_series(pairs):
        estimate = _estimate_or_warn(series, default_tz, window, warnings)
        if estimate is None:
            continue
        if reason := budget.stop_reason():
            keep_own_dates(series)
            budget.note_left_out(reason)
        elif estimate.fits(budget.allowance()):
            if sum(e.in_window for _, e in batch) + estimate.in_window > BATCH_OCCURRENCES:
                _expand_batch(batch, default_tz, window, warnings, budget)
            batch.append((series, estimate))
            budget.spend(estimate.in_window)  # reserved now, the unused part given back later
        else:
            budget.spend(expand_capped(series, estimate, budget.allowance(),
                                       default_tz=default_tz, window=window, warnings=warnings))
    _expand_batch(batch, default_tz, window, warnings, budget)


def _estimate_or_warn(series: Series, default_tz, window, warnings) -> SeriesEstimate | None:
    """The series' bound; None (own dates kept, warned if need be) when it is not expanded."""
    if not series.is_recurring():
        keep_own_dates(series)
        return None
    problem = _rule_problem(series)
    estimate = None if problem else estimate_series(series, window, default_tz)
    if estimate is None:
        keep_own_dates(series)
        warnings.append(kept_first_warning(series, problem or RULE_UNREADABLE))
    return estimate


def _rule_problem(series: Series) -> str | None:
    """Why a series cannot be expanded (its rule is unreadable).  A dense rule (every minute,
    every second) is not a problem here: like any rule over the budget, it is expanded up to
    the budget, lazily, with a warning."""
    for component in series.components():
        rule = first_property(component, "RRULE")
        if rule is None:
            continue
        if not isinstance(rule, vRecur):
            return RULE_UNREADABLE
    return None


def _expand_batch(batch: list, default_tz, window, warnings, budget: SourceBudget) -> None:
    """Expand the batched series together, then give back what they did not use."""
    if not batch:
        return
    series_list = [series for series, _ in batch]
    _expand_together(series_list, default_tz, window, warnings, budget.limits.per_series)
    used = sum(len(record.occurrences) for series in series_list for _, record in series.members)
    budget.spend(used - sum(estimate.in_window for _, estimate in batch))
    batch.clear()


def _expand_together(series_list, default_tz, window, warnings, limit: int) -> None:
    try:
        query = recurring_ical_events.of(calendar_of(series_list), skip_bad_series=True)
        components = query.between(*window)
        built = {str(series.uid) for series in query.series}
    except EXPANSION_ERRORS:
        for series in series_list:
            _expand_alone(series, default_tz, window, warnings, limit)
        return
    by_uid = defaultdict(list)
    for component in components:
        by_uid[text_of(component, "UID")].append(component)
    for series in series_list:
        if series.uid in built:
            _attach(series, by_uid[series.uid], default_tz, warnings, limit)
        else:
            keep_own_dates(series)
            warnings.append(kept_first_warning(series, REPETITIONS_NOT_COMPUTED))


def _expand_alone(series: Series, default_tz, window, warnings, limit: int) -> None:
    """One series in its own calendar; errors are not skipped here, so that we can tell."""
    try:
        components = recurring_ical_events.of(calendar_of([series])).between(*window)
    except EXPANSION_ERRORS:
        keep_own_dates(series)
        warnings.append(kept_first_warning(series, REPETITIONS_NOT_COMPUTED))
        return
    _attach(series, components, default_tz, warnings, limit)


def _attach(series: Series, components: list[Component], default_tz, warnings,
            limit: int) -> None:
    occurrences = sorted_occurrences(components, default_tz)
    hand_out(series, occurrences[:limit])
    if len(occurrences) > limit:
        label = series.label()
        warnings.append(Notice(
            f"Event {label}: more than {limit} repetitions in the window; only the first ones "
            "are kept.", code="ical.series_limit", event=label, count=limit,
        ))
