"""What an event card of a listing says besides time and title (pure): the organiser, a
one-line summary, the origin in words.

The organiser is the event's ORGANIZER (an e-mail address alone is a contact, not a name),
else the actor behind its source. The origin: "Proposé via le formulaire" for a proposal,
else "Publié par" the source's actor, or the source itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agenda.models import Event

SUMMARY_LENGTH = 140
FORM_KIND = "form"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w+")
_TRAILING = " ,;:.-–—(«\"'"


@dataclass(frozen=True)
class Origin:
    by_form: bool
    name: str | None = None  # who published it (a collected event)


def summary_of(text: str | None, limit: int = SUMMARY_LENGTH) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters (and "…")."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    head = words[:limit]
    cut = head.rsplit(" ", 1)[0] if " " in head and words[limit] != " " else head
    return cut.rstrip(_TRAILING) + "…"


def organiser_name(event: Event) -> str | None:
    name = " ".join((event.organizer or "").split())
    if name and not _EMAIL.fullmatch(name):
        return name
    actor = event.source.actor if event.source is not None else None
    return actor.name if actor is not None else None


def origin_of(event: Event) -> Origin:
    source = event.source
    if source is None:
        return Origin(False)
    if source.kind == FORM_KIND:
        return Origin(True)
    return Origin(False, source.actor.name if source.actor is not None else source.name)
