"""Moderation by the regional staff: approve (publish at once), reject with a reason, edit,
trust an actor.  Every action is written to the audit log with who did it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from agenda.errors import ProposalError
from agenda.messages import N_
from agenda.models import Actor, Submission, User
from agenda.services.address_proofs import forget_proofs
from agenda.services.proposals import diff_proposals
from agenda.services.publication import publish
from agenda.services.submissions import replace_data
from agenda.settings import Settings
from agenda.store.audit import add_audit

MAX_REASON = 2000


def approve(session: Session, submission: Submission, *, user: User, now: datetime,
            settings: Settings) -> list[str]:
    _require_pending(submission)
    changed = [c.field for c in diff_proposals(submission.published_data, submission.data)]
    ids = publish(session, submission, now=now, settings=settings)
    _decided(submission, user, now)
    _audit(session, "approve", submission, user, now, {"changed": changed} if changed else None)
    return ids


def reject(session: Session, submission: Submission, *, user: User, reason: str,
           now: datetime) -> list[str]:
    """Refuse this version.  If an earlier version was approved it stays published (the
    refused changes are kept in the audit log); otherwise the proposal is rejected."""
    _require_pending(submission)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ProposalError(N_("Give the reason for the refusal: the submitter will read it."),
                            code="proposal.reason_missing")
    reason = reason[:MAX_REASON]
    detail = {"reason": reason}
    if submission.published_data is not None:
        detail["refused_changes"] = [
            {"field": c.field, "new": c.new}
            for c in diff_proposals(submission.published_data, submission.data)]
        submission.data = dict(submission.published_data)
        submission.status = "approved"
    else:
        submission.status = "rejected"
    submission.reject_reason = reason
    _decided(submission, user, now)
    _audit(session, "reject", submission, user, now, detail)
    return []


def edit_by_staff(session: Session, submission: Submission, data: dict, *, user: User,
                  now: datetime, settings: Settings) -> list[str]:
    """Staff correct a proposal; a published one is published again at once."""
    changed = replace_data(session, submission, data)
    _audit(session, "edit", submission, user, now, {"changed": changed})
    if submission.status == "approved":
        return publish(session, submission, now=now, settings=settings)
    return []


def set_actor_trusted(session: Session, actor: Actor, trusted: bool, *, user: User,
                      now: datetime) -> None:
    """Trust or stop trusting.  Revoking forgets the actor's proved addresses and pending
    confirmation links: trusted again, its addresses must be confirmed again."""
    actor.trusted = trusted
    detail = {"actor": actor.name, "trusted": trusted}
    if not trusted and (forgotten := forget_proofs(session, actor)):
        detail["forgotten_confirmations"] = forgotten
    add_audit(session, action="actor_trust", who=user.email, user_id=user.id, now=now,
              detail=detail)


def _require_pending(submission: Submission) -> None:
    if submission.status != "pending":
        raise ProposalError(N_("This proposal has already been dealt with (it is no longer "
                            "waiting for moderation)."), code="proposal.not_pending",
                            status=submission.status)


def _decided(submission: Submission, user: User, now: datetime) -> None:
    submission.decided_at = now
    submission.decided_by_id = user.id


def _audit(session, action, submission, user, now, detail=None) -> None:
    add_audit(session, action=action, who=user.email, user_id=user.id, now=now,
              submission_id=submission.id, detail=detail)
