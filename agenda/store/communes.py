"""The communes the listed events and the published initiatives are in: what the listing
forms offer to filter on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Event, Initiative
from agenda.store.conditions import listed


def communes_with_events(session: Session) -> list[str]:
    """INSEE codes of the communes that have listed events, sorted (one pass over the
    ``commune_code`` index)."""
    query = (select(Event.commune_code).where(Event.commune_code.is_not(None), listed())
             .group_by(Event.commune_code).order_by(Event.commune_code))
    return list(session.scalars(query))


def communes_with_initiatives(session: Session) -> list[str]:
    """INSEE codes of the communes that have published initiatives, sorted."""
    query = (select(Initiative.commune_code)
             .where(Initiative.commune_code.is_not(None), Initiative.removed_at.is_(None))
             .group_by(Initiative.commune_code).order_by(Initiative.commune_code))
    return list(session.scalars(query))
