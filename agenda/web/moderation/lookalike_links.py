"""The look-alikes of proposals (agenda.services.proposal_duplicates) as the staff pages show
them: what it is, why it looks alike, and where to see it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext

from agenda.models import Submission
from agenda.services.proposal_duplicates import Lookalike, find_lookalikes
from agenda.web import db_session, state
from agenda.web.shared.i18n import N_

REASONS = {"title": N_("same day, similar title"), "place": N_("same place and start time")}
KINDS = {"event": N_("published event"), "proposal": N_("proposal waiting")}


@dataclass(frozen=True)
class ShownLookalike:
    title: str
    href: str
    kind: str    # in words
    reason: str  # in words


def shown(found: Lookalike) -> ShownLookalike:
    if found.kind == "event":
        href = url_for("public.occurrence", event_id=found.key, day=found.day.isoformat())
    else:
        href = url_for("moderation.proposal", submission_id=int(found.key))
    return ShownLookalike(found.title, href, gettext(KINDS[found.kind]),
                          gettext(REASONS[found.reason]))


def lookalikes_of(submission: Submission,
                  pending: list[Submission] | None = None) -> list[ShownLookalike]:
    found = find_lookalikes(db_session(), submission, tz=state().settings.tz, pending=pending)
    return [shown(one) for one in found]


def queue_lookalikes(queue: list[Submission]) -> dict[int, list[ShownLookalike]]:
    """Each waiting proposal's look-alikes (none left out of the dict)."""
    return {submission.id: lookalikes_of(submission, pending=queue) for submission in queue}
