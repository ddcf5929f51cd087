"""A lost secret link: new links for the proposals sent from an address, to e-mail to it.

The answer to the person who asks never depends on the address (the page says the same thing
whether or not proposals were sent from it): only the mailbox learns.  A new link is added to the
proposal's links, never put in place of them, so that a stranger asking for someone else's
address locks nobody out; and a proposal gets at most one new link per ``RESEND_GAP``, so that
nobody can flood a mailbox.  Neither the address nor the links are logged or audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agenda.models import Submission
from agenda.services.submissions import hash_secret
from agenda.store.audit import SUBMITTER, add_audit
from agenda.store.proposal_links import add_link, latest_link_at, proposals_from_address

RESEND_GAP = timedelta(minutes=10)
MOST_PROPOSALS = 20  # one e-mail names at most this many proposals (the newest)


@dataclass(frozen=True)
class NewLink:
    submission: Submission
    secret: str


def new_links_for(session: Session, email: str, *, now: datetime) -> list[NewLink]:
    """A new secret link for each proposal sent from ``email`` (not cancelled, newest first),
    except those given one less than ``RESEND_GAP`` ago.  Flushes; the caller commits."""
    links = []
    for submission in proposals_from_address(session, email, limit=MOST_PROPOSALS):
        last = latest_link_at(session, submission.id)
        if last is not None and now - last < RESEND_GAP:
            continue
        secret = secrets.token_urlsafe(32)
        add_link(session, submission_id=submission.id, secret_hash=hash_secret(secret), now=now)
        add_audit(session, action="lost_link", who=SUBMITTER, now=now,
                  submission_id=submission.id)
        links.append(NewLink(submission, secret))
    return links
