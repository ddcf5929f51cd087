"""Spreadsheets uploaded by staff, kept in the database between the upload, the mapping and the
import (every web machine reads the same row); rows older than a day are deleted."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agenda.models import Upload

KEPT_FOR = timedelta(days=1)


def save_upload(session: Session, *, filename: str, content: bytes, user_id: int | None,
                now: datetime) -> Upload:
    """Keep the file under a new unguessable token (the older uploads are deleted first)."""
    delete_old_uploads(session, now=now)
    upload = Upload(id=secrets.token_hex(16), filename=filename[:255], content=content,
                    user_id=user_id, created_at=now)
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, token: str, *, now: datetime) -> Upload | None:
    """The upload of this token, unless it is older than a day."""
    if not token or len(token) > 32:
        return None
    return session.scalar(select(Upload).where(Upload.id == token,
                                               Upload.created_at > now - KEPT_FOR))


def delete_upload(session: Session, token: str) -> None:
    session.execute(delete(Upload).where(Upload.id == token))


def delete_old_uploads(session: Session, *, now: datetime) -> int:
    result = session.execute(delete(Upload).where(Upload.created_at <= now - KEPT_FOR))
    return result.rowcount or 0
