"""A proposal sent through the public form (an event, an initiative or an actor), and its
moderation.

The proposal is kept as submitted in ``data`` (already checked and sanitised); ``published_data``
is the version last approved, so that when an approved proposal is edited again the staff see
what changed.  The submitter's secret link is kept only as a SHA-256 hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.models.actor import Actor
from agenda.models.base import Base, UTCDateTime, utcnow
from agenda.models.campaign import Campaign

SUBMISSION_KINDS = ("event", "initiative", "actor")
SUBMISSION_STATUSES = ("pending", "approved", "rejected", "cancelled")


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(f"kind IN {SUBMISSION_KINDS}", name="kind"),
        CheckConstraint(f"status IN {SUBMISSION_STATUSES}", name="status"),
        Index("ix_submissions_queue", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # shown to people: "P-…"
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    data: Mapped[dict] = mapped_column(JSON)
    published_data: Mapped[dict | None] = mapped_column(JSON)
    contact_email: Mapped[str] = mapped_column(String(254))  # private: never shown publicly
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    initiative_id: Mapped[str | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the submitter last sent it: the moderation queue is oldest first by this.
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    actor: Mapped[Actor | None] = relationship(lazy="joined")
    campaign: Mapped[Campaign | None] = relationship(lazy="joined")
