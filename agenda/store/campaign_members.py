"""Which events belong to a campaign: a query, never copied rows, so that a newly collected
event matching the rules joins without anyone acting.

An event belongs to a campaign when it was proposed for it (``Event.campaign_id``), or staff
added it by hand, or the rules match it and it has an occurrence in the campaign's dates; and
staff did not exclude it by hand.  :func:`member_condition` is that test as SQL on events
joined to their occurrences: the listing, the campaign page, its counters and every export use
it, so that they all hold the same events."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from agenda.models import Campaign, CampaignPick, Event, Occurrence, Source, Submission
from agenda.store.conditions import has_any_theme, listed


@dataclass(frozen=True)
class CampaignScope:
    """What a query needs of a campaign: its id, its dates as UTC instants, its rules."""

    id: int | None
    slug: str
    start_at: datetime  # midnight (region's zone) of its first day, in UTC
    end_at: datetime  # midnight after its last day, in UTC
    themes: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()

    @property
    def has_rules(self) -> bool:
        return bool(self.themes or self.words or self.sources or self.actors
                    or self.departments)


def campaign_scope(campaign: Campaign, tz: ZoneInfo) -> CampaignScope:
    """The scope of a (saved or not yet saved) campaign, its dates read in ``tz``."""
    rules = campaign.rules()
    return CampaignScope(
        id=campaign.id, slug=campaign.slug, start_at=_midnight(campaign.starts_on, tz),
        end_at=_midnight(campaign.ends_on + timedelta(days=1), tz),
        themes=rules["themes"], words=rules["words"],
        sources=tuple(int(s) for s in rules["sources"]),
        actors=tuple(int(a) for a in rules["actors"]), departments=rules["departments"])


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(ZoneInfo("UTC"))


def member_condition(scope: CampaignScope):
    """SQL: the event (joined to the occurrence at hand) belongs to the campaign."""
    picks = select(CampaignPick.event_id).where(CampaignPick.campaign_id == scope.id)
    included = picks.where(CampaignPick.included.is_(True))
    kept = [_or_a_copy(lambda e: or_(e.campaign_id == scope.id, e.id.in_(included)))]
    if scope.has_rules:
        kept.append(and_(in_dates(scope), *rule_conditions(scope)))
    return and_(Event.id.not_in(picks.where(CampaignPick.included.is_(False))), or_(*kept))


def in_dates(scope: CampaignScope):
    """SQL: the occurrence at hand overlaps the campaign's dates."""
    return and_(Occurrence.start_at < scope.end_at,
                or_(Occurrence.end_at > scope.start_at, Occurrence.start_at >= scope.start_at))


def rule_conditions(scope: CampaignScope) -> list:
    """SQL, one condition per kind of rule given: any value of a kind, every kind."""
    conditions = []
    if scope.themes:
        conditions.append(has_any_theme(Event.themes, scope.themes))
    if scope.words:
        conditions.append(or_(*(_word(word) for word in scope.words)))
    if scope.sources:
        conditions.append(_or_a_copy(lambda e: e.source_id.in_(scope.sources)))
    if scope.actors:
        conditions.append(_or_a_copy(lambda e: _by_actors(scope.actors, e)))
    if scope.departments:
        conditions.append(Event.department.in_(scope.departments))
    return conditions or [false()]


def _word(word: str):
    pattern = "%" + (word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%"
    return or_(Event.title.ilike(pattern, escape="\\"),
               Event.description_text.ilike(pattern, escape="\\"),
               Event.organizer.ilike(pattern, escape="\\"))


def _by_actors(actor_ids: tuple[int, ...], event=Event):
    """Published by one of the actors' sources, or proposed in the name of one of them."""
    return or_(event.source_id.in_(select(Source.id).where(Source.actor_id.in_(actor_ids))),
               event.id.in_(select(Submission.event_id).where(
                   Submission.actor_id.in_(actor_ids), Submission.event_id.is_not(None))))


def _or_a_copy(condition):
    """SQL: ``condition(event)`` holds for the event or for a copy merged into it (a proposal
    for the campaign, or an announcement by a source of its rules, counts for the event)."""
    copy = aliased(Event)
    return or_(condition(Event), Event.id.in_(select(copy.duplicate_of).where(
        copy.duplicate_of.is_not(None), copy.removed_at.is_(None), condition(copy))))


# --- What the campaign page and the staff form count -----------------------------------------

@dataclass(frozen=True)
class MemberCounts:
    """The campaign's events (not cancelled, a series once) and how they spread."""

    total: int
    departments: list[tuple[str | None, int]]
    themes: list[tuple[str, int]]
    sources: list[tuple[int, str, int]]  # (source id, its name, events)
    organisers: int


def member_counts(session: Session, scope: CampaignScope,
                  window: tuple[datetime, datetime]) -> MemberCounts:
    """The counters of the events that belong to the campaign with an occurrence in
    ``window`` (the dates its page lists)."""
    counted = (select(Event.id).join(Event.occurrences)
               .where(listed(), Event.status != "cancelled", _window(window),
                      member_condition(scope)).distinct())
    rows = session.execute(
        select(Event.source_id, Event.source_uid, Event.department, Event.themes,
               Event.organizer, Source.name)
        .join(Event.source).where(Event.id.in_(counted))).all()
    series = {(row.source_id, row.source_uid): row for row in rows}.values()
    departments, themes, sources = Counter(), Counter(), Counter()
    for row in series:
        departments[row.department] += 1
        themes.update(set(row.themes or []))
        sources[(row.source_id, row.name)] += 1
    organisers = {(row.organizer or row.name).strip().lower() for row in series}
    return MemberCounts(
        len(series), _most_first(departments), _most_first(themes),
        [(key[0], key[1], n) for key, n in sorted(sources.items(),
                                                  key=lambda i: (-i[1], i[0][1]))],
        len(organisers))


def _window(window: tuple[datetime, datetime]):
    start, end = window
    return and_(Occurrence.start_at < end,
                or_(Occurrence.end_at > start, Occurrence.start_at >= start))


def _most_first(counts: Counter) -> list[tuple]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] or "~"))


