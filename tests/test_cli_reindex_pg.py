"""PostgreSQL's search from the command line: `agenda init` checks the server's text search and
fills the missing vectors, `agenda reindex` writes every vector again, `agenda doctor` tells
the rows a word search would miss; and the settings' refusal of PostgreSQL's search on SQLite
is one line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from agenda.search.pg import rebuild
from agenda.search.pg.lexemes import field_terms, quote
from tests.test_cli_doctor import agenda, closed_port

__all__ = ["agenda"]  # the fixture, imported for the tests below

PG_SEARCH = {"AGENDA_SEARCH_BACKEND": "postgresql"}


@pytest.fixture
def pg(agenda, db_backend):
    """An instance searching with PostgreSQL, initialised, with 20 events."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    assert agenda("init", **PG_SEARCH).exit_code == 0
    assert agenda("generate", "20", "--seed", "5", **PG_SEARCH).exit_code == 0
    return agenda


def search_check(agenda) -> tuple[int, dict]:
    result = agenda("doctor", "--json", **PG_SEARCH)
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    return result.exit_code, checks["search"]


def missing(engine, table: str = "events") -> int:
    with engine.connect() as connection:
        return connection.scalar(text(f"SELECT count(*) FROM {table} "
                                      "WHERE search_vector IS NULL"))


def test_rows_written_by_a_raw_connection_are_reported_until_reindex(pg, engine):
    assert search_check(pg) == (0, {"name": "search", "status": "ok", "sentence": (
        "PostgreSQL search: every event, actor and initiative has its text vector.")})
    with engine.begin() as connection:  # outside any session of ours: no vector
        connection.execute(text("INSERT INTO actors (name, created_at) "
                                "VALUES ('Ressourcerie du Blésois', now())"))
        connection.execute(text("UPDATE events SET title = title || ' (reporté)' WHERE id IN "
                                "(SELECT id FROM events ORDER BY id LIMIT 4)"))
    code, check = search_check(pg)
    assert code == 1 and check["status"] == "error"
    assert "4 events, 1 actors" in check["sentence"] and "agenda reindex" in check["sentence"]

    result = pg("reindex", **PG_SEARCH)
    assert result.exit_code == 0
    assert result.output.startswith("Search vectors rewritten in PostgreSQL: 20 events, ")
    assert missing(engine) == missing(engine, "actors") == 0
    assert search_check(pg)[1]["status"] == "ok"


def test_reindex_writes_every_vector_again(pg, engine):
    with engine.begin() as connection:  # as if made by an older analysis
        connection.execute(text("UPDATE events SET search_vector = 'obsolete'::tsvector"))
    assert pg("reindex", **PG_SEARCH).exit_code == 0
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT title, search_vector::text FROM events")).all()
    assert len(rows) == 20
    for title, vector in rows:  # each title's terms, at the title's weight
        assert "obsolete" not in vector
        assert all(f"{quote(term)}:1A" in vector for term in field_terms(title)), title


def test_init_fills_the_vectors_an_upgraded_instance_lacks(pg, engine):
    with engine.begin() as connection:  # events stored before migration 0019
        connection.execute(text("UPDATE events SET search_vector = NULL"))
    result = pg("init", **PG_SEARCH)
    assert result.exit_code == 0
    assert "Search vectors filled: 20 rows" in result.output
    assert missing(engine) == 0


def test_init_says_when_the_server_cannot_search(pg, monkeypatch, engine):
    monkeypatch.setattr(rebuild, "_PROBE", text("SELECT no_such_text_search(:vector, :query)"))
    result = pg("init", **PG_SEARCH)
    assert result.exit_code == 1
    assert "PostgreSQL's text search does not work on this server" in result.output
    assert "Traceback" not in result.output


def test_init_on_an_unreachable_database_is_one_line(agenda, db_backend):
    if db_backend != "postgresql":
        pytest.skip("a PostgreSQL server that does not answer")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/agenda"
    result = agenda("init", AGENDA_DATABASE_URL=url)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the database {url} failed: ")
    assert len(result.output.strip().splitlines()) == 1


def test_init_refuses_postgresql_search_on_sqlite_with_its_sentence(agenda, db_backend):
    if db_backend != "sqlite":
        pytest.skip("the settings refuse PostgreSQL's search on SQLite only")
    result = agenda("init", **PG_SEARCH)
    assert result.exit_code == 2
    assert result.output == ("Error: search_backend = \"postgresql\" needs a PostgreSQL "
                             "database_url (the embedded SQLite database searches with "
                             "Whoosh).\n")
