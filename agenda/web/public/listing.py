"""What every listing page shares: its filters read from the URL, the filter form, the facet
links, the subscription twins (iCalendar, Atom, JSON with the same filters), the quick ranges
and the numbered pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from math import ceil
from zoneinfo import ZoneInfo

from flask import request, url_for

from agenda import geography
from agenda.export.titles import feed_title
from agenda.listing.filters import MAX_VALUES, BadFilter, Filters, parse_filters, to_query
from agenda.models import Occurrence, Source
from agenda.region import Region, cached_region
from agenda.search.documents import city_key
from agenda.store.actor_names import shown_actor_names
from agenda.store.communes import communes_with_events
from agenda.store.sources import sources_with_events
from agenda.text_clean import clean_text
from agenda.web import db_session, state
from agenda.web.campaigns.scope import with_campaign
from agenda.web.public.pages import PageLinks, page_links
from agenda.web.public.quick_ranges import quick_ranges
from agenda.web.shared.dates import local_days
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import webcal_url

MAX_PAGE = 10_000
FORM_FIELDS = ("q", "from", "to", "city", "mode", "sort", "campaign")
FORM_LISTS = ("dept", "theme", "source", "commune", "actor")


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


def current_region() -> Region:
    return cached_region(state().settings.region_file)


def request_filters() -> Filters:
    """The filters of this request's URL; BadFilter (a 400 page) when one is malformed."""
    return with_campaign(parse_filters(request.args, region=current_region()))


def request_page() -> int:
    value = request.args.get("page", "1").strip() or "1"
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadFilter(f"The page must be a whole number between 1 and {MAX_PAGE}.")
    return int(value)


def filter_args(filters: Filters, **overrides) -> dict[str, list[str]]:
    """``filters`` as url_for keyword arguments (repeated parameters as lists)."""
    args: dict[str, list[str]] = {}
    for key, value in to_query(filters, **overrides):
        args.setdefault(key, []).append(value)
    return args


def pager_urls(pager: Pager, filters: Filters, endpoint: str, **view_args) -> PageLinks:
    """Links to the first, previous, next and numbered pages, with the same filters."""
    def page_url(page: int) -> str:
        return url_for(endpoint, **view_args, **filter_args(filters),
                       **({"page": page} if page > 1 else {}))
    return page_links(pager.page, pager.pages, page_url)


@dataclass(frozen=True)
class RangeLink:
    label: str  # an N_() msgid
    url: str
    current: bool


def range_links(filters: Filters, today: date, endpoint: str, **view_args) -> list[RangeLink]:
    """Today, this weekend, this week, this month: the same filters with those dates (the
    first range that matches the chosen dates is the current one)."""
    links, found = [], False
    for quick in quick_ranges(today):
        current = not found and (filters.start, filters.end) == (quick.start, quick.end)
        found = found or current
        links.append(RangeLink(quick.label, url_for(endpoint, **view_args, **filter_args(
            filters, start=quick.start, end=quick.end)), current))
    return links


def active_filters(filters: Filters) -> int:
    """How many filters narrow the listing: words, the period, city, mode, campaign, and each
    department, commune, theme, source and actor chosen (the sort order is not a filter)."""
    single = (filters.q, filters.start or filters.end, filters.city, filters.mode,
              filters.campaign is not None)
    return (sum(1 for value in single if value) + len(filters.departments)
            + len(filters.communes) + len(filters.themes) + len(filters.sources)
            + len(filters.actors))


def subscription_links(filters: Filters, *, api_filters: Filters | None = None) -> dict:
    """The listing's twins: the same filters as a calendar (named after them), a feed and
    JSON."""
    ics = url_for("feeds.calendar_ics", _external=True, **filter_args(filters))
    return {
        "webcal": webcal_url(ics), "ics": ics, "name": feed_title(
            filters, current_region(), shown_actor_names(db_session(), filters.actors)),
        "atom": url_for("feeds.atom", _external=True, **filter_args(filters)),
        "api": url_for("api.events", _external=True, **filter_args(api_filters or filters)),
    }


