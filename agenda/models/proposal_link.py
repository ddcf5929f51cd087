"""A further secret link to a proposal, sent by e-mail when its submitter says the first one is
lost (``/submit/lost-link``).  Like the first link (``Submission.secret_hash``), it is kept only
as a SHA-256 hash; every link of a proposal keeps working, so that asking for a new one (which
anybody can do for any address) never locks its submitter out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow


class ProposalLink(Base):
    __tablename__ = "proposal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
