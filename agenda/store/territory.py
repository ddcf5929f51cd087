"""What the territory page counts (``/admin/territory``): events, actors and initiatives by
theme and by department, events by month, silent actors, stale sources, the moderation backlog
and a campaign's coverage.  Every count is one aggregate query (GROUP BY, SUM of CASE): no row
is loaded into Python to be counted.

Events are the listed ones (``conditions.listed``: not removed, not a copy merged into another)
counted once each, whatever their number of dates; actors the shown ones (confirmed or « à
vérifier », not removed); initiatives the published ones (not removed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import String, and_, case, cast, exists, func, not_, or_, select, union
from sqlalchemy.orm import Session, aliased

from agenda.models import (
    Actor,
    Campaign,
    CampaignPick,
    Event,
    EventActor,
    Initiative,
    Occurrence,
    Source,
    Submission,
)
from agenda.store.campaign_members import CampaignScope, in_dates, member_condition
from agenda.store.conditions import has_any_theme, listed

SHOWN_STATUSES = ("confirmed", "to_check")
UNFETCHED_KINDS = ("form", "import")
TROUBLED = ("broken", "error")


@dataclass(frozen=True)
class Scope:
    """The page's filters: one theme, one department (None: all), a period in UTC."""

    theme: str | None = None
    department: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None


@dataclass(frozen=True)
class Counts:
    """How many, by theme slug ("" for none) and by department code (None: unplaced)."""

    total: int = 0
    themes: dict[str, int] = field(default_factory=dict)
    departments: dict[str | None, int] = field(default_factory=dict)


# --- Events, actors, initiatives by theme and department -------------------------------------

def event_counts(session: Session, scope: Scope, slugs: tuple[str, ...]) -> Counts:
    """The listed events of the scope (an occurrence in its period)."""
    return _counts(session, Event, _event_conditions(scope), slugs)


def actor_counts(session: Session, scope: Scope, slugs: tuple[str, ...]) -> Counts:
    """The shown actors of the scope's theme and department (their dates do not matter)."""
    return _counts(session, Actor, [*_shown_actor(), *_theme_dept(Actor, scope)], slugs)


def initiative_counts(session: Session, scope: Scope, slugs: tuple[str, ...]) -> Counts:
    """The published initiatives of the scope's theme and department (region-wide ones have
    no department)."""
    return _counts(session, Initiative,
                   [Initiative.removed_at.is_(None), *_theme_dept(Initiative, scope)], slugs)


def _counts(session: Session, model, conditions: list, slugs: tuple[str, ...]) -> Counts:
    """One pass over the rows: how many per department and per list of themes (as the JSON
    text stored: a few hundred different lists at most), spread over the themes here.  Cheaper
    than a sum per theme (a LIKE per theme and row: 1.1 s on 100,000 events, 0.3 s this way)
    and than unnesting the JSON, which each database spells its own way."""
    department = func.coalesce(model.department, "")  # an expression: no index walk
    themes = cast(model.themes, String)
    rows = session.execute(select(department, themes, func.count()).where(*conditions)
                           .group_by(department, themes)).all()
    departments: dict[str | None, int] = {}
    by_theme = dict.fromkeys((*slugs, ""), 0)
    for code, listed_themes, count in rows:
        departments[code or None] = departments.get(code or None, 0) + count
        found = _slugs_of(listed_themes) & set(slugs)
        for slug in found or {""}:
            by_theme[slug] += count
    return Counts(sum(departments.values()), by_theme, departments)


def _slugs_of(text: str | None) -> set[str]:
    """The theme slugs of a stored JSON list (nothing from anything else)."""
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return set()
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _theme_dept(model, scope: Scope) -> list:
    conditions = []
    if scope.theme:
        conditions.append(has_any_theme(model.themes, [scope.theme]))
    if scope.department:
        conditions.append(model.department == scope.department)
    return conditions


def _shown_actor() -> list:
    return [Actor.status.in_(SHOWN_STATUSES), Actor.removed_at.is_(None)]


def _event_conditions(scope: Scope) -> list:
    conditions = [listed(), *_theme_dept(Event, scope)]
    if scope.start_at is not None and scope.end_at is not None:
        dated = select(Occurrence.event_id).where(
            Occurrence.start_at < scope.end_at,
            or_(Occurrence.end_at > scope.start_at, Occurrence.start_at >= scope.start_at))
        conditions.append(_unindexed(Event.id).in_(dated))
    return conditions


def _unindexed(column):
    """``column`` as an expression no index answers: SQLite then reads the table in order and
    probes the list of the subquery, instead of looking each id of the list up through the
    primary key's index (random reads: 2 to 3 times slower over 100,000 events);
    PostgreSQL hashes either way."""
    return column.concat("")