def facet_links(filters: Filters, facets: dict, endpoint: str, **view_args) -> dict:
    """Facet counts as links: an unselected value adds itself to the filters, a selected one
    removes itself."""
    region = current_region()
    departments = [
        FacetLink(f"{region.department(code).name} ({code})", count,
                  _toggle_url(filters, "departments", code, endpoint, view_args),
                  code in filters.departments)
        for code, count in facets.get("departments", []) if region.department(code)]
    themes = [
        FacetLink(theme_label(region.theme(slug)), count,
                  _toggle_url(filters, "themes", slug, endpoint, view_args),
                  slug in filters.themes)
        for slug, count in facets.get("themes", []) if region.theme(slug)]
    communes = [  # the chosen ones only: what the listing is narrowed to, each to remove
        FacetLink(commune_label(code), count,
                  _toggle_url(filters, "communes", code, endpoint, view_args), True)
        for code, count in facets.get("communes", []) if code in filters.communes]
    return {"departments": departments, "themes": themes, "communes": communes}


def commune_label(code: str) -> str:
    """'Tours (37)'."""
    found = geography.commune(code)
    return f"{found.name} ({found.department})" if found else code


def _toggle_url(filters: Filters, field: str, value: str, endpoint: str, view_args: dict) -> str:
    current = getattr(filters, field)
    values = tuple(v for v in current if v != value) if value in current else current + (value,)
    return url_for(endpoint, **view_args, **filter_args(filters, **{field: values}))


def form_options() -> dict:
    """The choices of the filter form: departments, themes and sources (and the actors asked
    for, named: the listing's organiser filter, shown so that it can be removed)."""
    region = current_region()
    selected = set(request.args.getlist("source"))
    with_events = dict(sources_with_events(db_session()))
    missing = {int(v) for v in selected if v.isdigit() and int(v) not in with_events}
    named = {**with_events, **{s.id: s.name for s in map(_source_or_none, missing) if s}}
    sources = [(str(sid), name) for sid, name in sorted(named.items())]
    return {"departments": [(d.code, f"{d.name} ({d.code})") for d in region.departments],
            "themes": [(t.slug, theme_label(t)) for t in region.themes],
            "sources": sources, "communes": commune_options(region, _communes_present()),
            "actors": _asked_actors()}


def _asked_actors() -> list[tuple[str, str]]:
    """(id, name) of the shown actors the URL's ``actor=`` asks for."""
    asked = {int(v) for v in request.args.getlist("actor")[:MAX_VALUES]
             if v.strip().isascii() and v.strip().isdigit() and len(v.strip()) <= 10}
    return [(str(i), name) for i, name in shown_actor_names(db_session(), asked).items()]


def _communes_present() -> list[str]:
    """The communes of the listed events: from the search index, else from SQL."""
    search = state().search
    found = search.commune_codes() if search is not None else None
    return found if found is not None else communes_with_events(db_session())


def commune_options(region: Region,
                    present: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The communes ``present`` (INSEE codes) and those asked for, under their department:
    [('Indre-et-Loire (37)', [('37261', 'Tours'), ...]), ...], by name."""
    asked = [code.strip().upper() for code in request.args.getlist("commune")][:MAX_VALUES]
    codes = dict.fromkeys([*present, *asked])
    found = [c for c in map(_commune_or_none, codes) if c and region.department(c.department)]
    groups = []
    for department in region.departments:
        members = sorted((c for c in found if c.department == department.code),
                         key=lambda c: (city_key(c.name), c.code))
        if members:
            groups.append((f"{department.name} ({department.code})",
                           [(c.code, c.name) for c in members]))
    return groups


def _commune_or_none(code: str):
    return geography.commune(code) if len(code) == 5 else None


def _source_or_none(source_id: int):
    return db_session().get(Source, source_id) if source_id < 2**31 else None


def form_values() -> dict:
    """What the visitor typed, as typed: the form is filled again with it, even when refused."""
    values = {name: _printable(request.args.get(name, "")) for name in FORM_FIELDS}
    values.update({name: request.args.getlist(name) for name in FORM_LISTS})
    return values


def _printable(text: str) -> str:
    """Without control, bidi or invisible characters, in NFC (``agenda.text_clean``), as the
    filters themselves are read."""
    return clean_text(text)


def group_by_day(occurrences: list[Occurrence], tz: ZoneInfo,
                 first_day: date) -> list[tuple[date, list[Occurrence]]]:
    """Occurrences (sorted by start) under their day; ones begun earlier under ``first_day``."""
    def day_of(occurrence: Occurrence) -> date:
        return max(local_days(occurrence, tz)[0], first_day)
    return [(day, list(items)) for day, items in groupby(occurrences, key=day_of)]
