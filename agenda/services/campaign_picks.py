"""Staff add one event to a campaign by hand, or exclude one from it (whatever its rules say),
or withdraw that choice.  Each action is written to the audit log and bumps the data version
(the campaign's feeds change).  Flushes, never commits."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from agenda.errors import AgendaError
from agenda.messages import N_
from agenda.models import Campaign, Event, User
from agenda.store import campaign_members as members
from agenda.store.audit import add_audit
from agenda.store.changes import bump_data_version
from agenda.store.event_copies import listed_event_id

EVENT_UNKNOWN = N_("No published event has this address or number: copy the address of its "
                   "page (…/evenements/…).")
_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_IN_PATH = re.compile(r"/evenements/([^/?#\s]+)")


class PickRefused(AgendaError):
    """The event named cannot be picked; ``message`` is an English msgid."""

    code = "campaign.pick_refused"


def event_id_from(text: str) -> str | None:
    """The event id in what staff pasted: the event's page address (any date of it) or its
    id alone; None when it holds neither."""
    text = (text or "").strip()
    found = _IN_PATH.search(text)
    candidate = found.group(1) if found else text
    return candidate if _ID.fullmatch(candidate) else None


def pick_event(session: Session, campaign: Campaign, typed: str, *, included: bool,
               user: User, now: datetime) -> Event:
    """Add (``included``) or exclude the published event named by ``typed``; PickRefused when
    there is none."""
    event = _published_event(session, typed)
    members.set_pick(session, campaign.id, event.id, included=included, user_id=user.id, now=now)
    _audit(session, "campaign_include" if included else "campaign_exclude", campaign, event,
           user=user, now=now)
    return event


def unpick_event(session: Session, campaign: Campaign, event_id: str, *, user: User,
                 now: datetime) -> Event | None:
    """Withdraw the hand-made choice about the event (the rules decide again); None when
    there was none."""
    pick = members.get_pick(session, campaign.id, event_id)
    if pick is None:
        return None
    event = session.get(Event, event_id)
    members.delete_pick(session, pick)
    _audit(session, "campaign_unpick", campaign, event, user=user, now=now,
           was="included" if pick.included else "excluded")
    return event


def _published_event(session: Session, typed: str) -> Event:
    """The event named, or the one it was merged into (an old address of a copy)."""
    event_id = event_id_from(typed)
    event_id = listed_event_id(session, event_id) if event_id else None
    event = session.get(Event, event_id) if event_id else None
    if event is None or event.removed_at is not None:
        raise PickRefused(EVENT_UNKNOWN)
    return event


def _audit(session: Session, action: str, campaign: Campaign, event: Event | None, *,
           user: User, now: datetime, **more) -> None:
    add_audit(session, action=action, who=user.email, user_id=user.id, now=now,
              detail={"campaign_id": campaign.id, "slug": campaign.slug,
                      "event_id": event.id if event else None,
                      "title": event.title if event else "", **more})
    bump_data_version(session)
