"""The record of one collection of one source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime

RUN_OUTCOMES = ("ok", "not_modified", "unchanged", "error")


class CollectionRun(Base):
    __tablename__ = "collection_runs"
    __table_args__ = (CheckConstraint(f"outcome IN {RUN_OUTCOMES}", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(15))
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_params: Mapped[dict | None] = mapped_column(JSON)  # the values in error_message
    # What the parser had to say about items it skipped or repaired (first ones only)
    warnings: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # Beside each warning, its code and values ({"code", "params"}, or None for a plain one)
    warning_details: Mapped[list | None] = mapped_column(JSON)
    worker: Mapped[str | None] = mapped_column(String(100))
