"""Proved addresses: a proposal that names a trusted actor is published without moderation only
once its contact address has shown that it speaks for that actor.

Two conditions, both needed.  The address must be one the staff already approved a proposal of
that actor from (it says the address belongs to the actor: without it anyone could confirm his
own address); but that alone proves nothing about the sender, since anyone can pick a trusted
actor in the public form and type its address (it is on the actor's public pages).  So the
sender must also prove he reads that address: a one-time link e-mailed to it (a random token,
kept only as its SHA-256 hash, valid CONFIRMATION_VALIDITY, used once).  Following it and
pressing the button (a POST: mail scanners that fetch links confirm nothing) publishes the
proposal and remembers the proof for that (actor, address) *and the browser the proposal came
from* (a random key in a cookie, kept here as a hash): its later proposals for that actor are
published at once.  Bound to the browser, a remembered proof is worth nothing to a
stranger who types the same address later; he gets a new link sent to the real owner instead.
Staff revoking the actor's trust forget every proof and link of that actor.

Without SMTP no link can be sent: the trusted path is then off and every proposal is moderated.
Addresses are never written to logs or to the audit log: the audit names a confirmed address by
the start of its hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agenda.errors import ProposalError
from agenda.messages import N_
from agenda.models import Actor, AddressConfirmation, Submission
from agenda.services.publication import publish
from agenda.settings import Settings
from agenda.store.address_confirmations import (
    add_confirmation,
    delete_actor_confirmations,
    find_by_token_hash,
    is_proved,
)
from agenda.store.audit import add_audit
from agenda.store.submissions import is_known_contact

CONFIRMATION_VALIDITY = timedelta(hours=24)
MAX_TOKEN = 200


@dataclass
class Outcome:
    """What the trusted path did with a proposal: published it, or sent it a link to confirm."""

    published_ids: list[str] = field(default_factory=list)
    confirmation: str | None = None  # the token to e-mail to the contact address


@dataclass
class Confirmed:
    submission: Submission
    published_ids: list[str]


def trusted_path_open(settings: Settings) -> bool:
    """Without an SMTP server no address can be proved: every proposal is moderated."""
    return bool(settings.smtp_host)


def publish_if_proved(session: Session, submission: Submission, *, sender_key: str | None,
                      now: datetime, settings: Settings) -> Outcome:
    """Publish a pending proposal of a trusted actor from a proved address and browser; for a
    known address not proved yet, issue a confirmation link (the proposal waits meanwhile)."""
    actor = session.get(Actor, submission.actor_id) if submission.actor_id else None
    if actor is None or not actor.trusted or not trusted_path_open(settings):
        return Outcome()
    if not is_known_contact(session, actor.id, submission.contact_email):
        return Outcome()  # an address the staff never approved for this actor: moderated
    email_hash = hash_value(normalized(submission.contact_email))
    if sender_key and is_proved(session, actor_id=actor.id, email_hash=email_hash,
                                sender_hash=hash_value(sender_key)):
        return Outcome(publish_trusted(session, submission, actor, email_hash, now=now,
                                       settings=settings, proof="remembered"))
    return Outcome(confirmation=issue_confirmation(session, submission, actor,
                                                   sender_key=sender_key, now=now))


def issue_confirmation(session: Session, submission: Submission, actor: Actor, *,
                       sender_key: str | None, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    add_confirmation(session, AddressConfirmation(
        token_hash=hash_value(token), actor_id=actor.id,
        email_hash=hash_value(normalized(submission.contact_email)),
        sender_hash=hash_value(sender_key) if sender_key else None,
        submission_id=submission.id, created_at=now,
        expires_at=now + CONFIRMATION_VALIDITY))
    return token


def pending_confirmation(session: Session, token: str, *, now: datetime
                         ) -> AddressConfirmation:
    """The link's confirmation, still usable; a ProposalError (with a sentence) otherwise."""
    found = find_by_token_hash(session, hash_value(token)) if 0 < len(token) <= MAX_TOKEN \
        else None
    if found is None:
        raise ProposalError(N_("This confirmation link is unknown or no longer valid."),
                            code="confirmation.unknown")
    if found.confirmed_at is not None:
        raise ProposalError(N_("This confirmation link has already been used: it works only "
                               "once."), code="confirmation.used")
    if now >= found.expires_at:
        raise ProposalError(N_("This confirmation link has expired (it was valid for 24 "
                               "hours). The proposal waits for the regional team, who will "
                               "check it as usual."), code="confirmation.expired")
    return found


def confirm(session: Session, token: str, *, now: datetime, settings: Settings) -> Confirmed:
    """Follow the link: the address is proved for its actor (and the submitter's browser), and
    the proposal, if it still waits, is published."""
    confirmation = pending_confirmation(session, token, now=now)
    submission = confirmation.submission_id and session.get(Submission,
                                                            confirmation.submission_id)
    actor = session.get(Actor, confirmation.actor_id)
    if not submission or not _still_claims(submission, actor, confirmation, settings):
        raise ProposalError(N_("This proposal has changed since the link was sent, or its "
                               "organisation is no longer trusted: it waits for the regional "
                               "team, who will check it as usual."), code="confirmation.void")
    confirmation.confirmed_at = now
    if submission.status != "pending":
        add_audit(session, action="address_confirm", who=auditor(confirmation.email_hash),
                  now=now, submission_id=submission.id, detail={"actor": actor.name})
        return Confirmed(submission, [])
    ids = publish_trusted(session, submission, actor, confirmation.email_hash, now=now,
                          settings=settings, proof="link")
    return Confirmed(submission, ids)


def publish_trusted(session: Session, submission: Submission, actor: Actor, email_hash: str,
                    *, now: datetime, settings: Settings, proof: str) -> list[str]:
    """The existing publication path, audited under the proved address (hashed)."""
    ids = publish(session, submission, now=now, settings=settings)
    submission.decided_at = now
    add_audit(session, action="publish_trusted", who=auditor(email_hash), now=now,
              submission_id=submission.id, detail={"actor": actor.name, "proof": proof})
    return ids


def forget_proofs(session: Session, actor: Actor) -> int:
    """The actor is no longer trusted: its proved addresses and pending links are forgotten."""
    return delete_actor_confirmations(session, actor.id)


def _still_claims(submission: Submission, actor: Actor | None,
                  confirmation: AddressConfirmation, settings: Settings) -> bool:
    return (actor is not None and actor.trusted and trusted_path_open(settings)
            and submission.actor_id == actor.id
            and hash_value(normalized(submission.contact_email)) == confirmation.email_hash)


def auditor(email_hash: str) -> str:
    """How the audit log names a confirmed address: never in clear."""
    return "address " + email_hash[:12]


def normalized(email: str) -> str:
    return (email or "").strip().lower()


def hash_value(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
