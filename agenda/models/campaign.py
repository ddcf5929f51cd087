"""A campaign: a period during which events are gathered under one banner (the Mois de l'ESS,
every November).  Its events are those proposed for it through the form."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
