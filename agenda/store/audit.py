"""The audit log: append an entry, read the latest ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import AuditEntry

SUBMITTER = "submitter"  # how submitters appear: never by their private e-mail address


def add_audit(session: Session, *, action: str, who: str, now: datetime,
              user_id: int | None = None, submission_id: int | None = None,
              detail: dict | None = None) -> AuditEntry:
    entry = AuditEntry(at=now, action=action, who=who, user_id=user_id,
                       submission_id=submission_id, detail=detail or {})
    session.add(entry)
    session.flush()
    return entry


def list_audit(session: Session, *, submission_id: int | None = None,
               limit: int = 200) -> list[AuditEntry]:
    """The latest entries first (of one proposal, when ``submission_id`` is given)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if submission_id is not None:
        query = query.where(AuditEntry.submission_id == submission_id)
    return list(session.scalars(query))
