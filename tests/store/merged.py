"""What the tests of merged events share: two sources announcing the same forum, and a merge
written the way ``agenda.services.merging`` leaves the rows (the copy points to the listed
event, its SEQUENCE and last change bumped, the data version bumped)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from agenda.db import transaction
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.store.changes import bump_data_version
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def forum(uid: str, title: str = "Forum de l'ESS", *, day: int = 24, **fields) -> EventRecord:
    """The forum of 24 November 2026 in Orléans, as one source announces it."""
    start = datetime(2026, 11, day, 18, 0, tzinfo=PARIS)
    end = start + timedelta(hours=2)
    fields.setdefault("location", Location(name="Salle des fêtes", city="Orléans",
                                           postcode="45000", department="45"))
    return EventRecord(source_uid=uid, title=title, start=start, end=end, timezone="Europe/Paris",
                       themes=("emploi-insertion",), occurrences=[Occurrence(start, end)],
                       **fields)


def add_events(factory, name: str, records: list[EventRecord], *, now: datetime = NOW,
               actor_name: str | None = None, actor_website: str | None = None) -> list[str]:
    """A new source ``name`` collecting ``records``; the ids of its events, in order."""
    with transaction(factory) as session:
        source = add_source(session, name=name, url=f"http://127.0.0.1/{name}.ics",
                            actor_name=actor_name, now=now)
        if actor_website and source.actor is not None:
            source.actor.website = actor_website
        upsert_events(session, source.id, records, now=now, tz=PARIS)
        return [session.scalar(_id_of(source.id, r.source_uid)) for r in records]


def _id_of(source_id: int, uid: str):
    return select(Event.id).where(Event.source_id == source_id, Event.source_uid == uid,
                                  Event.recurrence_id == "")


def merge_into(factory, copy_id: str, listed_id: str, *, now: datetime = NOW) -> None:
    """Mark ``copy_id`` a copy of ``listed_id`` as the merging service does."""
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.id == copy_id).values(
            duplicate_of=listed_id, merged_at=now, updated_at=now,
            sequence=Event.sequence + 1).execution_options(synchronize_session=False))
        bump_data_version(session)


def split(factory, copy_id: str, *, now: datetime) -> None:
    """Undo a merge as a split does: the copy listed again, its SEQUENCE bumped."""
    with transaction(factory) as session:
        session.execute(update(Event).where(Event.id == copy_id).values(
            duplicate_of=None, merged_at=None, updated_at=now,
            sequence=Event.sequence + 1).execution_options(synchronize_session=False))
        bump_data_version(session)
