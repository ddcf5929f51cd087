"""What a subscription may cover, and which subscriptions are the same (pure; the caller passes
``today``).

Every ``/calendar.ics`` covers at most a window around today (``feed_past_days`` back,
``feed_future_days`` ahead) and at most ``feed_max_events`` events, the soonest.  A ``from`` or
``to`` asked for is clamped into the window; a date that the window already implies is dropped,
so that ``?from=<any day before the window>`` is the same feed as no ``from`` at all.  Filters
are put in one canonical order so that trivially different query strings share one cache
entry: the cache key is a hash of the canonical filters, never of the raw query string.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from agenda.listing.filters import Filters, to_query

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
NBSP = "\u00a0"


@dataclass(frozen=True)
class FeedBounds:
    past_days: int = 30
    future_days: int = 548
    max_events: int = 5000

    def window(self, today: date) -> tuple[date, date]:
        """The widest period a subscription covers (dates, inclusive)."""
        return today - timedelta(days=self.past_days), today + timedelta(days=self.future_days)

    def clamp(self, filters: Filters, today: date) -> Filters:
        """``filters`` with their dates inside the window (None where the window's own edge
        would do); a period wholly outside it becomes an empty one at its edge."""
        low, high = self.window(today)
        start, end = filters.start, filters.end
        if end is not None and end < low:  # wholly before the window: nothing
            return replace(filters, start=None, end=low - timedelta(days=1))
        if start is not None and start > high:  # wholly after it: nothing
            return replace(filters, start=high + timedelta(days=1), end=None)
        start = None if start is None or start <= low else start
        end = None if end is None or end >= high else end
        return replace(filters, start=start, end=end)

    def period(self, filters: Filters, today: date) -> tuple[date, date]:
        """The dates a subscription to (clamped) ``filters`` covers; empty when last < first."""
        low, high = self.window(today)
        return filters.start or low, filters.end or high


def canonical(filters: Filters) -> Filters:
    """The same filters in one order: repeated values once, departments, communes, themes and
    sources (and actors) sorted (the listing ANDs kinds and ORs values, so order never changes the answer)."""
    return replace(filters, departments=tuple(sorted(set(filters.departments))),
                   communes=tuple(sorted(set(filters.communes))),
                   themes=tuple(sorted(set(filters.themes))),
                   sources=tuple(sorted(set(filters.sources))),
                   actors=tuple(sorted(set(filters.actors))))


def filter_key(filters: Filters, *, host: str = "") -> str:
    """A short stable key of (``host``, canonical ``filters``): the shared cache's."""
    text = host + "?" + urlencode(sorted(to_query(canonical(filters))))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_key(*parts) -> str:
    """A short stable key of the data version (and whatever else a body depends on)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def period_sentence(first: date, last: date, max_events: int) -> str:
    """« Évènements du 22 octobre 2026 au 22 mai 2028 (au plus 5 000). »"""
    if last < first:
        return "Aucun évènement : la période demandée est hors de la fenêtre de l'agenda."\
            .replace(" :", NBSP + ":")
    cap = f"{max_events:,}".replace(",", NBSP)
    return f"Évènements du {french_date(first)} au {french_date(last)} (au plus {cap})."


def french_date(day: date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
