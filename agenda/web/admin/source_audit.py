"""The audit line of a staff action on a source: who, when, which source (by id and by its
name at the time), and what the action adds (never the API key's value)."""

from __future__ import annotations

from flask_login import current_user

from agenda.models import Source
from agenda.store.audit import add_audit
from agenda.web import db_session
from agenda.web.shared.dates import now_utc


def audit_source(source: Source, action: str, **detail) -> None:
    add_audit(db_session(), action=action, who=current_user.email, user_id=current_user.id,
              now=now_utc(), detail={"source_id": source.id, "source": source.name, **detail})
