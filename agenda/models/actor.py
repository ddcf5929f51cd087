"""An actor: an organisation of the social and solidarity economy that publishes events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(2000))
    postcode: Mapped[str | None] = mapped_column(String(10))
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    # A trusted actor's proposals are published without waiting for moderation.
    trusted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
