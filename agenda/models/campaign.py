"""A campaign: a period during which events are gathered under one banner (the Mois de l'ESS,
every November).

Its events are computed, never copied: those proposed for it through the form
(``Event.campaign_id``), those its **rules** match in its dates, and those staff added by hand
(:class:`CampaignPick` rows), less those staff excluded by hand.  The rules are lists of themes,
words, sources, actors and departments: several values of one kind match any of them, several
kinds must all match (as the listing's filters combine); no rule at all matches nothing, so that
a campaign without rules holds only its proposals and hand-picked events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow

RULE_KINDS = ("themes", "words", "sources", "actors", "departments")


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

    # The portal: a banner sentence and an image (an https address)
    banner_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    image_url: Mapped[str | None] = mapped_column(String(2000))

    # The rules (JSON lists): theme slugs, words, source ids, actor ids, department codes
    rule_themes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    rule_words: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    rule_sources: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    rule_actors: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    rule_departments: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def rules(self) -> dict[str, tuple]:
        """The rules by kind (``RULE_KINDS``), empty kinds included."""
        return {kind: tuple(getattr(self, f"rule_{kind}") or ()) for kind in RULE_KINDS}


class CampaignPick(Base):
    """One event added to a campaign by hand (``included``), or excluded from it by hand."""

    __tablename__ = "campaign_picks"
    __table_args__ = (UniqueConstraint("campaign_id", "event_id", name="uq_campaign_picks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    included: Mapped[bool] = mapped_column(Boolean)
    picked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    picked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))
