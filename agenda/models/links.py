"""What links events, actors and initiatives (association tables, one row a link).

``EventActor.how`` says where the link came from: "source" (the source's owner), "organizer"
(the event's organiser field matched to a known actor by name or number), "form" (chosen in the
form) or "staff".  A link made by staff is never undone by a collection; the others are
recomputed when the event changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow

EVENT_ACTOR_HOWS = ("source", "organizer", "form", "staff")


class EventActor(Base):
    __tablename__ = "event_actors"
    __table_args__ = (CheckConstraint(f"how IN {EVENT_ACTOR_HOWS}", name="how"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    how: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InitiativeActor(Base):
    """An initiative's actors (``Initiative.actor_id`` stays its main actor, also listed here)."""

    __tablename__ = "initiative_actors"

    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"),
                                               primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventInitiative(Base):
    """An event that is part of an initiative (linked by staff, or by the form)."""

    __tablename__ = "event_initiatives"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
