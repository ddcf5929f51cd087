"""The territory at a glance, for the regional staff (``/admin/territory``): events, actors and
initiatives by theme, by department and by month, drawn on the server (inline SVG with the
numbers in tables); the actors gone silent, the sources that bring nothing new, the moderation
waiting; a campaign's coverage against its previous edition.  Staff only, read only.

Filters: ``theme``, ``dept`` (one each), ``year`` or ``from``/``to`` (the events' dates; by
default the last 12 months and the next 3) and ``campaign`` (an id); anything impossible is a
400 page with the sentence.  Every number comes from one aggregate query
(``agenda.store.territory``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import format_decimal, gettext
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from agenda.listing.filters import BadFilter
from agenda.models import Campaign
from agenda.store import territory as store
from agenda.store.campaign_members import campaign_scope
from agenda.store.campaigns import list_campaigns, running_or_next
from agenda.store.changes import data_version
from agenda.territory.memo import Memo
from agenda.territory.periods import Period, previous_edition, year_before
from agenda.web import db_session, state
from agenda.web.admin.views import staff_headers
from agenda.web.public.listing import current_region
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc, span_label, today_in
from agenda.web.shared.i18n import N_
from agenda.web.territory import page
from agenda.web.territory.request import Asked, asked, campaign_or_400, sentence_of

bp = Blueprint("territory", __name__)
bp.after_request(staff_headers)

SILENT_DAYS = 365
STALE_DAYS = 30
SILENT_SHOWN = 100
SUBMISSION_KINDS = (("event", N_("Events proposed")), ("initiative", N_("Initiatives proposed")),
                    ("actor", N_("Actors proposed")))


@bp.get("/admin/territory")
@staff_required
def overview():
    session, region, tz = db_session(), current_region(), state().settings.tz
    today, now = today_in(tz), now_utc()
    filters = asked(region, today)
    campaign = _chosen_campaign(session, filters, tz)
    key = (data_version(session)[0], filters, today, campaign.id if campaign else None)
    numbers = _memo().get(key, lambda: _numbers(session, filters, region, tz, now, campaign))
    counts = numbers.counts
    month_chart, month_rows = page.month_chart(filters.period.month_starts(), numbers.months)
    return render_template(
        "territory/overview.html", asked=filters, region=region, counts=counts,
        themes=page.breakdown(page.theme_rows(region, counts), dimension="theme",
                              chart_id="by-theme"),
        departments=page.breakdown(page.department_rows(region, counts),
                                   dimension="department", chart_id="by-department"),
        month_chart=month_chart, month_rows=month_rows, period_text=_period_text(filters),
        silent=numbers.silent, silent_total=numbers.silent_total, silent_days=SILENT_DAYS,
        stale=store.stale_sources(session, before=now - timedelta(days=STALE_DAYS)),
        stale_days=STALE_DAYS, backlog=store.moderation_backlog(session),
        submission_kinds=SUBMISSION_KINDS,
        coverage=_coverage(session, campaign, numbers, region) if campaign else None,
        campaigns=list_campaigns(session), links=_links(filters), kinds=page.KINDS,
        number=format_decimal,
        department_label=lambda code: page.department_label(code, region) if code else None)


@dataclass(frozen=True)
class Numbers:
    """What the page counts that only changes with the data (kept: agenda.territory.memo)."""

    counts: list[store.Counts]  # events, actors, initiatives
    months: list[int]
    silent: list[store.SilentActor]
    silent_total: int
    campaign: store.Counts | None = None
    before: store.Counts | None = None
    previous_id: int | None = None  # the previous edition (None: the same dates a year before)


def _numbers(session, filters: Asked, region, tz, now, campaign: Campaign | None) -> Numbers:
    slugs = tuple(t.slug for t in region.themes)
    scope = store.Scope(filters.theme, filters.department, *filters.period.instants(tz))
    silent, silent_total = store.silent_actors(
        session, scope, since=now - timedelta(days=SILENT_DAYS), limit=SILENT_SHOWN)
    numbers = Numbers(
        [store.event_counts(session, scope, slugs), store.actor_counts(session, scope, slugs),
         store.initiative_counts(session, scope, slugs)],
        store.events_by_month(session, scope, filters.period.month_bounds(tz)),
        silent, silent_total)
    if campaign is None:
        return numbers
    earlier = previous_edition(campaign, store.campaigns_before(session, campaign))
    if earlier is not None:
        before = store.campaign_counts(session, campaign_scope(earlier, tz), slugs)
    else:
        before = store.period_counts(session, *_year_before(campaign).instants(tz), slugs)
    return replace(numbers, campaign=store.campaign_counts(session, campaign_scope(campaign, tz),
                                                           slugs),
                   before=before, previous_id=earlier.id if earlier else None)


def _memo() -> Memo:
    return current_app.extensions.setdefault("territory_memo", Memo())


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return render_template("error.html", status=400, message=sentence_of(error)), 400


@dataclass(frozen=True)
class Coverage:
    campaign: Campaign
    previous_label: str  # short: the charts' legend, the tables' header
    previous_text: str  # what it is, in the sentence above
    previous_campaign: Campaign | None
    departments: list[page.Row]
    themes: list[page.Row]
    zero: list[str]  # the departments without any event in this edition
    department_chart: Markup
    theme_chart: Markup


def _coverage(session, campaign: Campaign, numbers: Numbers, region) -> Coverage:
    earlier = session.get(Campaign, numbers.previous_id) if numbers.previous_id else None
    if earlier is not None:
        label = sentence = earlier.name
    else:
        dates = _year_before(campaign)
        label = gettext("Same dates in %(year)s", year=dates.first.year)
        sentence = gettext("every event of the same dates a year before (%(dates)s)",
                           dates=_lower_first(span_label(dates.first, dates.last)))
    departments = page.department_rows(region, [numbers.campaign, numbers.before])
    themes = page.theme_rows(region, [numbers.campaign, numbers.before])
    return Coverage(
        campaign, label, sentence, earlier, departments, themes,
        [row.label for row in departments[:-1] if row.values[0] == 0],
        page.paired_chart(departments, chart_id="coverage-departments",
                          title=gettext("Events of %(campaign)s by department",
                                        campaign=campaign.name),
                          current=campaign.name, previous=label),
        page.paired_chart(themes, chart_id="coverage-themes",
                          title=gettext("Events of %(campaign)s by theme",
                                        campaign=campaign.name),
                          current=campaign.name, previous=label))


def _year_before(campaign: Campaign) -> Period:
    return Period(year_before(campaign.starts_on), year_before(campaign.ends_on))


def _chosen_campaign(session, filters: Asked, tz) -> Campaign | None:
    """The campaign asked for; else the one running or starting within 60 days, else the
    latest that started, else the next one."""
    if filters.campaign_id is not None:
        return campaign_or_400(session, filters.campaign_id)
    today = today_in(tz)
    chosen = running_or_next(session, today, within_days=60)
    if chosen is None:
        campaigns = list_campaigns(session)  # the latest first
        chosen = next((c for c in campaigns if c.starts_on <= today),
                      campaigns[-1] if campaigns else None)
    return chosen


def _period_text(filters: Asked) -> str:
    if filters.year is not None:
        return gettext("in %(year)s", year=filters.year)
    return _lower_first(span_label(filters.period.first, filters.period.last))


def _lower_first(text: str) -> str:
    """'From Saturday...' -> 'from Saturday...' (the names keep their capitals in English)."""
    return text[:1].lower() + text[1:]


def _links(filters: Asked) -> dict[str, str | None]:
    """The map and the actors' spreadsheet with the same filters, when those pages exist."""
    args = {k: v for k, v in (("theme", filters.theme), ("dept", filters.department)) if v}
    dated = dict(args)
    if filters.custom or filters.year is not None:
        dated.update({"from": filters.period.first.isoformat(),
                      "to": filters.period.last.isoformat()})
    try:
        map_url = url_for("map.map_page", **dated)
    except BuildError:
        map_url = None
    return {"map": map_url, "spreadsheet": _path_if_served(
        "/search.xlsx", {"kind": "actor", **args})}


def _path_if_served(path: str, args: dict) -> str | None:
    """``path`` with ``args`` when a view answers it (another part of the site may not be
    there yet)."""
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    return f"{path}?{urlencode(args)}"
