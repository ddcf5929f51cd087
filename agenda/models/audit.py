"""The audit log: every moderation action (and every change a submitter makes), with who did it.

``who`` keeps the staff e-mail as it was (the log outlives accounts); submitters are recorded as
``submitter``, never by their private e-mail address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow

AUDIT_ACTIONS = ("submit", "edit_by_submitter", "cancel_by_submitter", "approve", "edit",
                 "reject", "publish_trusted", "campaign_create", "campaign_update",
                 "actor_trust", "user_add", "campaign_include", "campaign_exclude",
                 "campaign_unpick")


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    who: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(30))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