# --- Events by month -----------------------------------------------------------------------

def events_by_month(session: Session, scope: Scope, bounds: list[datetime]) -> list[int]:
    """The listed events of the scope's theme and department with an occurrence starting in
    each month, ``bounds`` the months' first instants and the end of the last (so one count
    fewer than bounds); an event of several months counts in each, once."""
    if len(bounds) < 2:
        return []
    month = case(*((Occurrence.start_at < bound, index)
                   for index, bound in enumerate(bounds[1:])), else_=None).label("month")
    dated = (select(month, Occurrence.event_id)
             .where(Occurrence.start_at >= bounds[0], Occurrence.start_at < bounds[-1],
                    _counted_event(scope))
             .distinct().subquery())
    rows = session.execute(select(dated.c.month, func.count()).group_by(dated.c.month)).all()
    found = {row[0]: row[1] for row in rows}
    return [found.get(index, 0) for index in range(len(bounds) - 1)]


def _counted_event(scope: Scope):
    """SQL: the occurrence at hand is of a listed event of the scope's theme and department.
    Without either, the events left out are few (removed, merged copies): excluding them
    reads the events without keeping every listed one's id in a hash."""
    if scope.theme or scope.department:
        counted = select(Event.id).where(listed(), *_theme_dept(Event, scope))
        return _unindexed(Occurrence.event_id).in_(counted)
    left_out = select(Event.id).where(or_(Event.removed_at.is_not(None),
                                          Event.duplicate_of.is_not(None)))
    return _unindexed(Occurrence.event_id).not_in(left_out)


# --- Silent actors ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SilentActor:
    id: int
    name: str
    department: str | None
    last_event_at: datetime | None  # the start of its last date, None when it never had one


def silent_actors(session: Session, scope: Scope, *, since: datetime,
                  limit: int) -> tuple[list[SilentActor], int]:
    """Shown actors (of the scope's theme and department) with no event dated from ``since``
    on, linked to them or collected from a source they own; the first ``limit`` by department
    and name, and how many there are."""
    conditions = [*_shown_actor(), *_theme_dept(Actor, scope),
                  not_(_has_event(Actor.id, since))]
    rows = session.execute(  # the total beside each row: the condition is evaluated once
        select(Actor.id, Actor.name, Actor.department, func.count().over().label("total"))
        .where(*conditions).order_by(Actor.department, Actor.name, Actor.id)
        .limit(limit)).all()
    last = last_events(session, [row.id for row in rows])
    silent = [SilentActor(row.id, row.name, row.department, last.get(row.id)) for row in rows]
    return silent, rows[0].total if rows else 0


def _has_event(actor_id, since: datetime):
    """SQL: the actor has an event (not removed) dated from ``since`` on: linked to it, or
    collected from a source it owns."""
    recent = [Event.removed_at.is_(None), Occurrence.event_id == Event.id,
              Occurrence.end_at > since]
    linked = exists(select(1).select_from(EventActor).join(Event, Event.id == EventActor.event_id)
                    .join(Occurrence, Occurrence.event_id == Event.id)
                    .where(EventActor.actor_id == actor_id, *recent))
    return or_(linked, actor_id.in_(_owners_of_active_sources(recent)))


def _owners_of_active_sources(recent: list):
    """SQL: the owners of the sources with a recent event, found once for all the actors (a
    test per actor let PostgreSQL read every occurrence for each actor: minutes for 20,000);
    each source stops at its first recent event."""
    return select(Source.actor_id).where(
        Source.actor_id.is_not(None),
        exists(select(1).select_from(Event).join(Occurrence, Occurrence.event_id == Event.id)
               .where(Event.source_id == Source.id, *recent)
               .limit(1)))  # kept per source: PostgreSQL would hash every event first


def last_events(session: Session, actor_ids: list[int]) -> dict[int, datetime]:
    """The latest start of each actor's events (linked to it or from its sources), for a page
    of actors: one GROUP BY per way, over these actors' events only (a correlated max() let
    the database walk every occurrence by date for each actor without any)."""
    if not actor_ids:
        return {}
    alive = [Event.removed_at.is_(None)]
    linked = (select(EventActor.actor_id, func.max(Occurrence.start_at))
              .join(Event, Event.id == EventActor.event_id)
              .join(Occurrence, Occurrence.event_id == Event.id)
              .where(EventActor.actor_id.in_(actor_ids), *alive).group_by(EventActor.actor_id))
    owned = (select(Source.actor_id, func.max(Occurrence.start_at))
             .join(Event, Event.source_id == Source.id)
             .join(Occurrence, Occurrence.event_id == Event.id)
             .where(Source.actor_id.in_(actor_ids), *alive).group_by(Source.actor_id))
    found: dict[int, datetime] = {}
    for query in (linked, owned):
        for actor_id, last in session.execute(query):
            last = _aware(last)
            if last is not None and (actor_id not in found or last > found[actor_id]):
                found[actor_id] = last
    return found