def members_span(session: Session, scope: CampaignScope) -> tuple[datetime, datetime] | None:
    """The first start and the last end of the occurrences of the campaign's events (None
    when it has none): proposals and hand-picked events may lie outside its dates."""
    first, last = session.execute(
        select(func.min(Occurrence.start_at), func.max(Occurrence.end_at))
        .join(Occurrence.event)
        .where(listed(), member_condition(scope))).one()
    return (first, last) if first is not None else None


def member_totals(session: Session, scopes: list[CampaignScope], tz: ZoneInfo) -> dict[int, int]:
    """The number of events each campaign counts on its page, by campaign id."""
    totals = {}
    for scope in scopes:
        span = members_span(session, scope)
        window = _page_window(scope, span)
        totals[scope.id] = member_counts(session, scope, window).total
    return totals


def _page_window(scope: CampaignScope, span) -> tuple[datetime, datetime]:
    if span is None:
        return scope.start_at, scope.end_at
    return min(scope.start_at, span[0]), max(scope.end_at, span[1])


# --- The rules alone (staff preview) ---------------------------------------------------------

@dataclass(frozen=True)
class RulePreview:
    matched: int  # events the rules match in the dates
    in_dates: int  # every published event in the dates
    titles: list[tuple[str, str]]  # (event id, title) of the first matched, by start

    @property
    def matches_nothing(self) -> bool:
        return self.matched == 0

    @property
    def matches_everything(self) -> bool:
        return self.matched > 0 and self.matched == self.in_dates


def preview_rules(session: Session, scope: CampaignScope, *, shown: int = 8) -> RulePreview:
    """How many published events the rules of ``scope`` match in its dates now, of how many."""
    published = [listed(), in_dates(scope)]
    every = select(Event.id).join(Event.occurrences).where(*published).distinct().subquery()
    total = session.scalar(select(func.count()).select_from(every)) or 0
    if not scope.has_rules:
        return RulePreview(0, total, [])
    matched = (select(Event.id, Event.title, func.min(Occurrence.start_at).label("first"))
               .join(Event.occurrences).where(*published, *rule_conditions(scope))
               .group_by(Event.id, Event.title))
    rows = session.execute(matched.order_by("first", Event.id)).all()
    return RulePreview(len(rows), total, [(row.id, row.title) for row in rows[:shown]])


# --- Hand-picked events --------------------------------------------------------------------

def list_picks(session: Session, campaign_id: int) -> list[tuple[CampaignPick, Event]]:
    """The events added or excluded by hand, the latest first."""
    return list(session.execute(
        select(CampaignPick, Event).join(Event, Event.id == CampaignPick.event_id)
        .where(CampaignPick.campaign_id == campaign_id)
        .order_by(CampaignPick.picked_at.desc(), CampaignPick.id.desc())).all())


def get_pick(session: Session, campaign_id: int, event_id: str) -> CampaignPick | None:
    return session.scalar(select(CampaignPick).where(CampaignPick.campaign_id == campaign_id,
                                                     CampaignPick.event_id == event_id))


def set_pick(session: Session, campaign_id: int, event_id: str, *, included: bool,
             user_id: int | None, now: datetime) -> CampaignPick:
    """Add (``included``) or exclude the event by hand, replacing an earlier pick."""
    pick = get_pick(session, campaign_id, event_id)
    if pick is None:
        pick = CampaignPick(campaign_id=campaign_id, event_id=event_id)
        session.add(pick)
    pick.included, pick.picked_at, pick.picked_by_id = included, now, user_id
    session.flush()
    return pick


def delete_pick(session: Session, pick: CampaignPick) -> None:
    session.delete(pick)
    session.flush()
