"""Campaigns: listing, finding the one that covers a date or the next one, lookups, creation and
changes, and the rows of their CSV export."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Campaign, Event, Submission

ID_CHUNK = 1000
EDITABLE = ("slug", "name", "starts_on", "ends_on", "description", "banner_text", "image_url",
            "rule_themes", "rule_words", "rule_sources", "rule_actors", "rule_departments")


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


def all_exist(session: Session, id_column, ids) -> bool:
    """Every one of ``ids`` is a row's ``id_column`` (the sources or actors of a rule)."""
    if not ids:
        return True
    found = session.scalar(select(func.count()).where(id_column.in_(set(ids))))
    return found == len(set(ids))


def create_campaign(session: Session, *, slug: str, name: str, starts_on: date, ends_on: date,
                    description: str = "", now: datetime, **more) -> Campaign:
    """A new campaign; ``more``: its other columns (banner, image, rules: see EDITABLE)."""
    unknown = set(more) - set(EDITABLE)
    if unknown:
        raise ValueError(f"A campaign has no field {sorted(unknown)[0]!r}.")
    campaign = Campaign(slug=slug, name=name, starts_on=starts_on, ends_on=ends_on,
                        description=description, created_at=now, **more)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: Campaign, **values) -> Campaign:
    """Set the given columns (those of EDITABLE)."""
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"A campaign has no editable field {name!r}.")
        setattr(campaign, name, value)
    session.flush()
    return campaign


# --- Its events (which they are: agenda.store.campaign_members) ------------------------------

def export_rows(session: Session, event_ids: list[str]) -> list[tuple[Event, str]]:
    """The events of ``event_ids`` (a campaign's, by first date), the masters of series only,
    each with the public contact of the proposal it was published from ("" when none)."""
    events: dict[str, Event] = {}
    for start in range(0, len(event_ids), ID_CHUNK):
        chunk = event_ids[start:start + ID_CHUNK]
        events.update((event.id, event) for event in session.scalars(
            select(Event).where(Event.id.in_(chunk), Event.recurrence_id == "")))
    ordered = [events[event_id] for event_id in event_ids if event_id in events]
    contacts = _public_contacts(session, [event.id for event in ordered])
    return [(event, contacts.get(event.id, "")) for event in ordered]


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


def running_or_next(session: Session, today: date, *, within_days: int) -> Campaign | None:
    """The campaign running ``today`` (the shortest if several), else the first one starting
    within ``within_days``."""
    running = campaign_covering(session, today)
    if running is not None:
        return running
    return session.scalar(select(Campaign).where(
        Campaign.starts_on > today, Campaign.starts_on <= today + timedelta(days=within_days))
        .order_by(Campaign.starts_on, Campaign.id).limit(1))
