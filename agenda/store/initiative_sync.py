"""The initiatives a source of kind "initiatives" collected, written (insert or update).

Each item is keyed by ``Initiative.origin_key = "<source id>:<guid or link>"``: collecting the
same feed again changes nothing; a changed item updates its initiative; an item that left the
feed is kept (a news feed scrolls, its old items are still the actor's projects).  The source's
owner is the main actor (``Initiative.actor_id``, also listed in ``initiative_actors``).  The
commune is the one the item's place names (``agenda.records.placing``), else the owner's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Actor, Initiative, InitiativeActor, Source
from agenda.records.placing import place_values
from agenda.store.changes import bump_data_version
from agenda.text_clean import clean_line, clean_url

# The columns a collection writes (the others are staff's or the form's)
SYNCED = ("title", "description_html", "description_text", "url", "themes", "starts_on",
          "ends_on", "territory", "lat", "lon", "commune_code", "commune_name", "department",
          "actor_id", "source_id")


@dataclass
class SyncCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated)


def sync_initiatives(session: Session, source: Source, records, *, now: datetime) -> SyncCounts:
    """Insert or update the initiatives of ``records`` (``InitiativeRecord``s, themes
    filled); flushes, bumps the data version when anything changed, never commits."""
    owner = session.get(Actor, source.actor_id) if source.actor_id else None
    counts = SyncCounts()
    keys = [origin_key(source.id, record.guid) for record in records]
    known: dict = {i.origin_key: i for i in session.scalars(
        select(Initiative).where(Initiative.origin_key.in_(keys)))} if keys else {}
    known.update({key: None for key in keys if key not in known})
    for key, record in zip(keys, records):
        _, what = upsert_initiative(session, key, initiative_values(record, source, owner),
                                    owner=owner, now=now, known=known.get(key, False))
        setattr(counts, what, getattr(counts, what) + 1)
    if counts.changed:
        bump_data_version(session)
    return counts


def upsert_initiative(session: Session, key: str, values: dict, *, owner: Actor | None,
                      now: datetime, known=False) -> tuple[Initiative, str]:
    """Insert or update the initiative keyed ``key`` (an import's or a collection's) with
    ``values`` (columns of ``SYNCED``, status too); returns it and "new", "updated" or
    "unchanged".  ``known``: the initiative already looked up (None: there is none; False:
    look it up).  Its main actor is also listed among its actors.  Flushes; the caller bumps
    the data version when something changed."""
    initiative = known if known is not False else session.scalar(
        select(Initiative).where(Initiative.origin_key == key))
    status = values.pop("status", None)
    if initiative is None:
        initiative = Initiative(id=secrets.token_hex(10), origin_key=key,
                                status=status or "active", created_at=now, updated_at=now,
                                **values)
        session.add(initiative)
        what = "new"
    elif (_differs(initiative, values) or initiative.removed_at is not None
          or (status and status != initiative.status)):
        for name, value in values.items():
            setattr(initiative, name, value)
        initiative.status = status or initiative.status
        initiative.updated_at, initiative.removed_at = now, None
        what = "updated"
    else:
        what = "unchanged"
    session.flush()
    _link_owner(session, initiative, owner, now=now)
    return initiative, what


def origin_key(source_id: int, guid: str) -> str:
    return f"{source_id}:{guid}"[:500]


def initiative_values(record, source: Source, owner: Actor | None) -> dict:
    """The columns of one collected item (cleaned as every text from a source)."""
    territory = clean_line(record.place or "")[:200] or None
    if territory or record.lat is not None:
        place = place_values(city=territory, lat=record.lat, lon=record.lon)
    else:
        place = {"commune_code": owner.commune_code if owner else None,
                 "commune_name": owner.commune_name if owner else None,
                 "department": owner.department if owner else None}
    return {"title": clean_line(record.title)[:300], "description_html": record.description_html,
            "description_text": record.description_text,
            "url": clean_url(record.url) or None if record.url else None,
            "themes": list(record.themes), "starts_on": record.starts_on,
            "ends_on": record.ends_on, "territory": territory, "lat": record.lat,
            "lon": record.lon, **place, "actor_id": owner.id if owner else None,
            "source_id": source.id}


def _differs(initiative: Initiative, values: dict) -> bool:
    return any(getattr(initiative, name) != values[name] for name in SYNCED if name in values)


def _link_owner(session: Session, initiative: Initiative, owner: Actor | None, *,
                now: datetime) -> None:
    if owner is None or session.get(InitiativeActor, (initiative.id, owner.id)) is not None:
        return
    session.add(InitiativeActor(initiative_id=initiative.id, actor_id=owner.id, created_at=now))
    session.flush()


def initiative_count(session: Session, source_id: int) -> int:
    """How many initiatives a source collected that are still published."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Initiative).where(
        Initiative.source_id == source_id, Initiative.removed_at.is_(None))) or 0
