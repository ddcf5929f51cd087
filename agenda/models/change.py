"""One counter bumped by every transaction that changes published data.

Several gunicorn processes cache exports; they need a version that changes at every commit,
in commit order.  Timestamps cannot give that (two collections may commit in the opposite order
of their clocks); a single row updated inside each writing transaction can: the row lock
serialises the writers, so every commit leaves a new, higher value behind it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime


class DataChange(Base):
    __tablename__ = "data_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
