"""Who organises an event and how to reach them, as its page shows it (pure).

The organiser is the event's ORGANIZER (or the proposal's actor), linked to the actor's website;
without a website, a collected event's organiser links to the listing of its source. The public
contact is what a proposal gave ("a name, a telephone number or an e-mail address"), or the
address a collected ORGANIZER carried: an e-mail address becomes a mailto: link, a telephone
number a tel: link, anything else stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agenda.models import Actor, Event
from agenda.web.shared.links import http_url

_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 .\-()]{7,20}[0-9]")


@dataclass(frozen=True)
class Organiser:
    name: str
    href: str | None = None  # the actor's website, else a listing URL, else None
    is_site: bool = False  # href is the organiser's own site (not our listing)


@dataclass(frozen=True)
class Contact:
    text: str
    href: str | None = None  # mailto: or tel:


def organiser_of(event: Event, actor: Actor | None, *, listing_url: str | None) -> Organiser | None:
    """The organiser of ``event``; ``actor`` is the proposal's actor or the source's.

    ``listing_url`` (the events of this source) is used when the actor has no website and
    the organiser is that actor; an organiser who is not the actor is only named."""
    name = (event.organizer or "").strip()
    if _EMAIL.fullmatch(name):
        name = ""  # an address alone is a contact, not a name
    if actor is not None and (not name or name.casefold() == actor.name.casefold()):
        website = http_url(actor.website)
        if website:
            return Organiser(actor.name, website, is_site=True)
        return Organiser(actor.name, listing_url)
    return Organiser(name) if name else None


def contact_of(public_contact: str, event: Event) -> Contact | None:
    """The public contact of a proposal, else a collected organiser's e-mail address."""
    text = " ".join((public_contact or "").split())
    if not text:
        organizer = (event.organizer or "").strip()
        text = organizer if _EMAIL.fullmatch(organizer) else ""
    if not text:
        return None
    if _EMAIL.fullmatch(text):
        return Contact(text, f"mailto:{text}")
    if _PHONE.fullmatch(text):
        return Contact(text, "tel:" + re.sub(r"[^0-9+]", "", text))
    return Contact(text)
