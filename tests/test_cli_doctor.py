"""`agenda doctor`: what a production operator checks, on SQLite and PostgreSQL with Whoosh
(the PostgreSQL search backend: tests/test_cli_reindex_pg.py)."""

from __future__ import annotations

import json
import socket
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from agenda.cli import main
from agenda.db import transaction
from agenda.migrate import upgrade_database
from agenda.models import Source
from agenda.search import index_path
from agenda.search.folder import IndexFolder
from tests.cli_env import cli_env
from tests.conftest import PG_ADMIN_URL

KEY = "0f3c9a7e5b1d4c2a8e6f0b9d7c5a3e1f"
REDIS = "redis://127.0.0.1:6379/0"  # the machine's Redis: the doctor only pings it


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def agenda(settings, engine):
    base = cli_env(settings)

    def run(*args, **env):
        return CliRunner().invoke(main, list(args), env={**base, **env},
                                  catch_exceptions=False)
    return run


def doctor(agenda, **env) -> tuple[int, dict[str, dict]]:
    """The exit code and the checks by name."""
    result = agenda("doctor", "--json", **env)
    report = json.loads(result.stdout)
    assert report["ok"] == (result.exit_code == 0)
    return result.exit_code, {check["name"]: check for check in report["checks"]}


def production(**more) -> dict[str, str]:
    return {"AGENDA_SECRET_KEY": KEY, "AGENDA_RATELIMIT_STORAGE_URI": REDIS, **more}


def statuses(checks: dict[str, dict]) -> dict[str, str]:
    return {name: check["status"] for name, check in checks.items()}


@pytest.fixture
def ready(agenda):
    """A fresh instance: initialised, a few events, its index built."""
    assert agenda("init").exit_code == 0
    assert agenda("generate", "12", "--seed", "4").exit_code == 0
    assert agenda("reindex").exit_code == 0
    return agenda


def test_a_fresh_instance_is_all_ok_after_init_and_reindex(ready):
    code, checks = doctor(ready, **production())
    assert statuses(checks) == {"database": "ok", "migrations": "ok", "search": "ok",
                                "scheduler": "ok", "sources": "ok", "images": "ok",
                                "redis": "ok", "secret key": "ok"}
    assert code == 0
    assert "12 events indexed, 12 published" in checks["search"]["sentence"]
    assert "answers" in checks["redis"]["sentence"]


def test_the_text_report_has_one_line_per_check(ready):
    result = ready("doctor", **production())
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["ok"] * 8
    assert "Traceback" not in result.output


def test_a_missing_index_is_an_error(agenda):
    assert agenda("init").exit_code == 0
    code, checks = doctor(agenda, **production())
    assert code == 1
    assert checks["search"]["status"] == "error"
    assert "No search index" in checks["search"]["sentence"]
    assert "agenda reindex" in checks["search"]["sentence"]


def test_a_dirty_index_is_a_warning(ready, settings):
    IndexFolder(index_path(settings)).mark_dirty("a write failed: disk full")
    code, checks = doctor(ready, **production())
    assert checks["search"]["status"] == "warning"
    assert "disk full" in checks["search"]["sentence"]
    assert code == 0  # warnings don't fail


def test_an_index_out_of_step_with_the_database_is_an_error(ready, engine, db_backend):
    with engine.begin() as connection:  # removed behind the index's back
        connection.execute(text("UPDATE events SET removed_at = created_at WHERE id IN "
                                "(SELECT id FROM events ORDER BY id LIMIT 3)"))
    code, checks = doctor(ready, **production())
    assert code == 1
    assert checks["search"]["status"] == "error"
    assert "12 events indexed, 9 published" in checks["search"]["sentence"]
    several_machines = 'search_backend = "postgresql"' in checks["search"]["sentence"]
    assert several_machines == (db_backend == "postgresql")  # the way out, where there is one


@pytest.fixture
def url_at_0018(db_backend, tmp_path):
    """A database of its own, migrated up to 0018 only."""
    if db_backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        engine = create_engine(url)
        upgrade_database(engine, "0018")
        engine.dispose()
        yield url
        return
    name = f"agenda_doc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url)
    upgrade_database(engine, "0018")
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_an_unmigrated_database_is_an_error_until_init(agenda, url_at_0018):
    code, checks = doctor(agenda, **production(AGENDA_DATABASE_URL=url_at_0018))
    assert code == 1
    assert checks["database"]["status"] == "ok"
    assert checks["migrations"]["status"] == "error"
    assert "revision 0018" in checks["migrations"]["sentence"]
    assert "agenda init" in checks["migrations"]["sentence"]
    assert "search" not in checks  # its columns may not be there yet

    assert agenda("init", AGENDA_DATABASE_URL=url_at_0018).exit_code == 0
    _, checks = doctor(agenda, **production(AGENDA_DATABASE_URL=url_at_0018))
    assert checks["migrations"]["status"] == "ok"


