"""Campaigns: listing, finding the one that covers a date, lookups, creation and changes; the
counters of their events (by department and theme) and the rows of their CSV export."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Campaign, Event, Occurrence, Submission

ID_CHUNK = 1000
EDITABLE = ("slug", "name", "starts_on", "ends_on", "description")


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, the most recent first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(),
                                                          Campaign.id.desc())))


def campaign_covering(session: Session, day: date) -> Campaign | None:
    """The campaign whose dates cover ``day`` (the shortest one if several do)."""
    candidates = session.scalars(select(Campaign).where(Campaign.starts_on <= day,
                                                        Campaign.ends_on >= day))
    return min(candidates, key=lambda c: (c.ends_on - c.starts_on, c.id), default=None)


def get_campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign {campaign_id}.", campaign_id=campaign_id)
    return campaign


def get_campaign_by_slug(session: Session, slug: str) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise NotFound(f"There is no campaign {slug!r}.", slug=slug)
    return campaign


def slug_taken(session: Session, slug: str, *, except_id: int | None = None) -> bool:
    """True when another campaign (not ``except_id``) already has ``slug``."""
    query = select(Campaign.id).where(Campaign.slug == slug)
    if except_id is not None:
        query = query.where(Campaign.id != except_id)
    return session.scalar(query.limit(1)) is not None


def create_campaign(session: Session, *, slug: str, name: str, starts_on: date, ends_on: date,
                    description: str = "", now: datetime) -> Campaign:
    campaign = Campaign(slug=slug, name=name, starts_on=starts_on, ends_on=ends_on,
                        description=description, created_at=now)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: Campaign, **values) -> Campaign:
    """Set the given columns (slug, name, starts_on, ends_on, description)."""
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"A campaign has no editable field {name!r}.")
        setattr(campaign, name, value)
    session.flush()
    return campaign


# --- Its events ----------------------------------------------------------------------------

_COUNTED = (Event.removed_at.is_(None), Event.status != "cancelled", Event.recurrence_id == "")


def _counted(campaign_id: int) -> list:
    """The campaign's events the counters count: published, not cancelled, one per series."""
    return [Event.campaign_id == campaign_id, *_COUNTED]



def count_events(session: Session, campaign_id: int) -> int:
    return session.scalar(select(func.count(Event.id)).where(*_counted(campaign_id))) or 0


def counts_by_department(session: Session, campaign_id: int) -> list[tuple[str | None, int]]:
    """(department code, number of events), the most first; None: online or unplaced."""
    rows = session.execute(select(Event.department, func.count(Event.id))
                           .where(*_counted(campaign_id)).group_by(Event.department))
    return _most_first(Counter(dict(rows.all())))


def counts_by_theme(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """(theme slug, number of events), the most first (an event may have several themes)."""
    counts: Counter = Counter()
    for themes in session.scalars(select(Event.themes).where(*_counted(campaign_id))):
        counts.update(set(themes or []))  # a theme once per event
    return _most_first(counts)


def _most_first(counts: Counter) -> list[tuple]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] or "~"))


def events_span(session: Session, campaign_id: int) -> tuple[datetime, datetime] | None:
    """The first start and the last end of the occurrences of the campaign's published events
    (None when it has none)."""
    first, last = session.execute(
        select(func.min(Occurrence.start_at), func.max(Occurrence.end_at)).join(Occurrence.event)
        .where(Event.campaign_id == campaign_id, Event.removed_at.is_(None))).one()
    return (first, last) if first is not None else None


def export_rows(session: Session, campaign_id: int) -> list[tuple[Event, str]]:
    """The campaign's published events by start (one row per series: the master), each with
    the public contact of the proposal it was published from ("" when none)."""
    events = list(session.scalars(
        select(Event).where(Event.campaign_id == campaign_id, Event.removed_at.is_(None),
                            Event.recurrence_id == "")
        .order_by(Event.start_at, Event.title, Event.id)))
    contacts = _public_contacts(session, [event.id for event in events])
    return [(event, contacts.get(event.id, "")) for event in events]


def _public_contacts(session: Session, event_ids: list[str]) -> dict[str, str]:
    """The public contact of the approved version of each event's proposal."""
    found: dict[str, str] = {}
    for start in range(0, len(event_ids), ID_CHUNK):
        rows = session.execute(select(Submission.event_id, Submission.published_data)
                               .where(Submission.event_id.in_(event_ids[start:start + ID_CHUNK])))
        for event_id, published in rows:
            contact = (published or {}).get("public_contact") or ""
            if contact:
                found[event_id] = str(contact)
    return found


def event_counts(session: Session) -> dict[int, int]:
    """The number of events each campaign counts (see ``count_events``), by campaign id."""
    rows = session.execute(
        select(Event.campaign_id, func.count(Event.id))
        .where(Event.campaign_id.is_not(None), *_COUNTED)
        .group_by(Event.campaign_id))
    return dict(rows.all())
