"""The actors' directory: the shown actors (confirmed or to check, not removed), filtered and
paged; the communes they are in; an actor's sources; the staff's list with its search."""

from __future__ import annotations

import unicodedata

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from agenda.models import Actor, Source
from agenda.store.conditions import has_any_theme
from agenda.store.links import SHOWN_ACTOR_STATUSES
from agenda.text_clean import clean_line


def shown(query):
    return query.where(Actor.removed_at.is_(None), Actor.status.in_(SHOWN_ACTOR_STATUSES))


def directory_actors(session: Session, *, theme: str | None = None,
                     department: str | None = None, commune: str | None = None,
                     structure: str | None = None, limit: int = 30,
                     offset: int = 0) -> tuple[list[Actor], int]:
    """A page of the shown actors by name, and how many there are in all."""
    query = shown(select(Actor))
    if theme:
        query = query.where(has_any_theme(Actor.themes, [theme]))
    if department:
        query = query.where(Actor.department == department)
    if commune:
        query = query.where(Actor.commune_code == commune)
    if structure:
        query = query.where(Actor.structure == structure)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(func.lower(Actor.name), Actor.id)
                           .limit(limit).offset(offset))
    return list(page), total


def shown_actor(session: Session, actor_id: int) -> Actor | None:
    """The actor when the public may see it (None: unknown, proposed or removed)."""
    return session.scalar(shown(select(Actor)).where(Actor.id == actor_id))


def communes_with_actors(session: Session) -> list[str]:
    """INSEE codes of the communes that have shown actors."""
    query = shown(select(Actor.commune_code).where(Actor.commune_code.is_not(None)))
    return list(session.scalars(query.group_by(Actor.commune_code)
                                .order_by(Actor.commune_code)))


def sources_of_actor(session: Session, actor_id: int) -> list[Source]:
    """The sources published by the actor, by name."""
    return list(session.scalars(select(Source).where(Source.actor_id == actor_id)
                                .order_by(Source.name, Source.id)))


def folded(text: str) -> str:
    """Lower case without accents: "Répar'37" is found by "repar"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def staff_actors(session: Session, *, search: str = "", status: str | None = None,
                 removed: bool = False, limit: int = 50, offset: int = 0
                 ) -> tuple[list[Actor], int]:
    """Actors for the staff: those to check first, then by name; ``search`` in the name
    (accents and case aside: the names are read, a few thousand at most) or a number; removed
    ones only when asked."""
    query = select(Actor).where(Actor.removed_at.is_not(None) if removed
                                else Actor.removed_at.is_(None))
    words = folded(clean_line(search))
    if words:
        digits = words.replace(" ", "").upper()
        names = session.execute(select(Actor.id, Actor.name)).all()
        matching = [actor_id for actor_id, name in names if words in folded(name)]
        query = query.where(or_(Actor.id.in_(matching), Actor.siren == digits,
                                Actor.siret == digits, Actor.rna == digits))
    if status:
        query = query.where(Actor.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    first = case((Actor.status == "to_check", 0), (Actor.status == "proposed", 1), else_=2)
    rows = session.scalars(query.order_by(first, func.lower(Actor.name), Actor.id)
                           .limit(limit).offset(offset))
    return list(rows), total