def test_an_unreachable_database_is_one_clear_line(agenda, db_backend, tmp_path):
    unreachable = (f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/agenda"
                   if db_backend == "postgresql" else f"sqlite:///{tmp_path / 'none.sqlite3'}")
    result = agenda("doctor", **production(AGENDA_DATABASE_URL=unreachable))
    assert result.exit_code == 1
    database = [line for line in result.output.splitlines() if "database" in line]
    assert len(database) == 1 and database[0].startswith("error")
    assert "Traceback" not in result.output
    assert not (tmp_path / "none.sqlite3").exists()  # the doctor creates nothing


def add_source(factory, name: str, **columns) -> int:
    with transaction(factory) as session:
        source = Source(name=name, url=f"https://example.org/{name}.ics", kind="ics",
                        interval_minutes=60, **columns)
        session.add(source)
        session.flush()
        return source.id


def test_an_overdue_source_is_a_warning_while_the_worker_ticks(ready, factory):
    now = datetime.now(timezone.utc)
    late = add_source(factory, "Ressourcerie", next_run_at=now - timedelta(hours=3))
    add_source(factory, "Cress", next_run_at=now + timedelta(minutes=59),
               last_attempt_at=now - timedelta(seconds=20))  # the worker just collected it
    code, checks = doctor(ready, **production())
    assert checks["sources"]["status"] == "warning"
    assert f"[{late}] Ressourcerie" in checks["sources"]["sentence"]
    assert "Cress" not in checks["sources"]["sentence"]
    assert checks["scheduler"]["status"] == "ok"
    assert code == 0


def test_sources_due_and_nothing_collected_since_is_a_scheduler_error(ready, factory):
    now = datetime.now(timezone.utc)
    add_source(factory, "Ressourcerie", next_run_at=now - timedelta(minutes=30),
               last_attempt_at=now - timedelta(minutes=90))
    code, checks = doctor(ready, **production())
    assert code == 1
    assert checks["scheduler"]["status"] == "error"
    assert "agenda worker" in checks["scheduler"]["sentence"]
    assert checks["sources"]["status"] == "ok"  # due, but not one interval late yet


def test_a_source_being_collected_is_not_late(ready, factory):
    now = datetime.now(timezone.utc)
    add_source(factory, "Ressourcerie", next_run_at=now - timedelta(hours=3),
               claimed_by="web-2:4242", claimed_until=now + timedelta(minutes=10),
               claim_started=True)
    code, checks = doctor(ready, **production())
    assert statuses(checks)["sources"] == statuses(checks)["scheduler"] == "ok"
    assert "web-2:4242" in checks["scheduler"]["sentence"]


def test_an_image_this_machine_lacks_is_a_warning(ready, settings, engine):
    name = "Hq3vQ0p9xT2mLk8sWzYbNc4R.webp"  # stored by another web machine
    with engine.begin() as connection:
        connection.execute(text("UPDATE events SET image_url = :url WHERE id = "
                                "(SELECT min(id) FROM events)"),
                           {"url": f"{settings.public_url}/images/{name}"})
    code, checks = doctor(ready, **production())
    assert checks["images"]["status"] == "warning" and code == 0
    assert name in checks["images"]["sentence"]
    assert "web machines must share that folder" in checks["images"]["sentence"]

    (settings.instance_path / "images").mkdir()
    (settings.instance_path / "images" / name).write_bytes(b"RIFF")
    assert doctor(ready, **production())[1]["images"]["status"] == "ok"


def test_an_unreachable_redis_is_an_error(ready):
    uri = f"redis://:hunter2@127.0.0.1:{closed_port()}/0"
    code, checks = doctor(ready, **production(AGENDA_RATELIMIT_STORAGE_URI=uri))
    assert code == 1
    assert checks["redis"]["status"] == "error"
    assert "hunter2" not in checks["redis"]["sentence"]


def test_a_placeholder_secret_key_is_an_error(ready):
    code, checks = doctor(ready, **production(AGENDA_SECRET_KEY="dev"))
    assert code == 1 and checks["secret key"]["status"] == "error"


def test_machines_sharing_a_key_show_the_same_fingerprint(ready, tmp_path):
    def sentence(instance, key):
        return doctor(ready, **production(AGENDA_INSTANCE_PATH=str(instance),
                                          AGENDA_SECRET_KEY=key))[1]["secret key"]["sentence"]

    first = sentence(tmp_path / "web-1", KEY)
    assert first == sentence(tmp_path / "web-2", KEY)
    assert first != sentence(tmp_path / "web-2", KEY[::-1])
    assert KEY not in first


def test_refused_settings_are_one_error_line(agenda, db_backend):
    if db_backend != "sqlite":
        pytest.skip("the settings refuse PostgreSQL's search on SQLite only")
    result = agenda("doctor", AGENDA_SEARCH_BACKEND="postgresql")
    assert result.exit_code == 1
    assert result.output.startswith("error")
    assert "needs a PostgreSQL database_url" in result.output
