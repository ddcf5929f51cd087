"""The filters of a listing, read from a URL query string and written back to one (pure).

Every listing (home, month, search, ``/calendar.ics``, Atom, ``/api/events``) takes the same
filters, so any view has its subscription twins with the same URL parameters:

    q        words (French analysis: accents and plurals don't matter)
    from,to  dates YYYY-MM-DD (inclusive), in the region's zone
    dept     department code, repeatable (must be one of the region's)
    city     city name (kept for old links; the form offers the commune)
    commune  INSEE code of a commune of the region, repeatable (``37261`` is Tours)
    theme    theme slug, repeatable (from config/region.toml)
    source   source id, repeatable
    actor    actor id, repeatable: the events the actor organises (``agenda.models.links``)
    mode     online | in_person
    sort     date | relevance
    campaign a campaign's slug: its events (``agenda.store.campaign_members``)

``campaign`` is read by the web layer (``agenda.web.campaigns.scope``), which looks the campaign
up and sets ``Filters.campaign`` to its scope (dates and rules); ``to_query`` writes its slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Mapping

from agenda import geography
from agenda.errors import AgendaError
from agenda.region import Region
from agenda.text_clean import clean_text

if TYPE_CHECKING:
    from agenda.store.campaign_members import CampaignScope

MAX_QUERY_LENGTH = 200
MAX_VALUES = 20
MAX_SPAN_DAYS = 3660
MODES = ("online", "in_person")
SORTS = ("date", "relevance")


class BadFilter(AgendaError):
    """A filter value is malformed: answered with HTTP 400 and the sentence."""

    code = "filter.invalid"


@dataclass(frozen=True)
class Filters:
    q: str = ""
    start: date | None = None
    end: date | None = None
    departments: tuple[str, ...] = ()
    city: str = ""
    communes: tuple[str, ...] = ()  # INSEE codes
    themes: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()
    mode: str | None = None
    sort: str = "date"
    campaign: CampaignScope | None = None  # set by the web layer (see the module's docstring)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def with_window(self, start: date, end: date) -> Filters:
        return replace(self, start=start, end=end)

    @property
    def is_empty(self) -> bool:
        return self == Filters(start=self.start, end=self.end, sort=self.sort)


def parse_filters(args: Mapping, *, region: Region) -> Filters:
    """Read and check the filters of a query string (a Werkzeug MultiDict or a plain dict).

    Control characters are refused (a 400); every value is then cleaned like stored text
    (bidi and invisible characters removed, NFC: ``agenda.text_clean``), so that what is
    searched, shown in the form and written back to links is the cleaned value."""
    getlist = args.getlist if hasattr(args, "getlist") else (lambda k: _as_list(args.get(k)))
    _refuse_control_characters(args, getlist)
    args = _CleanArgs({key: [clean_text(str(v)) for v in getlist(key)] for key in args.keys()})
    getlist = args.getlist
    start, end = _date(args.get("from"), "from"), _date(args.get("to"), "to")
    if start and end and end < start:
        raise BadFilter("The end date must not be before the start date.")
    if start and end and (end - start).days > MAX_SPAN_DAYS:
        raise BadFilter(f"The period may not exceed {MAX_SPAN_DAYS} days.")
    return Filters(
        q=_words(args.get("q")),
        start=start,
        end=end,
        departments=_departments(getlist("dept"), region),
        city=_text(args.get("city"), "city"),
        communes=_communes(getlist("commune"), region),
        themes=_themes(getlist("theme"), region),
        sources=_ids(getlist("source")),
        actors=_ids(getlist("actor"), "actor"),
        mode=_choice(args.get("mode"), MODES, "mode"),
        sort=_choice(args.get("sort"), SORTS, "sort") or "date",
    )


def to_query(filters: Filters, **overrides) -> list[tuple[str, str]]:
    """The query-string pairs of ``filters`` (defaults left out), for links and feed twins."""
    f = replace(filters, **overrides) if overrides else filters
    pairs: list[tuple[str, str]] = []
    if f.q:
        pairs.append(("q", f.q))
    if f.start:
        pairs.append(("from", f.start.isoformat()))
    if f.end:
        pairs.append(("to", f.end.isoformat()))
    pairs += [("dept", d) for d in f.departments]
    if f.city:
        pairs.append(("city", f.city))
    pairs += [("commune", c) for c in f.communes]
    pairs += [("theme", t) for t in f.themes]
    pairs += [("source", str(s)) for s in f.sources]
    pairs += [("actor", str(a)) for a in f.actors]
    if f.mode:
        pairs.append(("mode", f.mode))
    if f.sort != "date":
        pairs.append(("sort", f.sort))
    if f.campaign is not None:
        pairs.append(("campaign", f.campaign.slug))
    return pairs


def default_window(filters: Filters, today: date, days: int) -> tuple[date, date]:
    """The window a listing shows: the filters' dates, else ``days`` from today."""
    start = filters.start or today
    return start, filters.end or start + timedelta(days=days)


