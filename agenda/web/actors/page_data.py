"""What an actor's page shows besides the actor itself: its events dated in words, its
initiatives, its schema.org Organization."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Actor, Event, Initiative
from agenda.web.public.jsonld import script_json
from agenda.web.shared.dates import when_text
from agenda.web.shared.links import http_url

DESCRIPTION_LIMIT = 1000


@dataclass(frozen=True)
class DatedLine:
    event: Event
    when: str
    day: str  # the local day, ISO (for <time datetime>)


def dated_lines(dated: list, tz: ZoneInfo) -> list[DatedLine]:
    """Each (event, start, end) with its date in words, as on the event's page."""
    lines = []
    for item in dated:
        moment = SimpleNamespace(all_day=item.event.all_day, start_date=None, end_date=None,
                                 start_at=item.start_at, end_at=item.end_at)
        lines.append(DatedLine(item.event, when_text(moment, tz),
                               item.start_at.astimezone(tz).date().isoformat()))
    return lines


def actor_initiatives(session: Session, actor_id: int) -> list[Initiative]:
    """The published initiatives it carries (as main actor or among their actors), by title."""
    from agenda.store.links import initiatives_of_actor

    found = {i.id: i for i in initiatives_of_actor(session, actor_id)}
    for initiative in session.scalars(select(Initiative).where(
            Initiative.actor_id == actor_id, Initiative.removed_at.is_(None))):
        found.setdefault(initiative.id, initiative)
    return sorted(found.values(), key=lambda i: (i.title.lower(), i.id))


def actor_jsonld(actor: Actor, page_url: str) -> str:
    """The schema.org Organization of the actor, as safe ``<script>`` text."""
    data: dict = {"@context": "https://schema.org", "@type": "Organization",
                  "name": actor.name, "url": page_url}
    if http_url(actor.website):
        data["sameAs"] = http_url(actor.website)
    if actor.description_text:
        data["description"] = actor.description_text[:DESCRIPTION_LIMIT]
    if actor.contact_email:
        data["email"] = actor.contact_email
    if actor.contact_phone:
        data["telephone"] = actor.contact_phone
    if actor.siret:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "SIRET",
                              "value": actor.siret}
    elif actor.siren:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "SIREN",
                              "value": actor.siren}
    address = {key: value for key, value in (
        ("streetAddress", actor.address), ("postalCode", actor.postcode),
        ("addressLocality", actor.commune_name)) if value}
    if address:
        data["address"] = {"@type": "PostalAddress", **address, "addressCountry": "FR"}
    return script_json(data)
