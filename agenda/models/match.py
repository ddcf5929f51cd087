"""A pair of events that may be the same event announced twice, and what became of it.

Pairs are kept by event row (not by listed event), the smaller id first, so that a decision
("not the same", "the same") is remembered across collections and never asked again.
``state``: "pending" (in the staff review queue), "merged" (merged automatically or confirmed by
staff), "refused" (staff said they are not the same, or split them apart)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow

MATCH_STATES = ("pending", "merged", "refused")


class MatchPair(Base):
    __tablename__ = "match_pairs"
    __table_args__ = (
        UniqueConstraint("first_id", "second_id", name="uq_match_pairs_events"),
        CheckConstraint(f"state IN {MATCH_STATES}", name="state"),
        CheckConstraint("first_id < second_id", name="ordered"),
        Index("ix_match_pairs_state", "state", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    second_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                           index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)  # each part of the score
    state: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(254))  # staff e-mail, or "auto"
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
