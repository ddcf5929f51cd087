"""Built feeds shared by every web worker and machine: one row per (kind, filters, data
version, day).

A row is first a claim (``building``, with a lease and a token: only the worker holding it
builds), then the body (``ready``, zlib-compressed, with its ETag and Last-Modified).  The
unique key makes the claim an insert-if-absent on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime

FEED_STATES = ("building", "ready")


class FeedCacheEntry(Base):
    __tablename__ = "feed_cache"
    __table_args__ = (
        UniqueConstraint("kind", "filter_key", "version", "day", name="uq_feed_cache_key"),
        CheckConstraint(f"state IN {FEED_STATES}", name="state"),
        Index("ix_feed_cache_filters", "kind", "filter_key", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    filter_key: Mapped[str] = mapped_column(String(64))  # hash of the normalised filters
    version: Mapped[str] = mapped_column(String(64))  # hash of the data version
    day: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))
    token: Mapped[str] = mapped_column(String(32))  # the claiming worker's
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib-compressed
    size: Mapped[int] = mapped_column(Integer, default=0)  # of the compressed body
    etag: Mapped[str] = mapped_column(String(64), default="")
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