def _refuse_control_characters(args: Mapping, getlist) -> None:
    """NUL and other control characters (C0, DEL, C1) have no business in a filter (and
    PostgreSQL refuses NUL in text): a 400, not a 500.  Tabs and new lines are plain spaces."""
    for key in list(args.keys()):
        for value in getlist(key):
            if _CONTROL.search(str(value)):
                raise BadFilter("The search may not contain control characters.")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _CleanArgs(dict):
    """The cleaned values of a query string, read like a Werkzeug MultiDict."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key) -> list:
        return list(super().get(key) or [])


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _words(value) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise BadFilter(f"The search may not exceed {MAX_QUERY_LENGTH} characters.")
    return text


def _text(value, name: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise BadFilter(f"The {name} may not exceed {MAX_QUERY_LENGTH} characters.")
    return text


def _date(value, name: str) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        raise BadFilter(f"The date '{name}' must be written YYYY-MM-DD.") from None
    if not 1970 <= parsed.year <= 2200:
        raise BadFilter(f"The date '{name}' must be between the years 1970 and 2200.")
    return parsed


def _departments(values: list, region: Region) -> tuple[str, ...]:
    codes = _limited(values, "dept")
    for code in codes:
        if region.department(code) is None:
            raise BadFilter(f"Unknown department '{code[:10]}': the region's are "
                            f"{', '.join(d.code for d in region.departments)}.")
    return tuple(c.strip().upper() for c in codes)


def _communes(values: list, region: Region) -> tuple[str, ...]:
    """INSEE codes ('37261', '2A004') of communes of the region's departments."""
    codes = [code.upper() for code in _limited(values, "commune")]
    for code in codes:
        if not _INSEE_CODE.fullmatch(code):
            raise BadFilter(f"A commune must be given by its INSEE code of five characters, "
                            f"such as 37261 for Tours: '{code[:10]}' is not one.")
        found = geography.commune(code)
        if found is None:
            raise BadFilter(f"Unknown commune '{code}'.")
        if region.department(found.department) is None:
            raise BadFilter(f"The commune {found.name} ({code}) is outside the region.")
    return tuple(dict.fromkeys(codes))


_INSEE_CODE = re.compile(r"(?:\d{5}|2[AB]\d{3})")


def _themes(values: list, region: Region) -> tuple[str, ...]:
    slugs = _limited(values, "theme")
    for slug in slugs:
        if region.theme(slug) is None:
            raise BadFilter(f"Unknown theme '{slug[:40]}'.")
    return tuple(slugs)


def _ids(values: list, name: str = "source") -> tuple[int, ...]:
    ids = []
    for value in _limited(values, name):
        if not (value.isascii() and value.isdigit() and len(value) <= 10) \
                or not 0 < int(value) < 2**31:
            if name == "actor":
                raise BadFilter("An actor must be given by its number.")
            raise BadFilter("A source must be given by its number.")
        ids.append(int(value))
    return tuple(ids)


def _choice(value, allowed: tuple[str, ...], name: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise BadFilter(f"'{name}' must be one of: {', '.join(allowed)}.")
    return value


def _limited(values: list, name: str) -> list[str]:
    cleaned = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if len(cleaned) > MAX_VALUES:
        raise BadFilter(f"At most {MAX_VALUES} values of '{name}' may be given.")
    return cleaned
