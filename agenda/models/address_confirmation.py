"""A one-time link sent to the contact address of a proposal that names a trusted actor, and,
once followed, the proof that this address (from this browser) speaks for that actor.

Nothing secret or private is kept in clear: the link's token, the address and the submitter's
browser key are SHA-256 hashes.  A row is a pending link until ``confirmed_at`` is set; the
confirmed rows of an actor are its remembered proofs, deleted when staff revoke its trust.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow


class AddressConfirmation(Base):
    __tablename__ = "address_confirmations"
    __table_args__ = (Index("ix_address_confirmations_proof", "actor_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    email_hash: Mapped[str] = mapped_column(String(64))
    # The submitting browser's key (a cookie): the proof is remembered for that browser only.
    sender_hash: Mapped[str | None] = mapped_column(String(64))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
