"""The periods the territory page counts over, and how a campaign finds its previous edition
(pure: dates and names in, dates and choices out)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONTHS_BACK = 11  # the current month and the 11 before it: the last 12 months
MONTHS_AHEAD = 3
MAX_DAYS = 1096  # three years: the month chart stays readable
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    def instants(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Midnight of its first day and midnight after its last, in UTC."""
        return midnight(self.first, tz), midnight(self.last + timedelta(days=1), tz)

    def month_starts(self) -> list[date]:
        """The first day of each month it touches."""
        months, day = [], self.first.replace(day=1)
        while day <= self.last:
            months.append(day)
            day = add_months(day, 1)
        return months

    def month_bounds(self, tz: ZoneInfo) -> list[datetime]:
        """The instants that cut it into its months (clipped to its own first and last day):
        one more than its months."""
        start, end = self.instants(tz)
        inner = [midnight(day, tz) for day in self.month_starts()[1:]]
        return [start, *inner, end]


def default_period(today: date) -> Period:
    """The last 12 months (this one included) and the next 3."""
    first = add_months(today.replace(day=1), -MONTHS_BACK)
    after = add_months(today.replace(day=1), MONTHS_AHEAD + 1)
    return Period(first, after - timedelta(days=1))


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def add_months(day: date, count: int) -> date:
    """The first day of the month ``count`` months after ``day``'s (``day`` is a first)."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)


# --- Editions of a campaign ------------------------------------------------------------------

_YEAR = re.compile(r"\b(19|20|21)\d\d\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def edition_key(name: str) -> str:
    """A campaign's name without its year, case, accents or punctuation: "Mois de l'ESS
    2026" and "Mois de l’ESS – 2025" are two editions of "mois de l ess"."""
    folded = unicodedata.normalize("NFKD", _YEAR.sub(" ", name).casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


def previous_edition(campaign, earlier: list):
    """Among ``earlier`` campaigns (the latest first), the edition of the year before: the same
    name or slug once years are left out, starting in the previous year.  None when none."""
    wanted = {edition_key(campaign.name), edition_key(campaign.slug)} - {""}
    year = campaign.starts_on.year - 1
    for other in earlier:
        same = {edition_key(other.name), edition_key(other.slug)} & wanted
        if same and other.starts_on.year == year and other.id != campaign.id:
            return other
    return None


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
