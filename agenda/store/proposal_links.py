"""Further secret links of proposals, and the proposals sent from one contact address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.models import ProposalLink, Submission


def add_link(session: Session, *, submission_id: int, secret_hash: str,
             now: datetime) -> ProposalLink:
    link = ProposalLink(submission_id=submission_id, secret_hash=secret_hash, created_at=now)
    session.add(link)
    session.flush()
    return link


def find_by_link_hash(session: Session, secret_hash: str) -> Submission | None:
    """The proposal a further link (by its hash) leads to."""
    return session.scalar(select(Submission).join(
        ProposalLink, ProposalLink.submission_id == Submission.id).where(
        ProposalLink.secret_hash == secret_hash))


def proposals_from_address(session: Session, email: str, *, limit: int) -> list[Submission]:
    """The proposals (not cancelled) whose contact address is ``email`` whatever its case,
    the newest first."""
    query = (select(Submission)
             .where(func.lower(Submission.contact_email) == email.strip().lower(),
                    Submission.status != "cancelled")
             .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(limit))
    return list(session.scalars(query))


def latest_link_at(session: Session, submission_id: int) -> datetime | None:
    """When the proposal's last further link was made (None: never)."""
    return session.scalar(select(func.max(ProposalLink.created_at))
                          .where(ProposalLink.submission_id == submission_id))
