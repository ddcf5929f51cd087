"""Proposals: add one, find it by its secret, the moderation queue."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Submission


def add_submission(session: Session, submission: Submission) -> Submission:
    session.add(submission)
    session.flush()
    return submission


def find_by_secret_hash(session: Session, secret_hash: str) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.secret_hash == secret_hash))


def pending_queue(session: Session) -> list[Submission]:
    """Proposals waiting for a decision, the oldest first."""
    return list(session.scalars(select(Submission).where(Submission.status == "pending")
                                .order_by(Submission.submitted_at, Submission.id)))


def get_submission(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"There is no proposal {submission_id}.", submission_id=submission_id)
    return submission


def recent_submissions(session: Session, status: str | None = None,
                       limit: int = 50) -> list[Submission]:
    """The latest proposals (with ``status``, when given), newest first."""
    query = select(Submission).order_by(Submission.submitted_at.desc(), Submission.id.desc())
    if status is not None:
        query = query.where(Submission.status == status)
    return list(session.scalars(query.limit(limit)))


def is_known_contact(session: Session, actor_id: int, email: str) -> bool:
    """True when staff have approved a proposal of this actor sent from this e-mail address."""
    query = select(Submission.id).where(
        Submission.actor_id == actor_id, Submission.decided_by_id.is_not(None),
        Submission.published_data.is_not(None),
        func.lower(Submission.contact_email) == email.strip().lower())
    return session.scalar(query.limit(1)) is not None
