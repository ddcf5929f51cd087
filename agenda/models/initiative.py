"""An initiative: an ongoing project or action of one or more actors (not dated, though its
dates are kept when known): proposed through the form (published after moderation), collected
from a source of kind "initiatives" (an actor's RSS/Atom of projects), or imported (a
spreadsheet, a GoGoCarto map).  ``origin_key`` keys what came from outside, so that collecting
or importing again changes the record instead of adding one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.models.actor import Actor
from agenda.models.base import (
    Base,
    SearchVector,
    UTCDateTime,
    search_vector_indexes,
    utcnow,
)

INITIATIVE_STATUSES = ("project", "active", "ended")


class Initiative(Base):
    __tablename__ = "initiatives"
    __table_args__ = (CheckConstraint(f"status IN {INITIATIVE_STATUSES}", name="status"),
                      *search_vector_indexes("initiatives"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public, random, stable
    title: Mapped[str] = mapped_column(String(300))
    description_html: Mapped[str] = mapped_column(Text, default="")
    description_text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    themes: Mapped[list] = mapped_column(JSON, default=list)
    department: Mapped[str | None] = mapped_column(String(3), index=True)  # None: whole region
    territory: Mapped[str | None] = mapped_column(String(200))  # a city, a pays, a quarter...
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(10), default="active")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # Collected by this source (kind "initiatives"); None: the form, staff or an import
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"),
                                                  index=True)
    # "<source id>:<item guid>", "gogocarto:<map host>:<element id>", "import:<key>"
    origin_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # PostgreSQL's search (agenda.search.pg), read only there
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)

    actor: Mapped[Actor | None] = relationship(lazy="joined")
