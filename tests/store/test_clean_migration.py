"""Migration 0008 cleans the rows stored before the door cleaned them: dirty rows inserted at
revision 0007, then the upgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, text

from agenda.migrate import upgrade_database
from agenda.models.base import UTCDateTime
from tests.conftest import PG_ADMIN_URL

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
PLACE = "Salle\u202e A\x1b[0m"  # no NUL: PostgreSQL never stored one (the source failed)


@pytest.fixture
def engine_at_0007(db_backend, tmp_path):
    """A database of its own, at revision 0007."""
    if db_backend == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        upgrade_database(engine, "0007")
        yield engine
        engine.dispose()
        return
    name = f"agenda_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    upgrade_database(engine, "0007")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def table(name, *columns, json=()):
    return sa.table(name, *(sa.column(c, UTCDateTime() if c.endswith("_at") else None)
                            for c in columns), *(sa.column(c, sa.JSON()) for c in json))


SOURCES = table("sources", "id", "name", "url", "kind", "interval_minutes", "enabled",
                "created_at", "status", "consecutive_failures", "last_error")
ACTORS = table("actors", "id", "name", "website", "created_at")
EVENTS = table("events", "id", "source_id", "source_uid", "recurrence_id", "title",
               "description_html", "description_text", "start_at", "end_at", "all_day",
               "status", "sequence", "content_hash", "created_at", "updated_at", "last_seen_at",
               "location_name", "city", "url",
               json=("rdate", "exdate", "categories", "themes"))
RUNS = table("collection_runs", "id", "source_id", "started_at", "finished_at", "outcome",
             "new", "updated", "removed", "skipped", "error_message", json=("warnings",))
SUBMISSIONS = table("submissions", "id", "reference", "secret_hash", "kind", "status",
                    "contact_email", "created_at", "submitted_at", json=("data",))


def insert_dirty_rows(connection) -> None:
    connection.execute(sa.insert(SOURCES), [{
        "id": 1, "name": "Ressourcerie\x1b]0;pwned\x07 \u202e", "url": "http://127.0.0.1/a",
        "kind": "ics", "interval_minutes": 60, "enabled": True, "created_at": NOW,
        "status": "error", "consecutive_failures": 1,
        "last_error": "Parse error at line 3: 'X \x1b]0;pwned\x07'."}])
    connection.execute(sa.insert(ACTORS), [
        {"id": 1, "name": "Cress\u200b Centre", "website": "https://cress.example.org/a b",
         "created_at": NOW},
        {"id": 2, "name": "Répar\u202e37", "website": None, "created_at": NOW},
        {"id": 3, "name": "Répar37", "website": None, "created_at": NOW}])  # already taken
    event = {"source_id": 1, "recurrence_id": "", "description_html": "<p>a\r\nb\x07</p>",
             "description_text": "a\r\nb\x07", "start_at": NOW, "end_at": NOW,
             "all_day": False, "status": "confirmed", "sequence": 0, "content_hash": "x",
             "created_at": NOW, "updated_at": NOW, "last_seen_at": NOW, "rdate": [],
             "exdate": [], "themes": [], "city": "Tours\u2066"}
    connection.execute(sa.insert(EVENTS), [
        {**event, "id": f"e{n:04d}", "source_uid": f"uid-{n}\x1b", "title": f"Forum\x07 {n}",
         "location_name": PLACE, "url": "https://exemple.org/\u202ea",
         "categories": ["Réemploi\x1b", "\u200b"]} for n in range(1205)])  # > one batch
    connection.execute(sa.insert(EVENTS), [
        {**event, "id": "taken", "source_uid": "uid-0", "title": "Propre",
         "location_name": None, "url": None, "categories": []}])
    connection.execute(sa.insert(RUNS), [{
        "id": 1, "source_id": 1, "started_at": NOW, "finished_at": NOW, "outcome": "error",
        "new": 0, "updated": 0, "removed": 0, "skipped": 0,
        "error_message": "Bad \x1b[2J line", "warnings": ["Skipped event 'a\x1b\u202eb'."]}])
    connection.execute(sa.insert(SUBMISSIONS), [{
        "id": 1, "reference": "P-1", "secret_hash": "h", "kind": "event", "status": "pending",
        "contact_email": "a@example.org", "created_at": NOW, "submitted_at": NOW,
        "data": {"title": "\u202eRepair\u200b café", "url": "https://x.org/\u202ea b",
                 "description_html": "<p>a\u2066</p>\n<p>b</p>", "start": "2026-12-03",
                 "new_actor": {"name": "R\u00e9par\ufeff", "website": ""}, "campaign_id": None,
                 "themes": ["reemploi\u200b"]}}])


def test_the_upgrade_cleans_existing_rows(engine_at_0007):
    with engine_at_0007.begin() as connection:
        insert_dirty_rows(connection)
    upgrade_database(engine_at_0007, "0008")
    with engine_at_0007.connect() as connection:
        source = connection.execute(sa.select(SOURCES)).mappings().one()
        actors = dict(connection.execute(sa.select(ACTORS.c.id, ACTORS.c.name)).all())
        events = {e["id"]: e for e in connection.execute(sa.select(EVENTS)).mappings()}
        run = connection.execute(sa.select(RUNS)).mappings().one()
        data = connection.execute(sa.select(SUBMISSIONS.c.data)).scalar_one()
    assert source["name"] == "Ressourcerie]0;pwned"
    assert source["last_error"] == "Parse error at line 3: 'X \\x1b]0;pwned\\x07'."
    assert actors == {1: "Cress Centre", 2: "Répar\u202e37", 3: "Répar37"}  # 2: name taken
    assert len(events) == 1206
    assert all(e["title"] == f"Forum {int(i[1:])}" and e["location_name"] == "Salle A[0m"
               and e["url"] == "https://exemple.org/a" and e["categories"] == ["Réemploi"]
               and e["description_text"] == "a\nb" and e["city"] == "Tours"
               for i, e in events.items() if i != "taken")
    assert events["e0001"]["source_uid"] == "uid-1"
    assert events["e0000"]["source_uid"] == "uid-0\x1b"  # 'uid-0' is another event's
    assert run["error_message"] == "Bad \\x1b[2J line"
    assert run["warnings"] == ["Skipped event 'ab'."]
    assert data == {"title": "Repair café", "url": "https://x.org/a%20b",
                    "description_html": "<p>a</p>\n<p>b</p>", "start": "2026-12-03",
                    "new_actor": {"name": "Répar", "website": ""}, "campaign_id": None,
                    "themes": ["reemploi"]}
