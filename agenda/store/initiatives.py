"""Initiatives: publish (insert or update) one, withdraw one, list the published ones."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from agenda import geography
from agenda.errors import NotFound
from agenda.models import Initiative
from agenda.records.placing import territory_commune
from agenda.store.changes import bump_data_version
from agenda.store.conditions import has_any_theme


def put_initiative(session: Session, initiative_id: str | None, values: dict, *,
                   now: datetime) -> Initiative:
    """Create the initiative (``initiative_id`` None) or update it; it is published.  Its
    commune is the one its territory names, if any (``placing.territory_commune``)."""
    initiative = session.get(Initiative, initiative_id) if initiative_id else None
    if initiative is None:
        initiative = Initiative(id=secrets.token_hex(10), created_at=now)
        session.add(initiative)
    for name, value in values.items():
        setattr(initiative, name, value)
    initiative.commune_code, initiative.commune_name = territory_commune(
        initiative.territory, initiative.department)
    initiative.updated_at = now
    initiative.removed_at = None
    session.flush()
    bump_data_version(session)  # the search across kinds and the caches follow
    return initiative


def withdraw_initiative(session: Session, initiative_id: str, *, now: datetime) -> None:
    initiative = session.get(Initiative, initiative_id)
    if initiative is not None and initiative.removed_at is None:
        initiative.removed_at = now
        initiative.updated_at = now
        session.flush()
        bump_data_version(session)


def published_initiatives(session: Session, *, theme: str | None = None,
                          department: str | None = None,
                          commune: str | None = None) -> list[Initiative]:
    """Published initiatives by title; with ``department``, the region-wide ones too; with
    ``commune`` (an INSEE code), those of its department without a commune and the
    region-wide ones too."""
    query = select(Initiative).where(Initiative.removed_at.is_(None))
    if theme is not None:
        query = query.where(has_any_theme(Initiative.themes, [theme]))
    if department is not None:
        query = query.where(or_(Initiative.department == department,
                                Initiative.department.is_(None)))
    if commune is not None:
        found = geography.commune(commune)
        wider = or_(Initiative.department.is_(None),
                    Initiative.department == (found.department if found else None))
        query = query.where(or_(Initiative.commune_code == commune,
                                and_(Initiative.commune_code.is_(None), wider)))
    return list(session.scalars(query.order_by(Initiative.title, Initiative.id)))


def get_initiative(session: Session, initiative_id: str) -> Initiative:
    initiative = session.get(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(f"There is no initiative {initiative_id}.", initiative_id=initiative_id)
    return initiative
