"""The month view: /mois/2026-11, a calendar grid (Monday first, each day with its first events
and "+ N others" linking to that day's listing) and the same days as a list (a phone's view, or
?vue=liste), with the filters of the home page (the month sets the dates) kept in the links to
the named previous and next months."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import format_date

from agenda.listing.filters import BadFilter, Filters
from agenda.listing.query import find_occurrences
from agenda.models import Occurrence
from agenda.web import db_session, state
from agenda.web.public.listing import (
    active_filters,
    facet_links,
    filter_args,
    form_options,
    form_values,
    request_filters,
    subscription_links,
)
from agenda.web.public.month_grid import month_weeks
from agenda.web.shared.dates import local_days, midnight, today_in

MONTH_LIMIT = 1000
FIRST_YEAR, LAST_YEAR = 1970, 2200


class BadMonth(BadFilter):
    """The month of the URL is not a month we show."""


def this_month():
    """/mois: the current month, with the same filters."""
    first = today_in(state().settings.tz).replace(day=1)
    return redirect(url_for("public.month", month=f"{first:%Y-%m}",
                            **filter_args(request_filters())))


def month_page(month: str):
    first = parse_month(month)
    following = next_month(first)
    filters = replace(request_filters(), start=None, end=None)  # the month sets the dates
    tz = state().settings.tz
    listing = find_occurrences(db_session(), filters,
                               window=(midnight(first, tz), midnight(following, tz)),
                               limit=MONTH_LIMIT, with_facets=True, search=state().search)
    days = days_of_month(listing.occurrences, first, following, tz)
    return render_template(
        "public/month.html", month=month, filters=filters, listing=listing, first_day=first,
        days=days, weeks=month_weeks(first, dict(days), today=today_in(tz)),
        weekdays=weekday_names(first), list_view=request.args.get("vue") == "liste",
        previous=_neighbour(previous_month(first), filters),
        next=_neighbour(following, filters),
        this_month_url=url_for("public.this_month", **filter_args(filters)),
        view_urls={"grid": url_for("public.month", month=month, **filter_args(filters)),
                   "list": url_for("public.month", month=month, vue="liste",
                                   **filter_args(filters))},
        day_url=lambda day: url_for("public.home", **filter_args(filters, start=day, end=day)),
        facets=facet_links(filters, listing.facets, "public.month", month=month),
        active=active_filters(filters),
        twins=subscription_links(filters, api_filters=replace(
            filters, start=first, end=following - timedelta(days=1))),
        form=form_values(), options=form_options(), limit=MONTH_LIMIT)


def parse_month(text: str) -> date:
    """'2026-11' -> 1 November 2026; BadMonth otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR \
            or not 1 <= int(match[2]) <= 12:
        raise BadMonth(f"The month must be written YYYY-MM, between the years {FIRST_YEAR} "
                       f"and {LAST_YEAR}.")
    return date(int(match[1]), int(match[2]), 1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def days_of_month(occurrences: list[Occurrence], first: date, following: date,
                  tz) -> list[tuple[date, list[Occurrence]]]:
    """Each day of the month that has events, with every occurrence running that day (a
    three-day festival shows on its three days)."""
    days: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences:
        start, last = local_days(occurrence, tz)
        day = max(start, first)
        while day <= last and day < following:
            days.setdefault(day, []).append(occurrence)
            day += timedelta(days=1)
    return sorted(days.items())


def weekday_names(first: date) -> list[tuple[str, str]]:
    """(short, full) names of the days of the week, Monday first, in the page's language."""
    monday = first - timedelta(days=first.weekday())
    return [(format_date(day, "EEE"), format_date(day, "EEEE"))
            for day in (monday + timedelta(days=n) for n in range(7))]


def _neighbour(first: date, filters: Filters) -> tuple[str, date] | None:
    """The link to the month starting on ``first`` (same filters), with that month to name it."""
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        return None
    return url_for("public.month", month=f"{first:%Y-%m}", **filter_args(filters)), first
