"""Proposals from the submitter's side: send one, find it again by its secret link, edit it,
cancel it.  A proposal is stored (pending) before anything else happens.  The secret is
returned once and kept only as a hash.

An actor marked trusted is published at once only from a proved address: see
``agenda.services.address_proofs`` (a one-time link e-mailed to the contact address, remembered
for that address, actor and browser).  An address the staff once approved a proposal of that
actor from is still required, but no longer enough: it ties the address to the actor, yet says
nothing about who typed it, and it is on the actor's public pages for anyone to type."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from agenda.errors import ProposalError
from agenda.messages import N_
from agenda.models import Submission
from agenda.services.address_proofs import Outcome, publish_if_proved
from agenda.services.proposals import diff_proposals
from agenda.services.publication import withdraw
from agenda.settings import Settings
from agenda.store.audit import SUBMITTER, add_audit
from agenda.store.proposal_links import find_by_link_hash
from agenda.store.submissions import add_submission, find_by_secret_hash

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone


@dataclass
class Received:
    submission: Submission
    secret: str
    published_ids: list[str] = field(default_factory=list)
    confirmation: str | None = None  # a link's token to e-mail to the contact address


def submit(session: Session, *, kind: str, data: dict, contact_email: str, now: datetime,
           settings: Settings, sender_key: str | None = None) -> Received:
    """Store the proposal (pending); a trusted actor's is then published if its address and
    the submitter's browser (``sender_key``) are proved, or gets a confirmation link."""
    secret = secrets.token_urlsafe(32)
    submission = add_submission(session, Submission(
        reference=new_reference(), secret_hash=hash_secret(secret), kind=kind,
        status="pending", data=data, contact_email=contact_email,
        actor_id=data.get("actor_id"), campaign_id=_campaign_id(kind, data),
        created_at=now, submitted_at=now))
    add_audit(session, action="submit", who=SUBMITTER, now=now, submission_id=submission.id)
    outcome = publish_if_proved(session, submission, sender_key=sender_key, now=now,
                                settings=settings)
    return Received(submission, secret, outcome.published_ids, outcome.confirmation)


def find_by_secret(session: Session, secret: str) -> Submission | None:
    """The proposal of a secret link: the first one, or one sent since (``lost_links``)."""
    if not secret or len(secret) > 200:
        return None
    hashed = hash_secret(secret)
    return find_by_secret_hash(session, hashed) or find_by_link_hash(session, hashed)


def edit_by_submitter(session: Session, submission: Submission, data: dict, *,
                      contact_email: str, now: datetime, settings: Settings,
                      sender_key: str | None = None) -> Outcome:
    """The new version goes back to moderation; what was approved stays published meanwhile.
    (A trusted actor's, from a proved address and browser, is published at once.)"""
    changed = replace_data(session, submission, data)
    submission.contact_email = contact_email
    submission.status, submission.submitted_at = "pending", now
    submission.reject_reason = submission.decided_at = submission.decided_by_id = None
    add_audit(session, action="edit_by_submitter", who=SUBMITTER, now=now,
              submission_id=submission.id, detail={"changed": changed})
    return publish_if_proved(session, submission, sender_key=sender_key, now=now,
                             settings=settings)


def replace_data(session: Session, submission: Submission, data: dict) -> list[str]:
    """Put a new version of the proposal in place; returns the names of the changed fields.
    A cancelled proposal can no longer change."""
    if submission.status == "cancelled":
        raise ProposalError(N_("This proposal was cancelled: it can no longer be changed."),
                            code="proposal.cancelled")
    changed = [c.field for c in diff_proposals(submission.data, data)]
    submission.data = data
    submission.actor_id = data.get("actor_id")
    submission.campaign_id = _campaign_id(submission.kind, data)
    session.flush()
    session.expire(submission, ["actor", "campaign"])
    return changed


def cancel_by_submitter(session: Session, submission: Submission, *,
                        now: datetime) -> list[str]:
    """The proposal is withdrawn: no longer moderated, and taken out of the calendar."""
    if submission.status == "cancelled":
        return []
    submission.status = "cancelled"
    submission.decided_at = now
    add_audit(session, action="cancel_by_submitter", who=SUBMITTER, now=now,
              submission_id=submission.id)
    return withdraw(session, submission, now=now)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_reference() -> str:
    return "P-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _campaign_id(kind: str, data: dict) -> int | None:
    return data.get("campaign_id") if kind == "event" else None
