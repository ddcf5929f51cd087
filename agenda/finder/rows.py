"""The SQL of the search across kinds: the records its index is built from, what tells that
they changed, and the rows of a page or an export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.finder.documents import Record, actor_record, initiative_record
from agenda.models import Actor, Initiative, InitiativeActor
from agenda.region import Region
from agenda.store.links import SHOWN_ACTOR_STATUSES

_ACTOR_COLUMNS = (Actor.id, Actor.name, Actor.kind, Actor.structure, Actor.approvals,
                  Actor.themes, Actor.description_text, Actor.address, Actor.commune_code,
                  Actor.commune_name, Actor.department, Actor.status)
_INITIATIVE_COLUMNS = (Initiative.id, Initiative.title, Initiative.description_text,
                       Initiative.themes, Initiative.department, Initiative.territory,
                       Initiative.commune_code, Initiative.commune_name, Initiative.status,
                       Initiative.actor_id)


def shown_actors():
    """The actors shown in public: confirmed or to check, not removed."""
    return (Actor.removed_at.is_(None), Actor.status.in_(SHOWN_ACTOR_STATUSES))


def directory_records(session: Session, region: Region) -> list[Record]:
    """Every shown actor and published initiative, as the index sees them."""
    records = [actor_record(row, region)
               for row in session.execute(select(*_ACTOR_COLUMNS).where(*shown_actors()))]
    names = initiative_actor_names(session)
    records += [initiative_record(row, region, tuple(names.get(row.id, ())))
                for row in session.execute(select(*_INITIATIVE_COLUMNS)
                                           .where(Initiative.removed_at.is_(None)))]
    return records


def initiative_actor_names(session: Session, ids=None) -> dict[str, list[str]]:
    """The shown actors of initiatives (the main one first), by initiative id."""
    main = select(Initiative.id.label("initiative_id"), Initiative.actor_id.label("actor_id"))
    listed = select(InitiativeActor.initiative_id, InitiativeActor.actor_id)
    if ids is not None:
        main, listed = (main.where(Initiative.id.in_(ids)),
                        listed.where(InitiativeActor.initiative_id.in_(ids)))
    names: dict[str, list[str]] = defaultdict(list)
    for rank, query in enumerate((main, listed)):
        links = query.subquery()
        rows = session.execute(select(links.c.initiative_id, Actor.name)
                               .join(Actor, Actor.id == links.c.actor_id)
                               .where(*shown_actors()).order_by(Actor.name))
        for initiative_id, name in rows:
            if name not in names[initiative_id]:
                names[initiative_id].append(name)
    return names


def fingerprint(session: Session) -> tuple:
    """What changes when an actor or an initiative is added, changed or removed (by a writer
    that forgot to bump the data version: it is read every few seconds)."""
    found = []
    for model in (Actor, Initiative):
        found += session.execute(select(func.count(), func.max(model.created_at),
                                        func.max(model.updated_at),
                                        func.max(model.removed_at))).one()
    found.append(session.scalar(select(func.count()).select_from(InitiativeActor)))
    return tuple(str(value) for value in found)


@dataclass
class Loaded:
    """The rows of a page or an export batch, by id."""

    events: dict  # id -> Occurrence (its first date in the window, its event loaded)
    initiatives: dict  # id -> Initiative
    actors: dict  # id (int) -> Actor
    initiative_actors: dict  # initiative id -> [actor names]


def load_hits(session: Session, hits, *, window) -> Loaded:
    """The events, initiatives and actors of ``hits`` [(kind, id)]."""
    from agenda.finder.events import first_dates

    ids = defaultdict(list)
    for kind, record_id in hits:
        ids[kind].append(record_id)
    initiative_ids = ids["initiative"]
    actor_ids = [int(i) for i in ids["actor"]]
    initiatives = {i.id: i for i in session.scalars(
        select(Initiative).where(Initiative.id.in_(initiative_ids),
                                 Initiative.removed_at.is_(None)))} if initiative_ids else {}
    actors = {a.id: a for a in session.scalars(
        select(Actor).where(Actor.id.in_(actor_ids), *shown_actors()))} if actor_ids else {}
    return Loaded(events=first_dates(session, ids["event"], window), initiatives=initiatives,
                  actors=actors, initiative_actors=initiative_actor_names(
                      session, initiative_ids) if initiative_ids else {})
