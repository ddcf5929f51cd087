"""Adding a source of kind "initiatives" (an actor's RSS/Atom feed of projects or news) from
the staff's add form: instead of discovery (which looks for events), the address is fetched
and read as a feed of initiatives; what it holds is said, or why it cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from agenda.collectors.fetcher import fetch
from agenda.collectors.read_budget import fetch_policy
from agenda.collectors.read_initiatives import read_initiatives
from agenda.errors import AgendaError
from agenda.web import state
from agenda.web.shared.doctor_sentences import said_refusal

KIND = "initiatives"


@dataclass
class FoundFeed:
    """What the add form shows of a feed of projects (the shape of a discovery it needs)."""

    url: str
    items: int
    kind: str = KIND
    diagnosis: None = None
    reasons: list = field(default_factory=list)


def look_initiatives(url: str, *, fetch_func=fetch) -> tuple[FoundFeed | None, dict]:
    """The feed at ``url`` read as initiatives: (what was found, {}) or (None, what the page
    says: ``refusal`` and ``refusal_hint``)."""
    settings = state().settings
    try:
        fetched = fetch_func(url, policy=fetch_policy(settings))
        reading = read_initiatives(fetched.body, default_tz=settings.tz,
                                   content_type=fetched.content_type, url=fetched.url)
    except AgendaError as error:
        refusal, hint = said_refusal(error)
        return None, {"refusal": refusal, "refusal_hint": hint}
    return FoundFeed(fetched.url, len(reading.records)), {}


def found_sentence(found: FoundFeed) -> str:
    return gettext("An RSS or Atom feed whose %(num)d items will be collected as initiatives "
                   "of its owner.", num=found.items)
