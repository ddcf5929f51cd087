"""A source: one feed of one actor, collected on a schedule, with its health in columns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.models.actor import Actor
from agenda.models.base import Base, UTCDateTime, utcnow

# "form": the one source holding the events proposed through the form (never fetched);
# "import": events imported from a spreadsheet by staff (never fetched either).
# The fetched kinds: "auto" (told from what the URL returns at each collection), "ics",
# "feed" (RSS/Atom), "jsonld" (web pages with schema.org events), "openagenda" (API v2),
# "tribe" (The Events Calendar's REST API), "initiatives" (an actor's RSS/Atom of projects or
# news: its items become initiatives, not events).
FETCHED_KINDS = ("auto", "ics", "feed", "jsonld", "openagenda", "tribe", "initiatives")
SOURCE_KINDS = (*FETCHED_KINDS, "form", "import")
SOURCE_STATUSES = ("never", "ok", "error", "broken")


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(f"kind IN {SOURCE_KINDS}", name="kind"),
        CheckConstraint(f"status IN {SOURCE_STATUSES}", name="status"),
        Index("ix_sources_due", "enabled", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(12), default="auto")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A secret of the source (OpenAgenda's API key): sent in a header, stored apart from the
    # URL, never shown, printed or logged.
    api_key: Mapped[str | None] = mapped_column(String(500))
    # Who hears about the source's breakdowns and recoveries (the owner's contact address)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Incremental collection state of paged APIs (OpenAgenda: last updatedAt seen...)
    sync_state: Mapped[dict | None] = mapped_column(JSON)
    # When one event is announced by several sources, the copy of the source with the highest
    # priority gives each field (staff set it; the form's default is above the others')
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Health
    status: Mapped[str] = mapped_column(String(10), default="never")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_code: Mapped[str | None] = mapped_column(String(50))
    # The values written in last_error (status, host...), for pages to say it in their language
    last_error_params: Mapped[dict | None] = mapped_column(JSON)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    # "failing" once the owner and the staff were told the source fails (one e-mail per change
    # of state: the next one is sent when it recovers)
    alert_state: Mapped[str | None] = mapped_column(String(10))
    # The feed doctor's findings at the last collection that read the document
    diagnosis: Mapped[dict | None] = mapped_column(JSON)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    # Claim held by the worker collecting it right now: renewed while it works, cleared when it
    # finishes.  A claim found expired means that collection died (counted as a failed run).
    # ``claim_token`` fences the final write: only the holder of the current token may write.
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # Set when the collection under the claim actually starts (its batch may still be waiting):
    # only a started claim that expires was a collection that died.
    claim_started: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Conditional GET and change detection
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    parsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    detected_format: Mapped[str | None] = mapped_column(String(10))

    actor: Mapped[Actor | None] = relationship(lazy="joined")
