"""Uploaded files wait in the database between the steps of an import, for a day at most."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import Upload
from agenda.store.uploads import delete_upload, get_upload, save_upload

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def test_an_upload_is_found_by_its_token_for_a_day(factory):
    with transaction(factory) as session:
        token = save_upload(session, filename="a.csv", content=b"Titre\n", user_id=None,
                            now=NOW).id
    assert len(token) == 32
    with transaction(factory) as session:
        assert get_upload(session, token, now=NOW + timedelta(hours=23)).content == b"Titre\n"
        assert get_upload(session, token, now=NOW + timedelta(days=1)) is None
        assert get_upload(session, "not-a-token", now=NOW) is None
        delete_upload(session, token)
        assert get_upload(session, token, now=NOW) is None


def test_older_uploads_are_deleted_when_a_new_one_comes(factory):
    with transaction(factory) as session:
        save_upload(session, filename="old.csv", content=b"x", user_id=None, now=NOW)
    with transaction(factory) as session:
        save_upload(session, filename="new.csv", content=b"y", user_id=None,
                    now=NOW + timedelta(days=2))
    with transaction(factory) as session:
        assert session.scalars(select(Upload.filename)).all() == ["new.csv"]
        assert session.scalar(select(func.count()).select_from(Upload)) == 1
