"""The territory page's filters, read from its URL: one theme, one department, a year or dates,
a campaign.  Anything impossible is a :class:`BadTerritory` (HTTP 400 with the sentence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request
from flask_babel import gettext

from agenda.listing.filters import BadFilter, parse_filters
from agenda.models import Campaign
from agenda.region import Region
from agenda.territory.periods import MAX_DAYS, Period, default_period, year_period
from agenda.web.shared.filter_errors import translate_filter_error
from agenda.web.shared.i18n import N_

YEARS = (1970, 2200)
MAX_CAMPAIGN_ID = 10**9
YEAR_SENTENCE = N_("The year must be a number between %(low)s and %(high)s.")
BOTH_SENTENCE = N_("Give either a year or dates, not both.")


class BadTerritory(BadFilter):
    """A filter of the territory page refused; ``msgid`` and ``values`` say it in any language
    (the listing's own sentences are translated by ``translate_filter_error``)."""

    def __init__(self, msgid: str, **values):
        super().__init__(msgid % values)
        self.msgid, self.values = msgid, values


def sentence_of(error: BadFilter) -> str:
    if isinstance(error, BadTerritory):
        return gettext(error.msgid, **error.values)
    return translate_filter_error(str(error))


@dataclass(frozen=True)
class Asked:
    theme: str | None
    department: str | None
    period: Period
    year: int | None
    custom: bool  # dates were given
    campaign_id: int | None


def asked(region: Region, today: date) -> Asked:
    """The filters of this request; BadFilter for anything impossible."""
    args = request.args
    given = {key: args.get(key, "") for key in ("theme", "dept", "from", "to")}
    filters = parse_filters({k: v for k, v in given.items() if v.strip()}, region=region)
    year = _year(args.get("year", "").strip())
    if year is not None and (filters.start or filters.end):
        raise BadTerritory(BOTH_SENTENCE)
    period = year_period(year) if year is not None else _dates(filters.start, filters.end, today)
    return Asked((filters.themes or (None,))[0], (filters.departments or (None,))[0], period,
                 year, bool(filters.start or filters.end), _campaign(args.get("campaign", "")))


def _year(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not YEARS[0] <= int(value) <= YEARS[1]:
        raise BadTerritory(YEAR_SENTENCE, low=YEARS[0], high=YEARS[1])
    return int(value)


def _dates(start: date | None, end: date | None, today: date) -> Period:
    default = default_period(today)
    period = Period(start or default.first, end or default.last)
    if period.last < period.first:
        raise BadFilter("The end date must not be before the start date.")
    if (period.last - period.first).days > MAX_DAYS:
        raise BadFilter(f"The period may not exceed {MAX_DAYS} days.")
    return period


def _campaign(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < MAX_CAMPAIGN_ID:
        raise BadFilter(f"Unknown campaign '{value[:40]}'.")
    return int(value)


def campaign_or_400(session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise BadFilter(f"Unknown campaign '{campaign_id}'.")
    return campaign
