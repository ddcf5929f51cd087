"""An event as collected from a source, and its occurrences in the rolling window."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.models.base import (
    Base,
    SearchVector,
    UTCDateTime,
    search_vector_indexes,
    utcnow,
)
from agenda.models.source import Source

EVENT_STATUSES = ("confirmed", "tentative", "cancelled")


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("source_id", "source_uid", "recurrence_id", name="uq_events_provenance"),
        CheckConstraint(f"status IN {EVENT_STATUSES}", name="status"),
        Index("ix_events_source_removed", "source_id", "removed_at"),
        Index("ix_events_updated_at", "updated_at"),  # the exports' data version: max()
        *search_vector_indexes("events"),
        # PostgreSQL's search counts and facets the listed events from this index alone
        Index("ix_events_listed_facts", "id",
              postgresql_include=["department", "commune_code", "source_id", "themes"],
              postgresql_where=text("removed_at IS NULL AND duplicate_of IS NULL"),
              sqlite_where=text("removed_at IS NULL AND duplicate_of IS NULL")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    source_uid: Mapped[str] = mapped_column(String(500))
    recurrence_id: Mapped[str] = mapped_column(String(64), default="")

    title: Mapped[str] = mapped_column(String(500))
    description_html: Mapped[str] = mapped_column(Text, default="")
    description_text: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    rrule: Mapped[str | None] = mapped_column(Text)
    rdate: Mapped[list] = mapped_column(JSON, default=list)
    exdate: Mapped[list] = mapped_column(JSON, default=list)

    location_name: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    # The commune (INSEE code and name) the place lies in, when it can be known offline
    # (agenda.geography); the department then is the commune's.
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str | None] = mapped_column(String(2000))
    organizer: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)

    sequence: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Merging (agenda.services.merging): a copy of an event announced by several sources points
    # to the one listed (the earliest copy), which is shown, counted and exported alone.  The
    # listed copy's columns hold the merged values; its own values wait in ``own_values``.
    duplicate_of: Mapped[str | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True)
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    own_values: Mapped[dict | None] = mapped_column(JSON)
    # PostgreSQL's search (agenda.search.pg), and the text of the event's VEVENT as stored with
    # it (agenda.export), keyed by what it was written from: both read only where needed.
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)
    ics_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    ics_key: Mapped[str | None] = mapped_column(String(200), deferred=True)

    source: Mapped[Source] = relationship(lazy="joined")
    occurrences: Mapped[list["Occurrence"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Occurrence.start_at",
    )


class Occurrence(Base):
    """One dated occurrence; its id is stable (event id + start) across re-collections."""

    __tablename__ = "occurrences"
    __table_args__ = (
        # window scans (start_at < end AND end_at > start) answered from the index alone
        Index("ix_occurrences_window", "start_at", "end_at", "event_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    event: Mapped[Event] = relationship(back_populates="occurrences")