# --- Stale sources ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StaleSource:
    source: Source
    failing: bool  # in error or broken (else: no success for too long)
    since: datetime | None  # failing since / last success (None: never collected)


def stale_sources(session: Session, *, before: datetime) -> list[StaleSource]:
    """Enabled, fetched sources failing, or without a success since ``before``: the failing
    first (broken, then in error), then the longest without news."""
    from agenda.store.source_health import sources_in_trouble

    failing = [StaleSource(t.source, True, t.since) for t in sources_in_trouble(session)
               if t.source.kind not in UNFETCHED_KINDS]
    quiet = session.scalars(
        select(Source).where(
            Source.enabled.is_(True), Source.kind.not_in(UNFETCHED_KINDS),
            Source.status.not_in(TROUBLED),
            or_(Source.last_success_at < before,
                and_(Source.last_success_at.is_(None), Source.created_at < before)))
        .order_by(Source.last_success_at.is_not(None), Source.last_success_at, Source.name))
    return failing + [StaleSource(s, False, s.last_success_at) for s in quiet]


# --- The moderation backlog ------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    count: int
    oldest: datetime | None


@dataclass(frozen=True)
class Backlog:
    submissions: dict[str, Waiting]  # by kind: event, initiative, actor
    pairs: Waiting
    to_check: int  # actors « à vérifier »

    @property
    def empty(self) -> bool:
        return (not any(w.count for w in self.submissions.values()) and not self.pairs.count
                and not self.to_check)


def moderation_backlog(session: Session) -> Backlog:
    from agenda.store.match_pairs import count_pending

    rows = session.execute(
        select(Submission.kind, func.count(), func.min(Submission.submitted_at))
        .where(Submission.status == "pending").group_by(Submission.kind)).all()
    submissions = {kind: Waiting(count, _aware(oldest)) for kind, count, oldest in rows}
    pairs = Waiting(count_pending(session), None)
    to_check = session.scalar(select(func.count()).select_from(Actor).where(
        Actor.status == "to_check", Actor.removed_at.is_(None))) or 0
    return Backlog(submissions, pairs, to_check)


def _aware(moment: datetime | None) -> datetime | None:
    """An instant read back through an aggregate, as UTC whatever the database gave."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


# --- A campaign's coverage -----------------------------------------------------------------

def campaign_counts(session: Session, scope: CampaignScope, slugs: tuple[str, ...]) -> Counts:
    """The campaign's events (listed, not cancelled), by department and theme.  Membership is
    ``member_condition``'s, tested only on the events that can pass it (see _candidates):
    tested on every event, it read each one's occurrences (1.2 s on 100,000 events)."""
    members = (select(Event.id).join(Occurrence, Occurrence.event_id == Event.id)
               .where(Event.id.in_(_candidates(scope)), listed(), Event.status != "cancelled",
                      member_condition(scope))
               .correlate(None))  # its own events, not the counting query's
    return _counts(session, Event, [_unindexed(Event.id).in_(members)], slugs)


def _candidates(scope: CampaignScope):
    """SQL: the ids of the events that may belong to the campaign: those dated in its dates
    (its rules apply to no other), those proposed for it or picked by hand, and the events
    such a copy was merged into.  A superset: member_condition decides."""
    included = select(CampaignPick.event_id).where(CampaignPick.campaign_id == scope.id,
                                                   CampaignPick.included.is_(True))
    copy = aliased(Event)
    return union(
        select(Occurrence.event_id).where(in_dates(scope)),
        select(Event.id).where(Event.campaign_id == scope.id),
        included,
        select(copy.duplicate_of).where(copy.duplicate_of.is_not(None),
                                        or_(copy.campaign_id == scope.id,
                                            copy.id.in_(included))))


def period_counts(session: Session, start_at: datetime, end_at: datetime,
                  slugs: tuple[str, ...]) -> Counts:
    """Every listed event (not cancelled) with an occurrence between the two instants."""
    conditions = _event_conditions(Scope(start_at=start_at, end_at=end_at))
    return _counts(session, Event, [*conditions, Event.status != "cancelled"], slugs)


def campaigns_before(session: Session, campaign: Campaign) -> list[Campaign]:
    """The campaigns that started before ``campaign``, the latest first."""
    return list(session.scalars(select(Campaign).where(Campaign.starts_on < campaign.starts_on)
                                .order_by(Campaign.starts_on.desc(), Campaign.id.desc())))

