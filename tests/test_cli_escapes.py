"""Nothing raw reaches the operator's terminal: `agenda collect` and `agenda source list` escape
what comes from a source or the database, and a broken line's escapes never reach either."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from agenda.cli import main
from agenda.db import transaction
from agenda.models import CollectionRun, Source
from agenda.store.sources import add_source
from tests.cli_env import cli_env

DATA = Path(__file__).parent / "data" / "ics"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


@pytest.fixture
def agenda(settings, engine):
    env = cli_env(settings)

    def run(*args):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        return result, result.output  # stdout and stderr
    return run


def test_a_broken_line_with_a_terminal_escape_reaches_neither_the_database_nor_the_terminal(
        agenda, httpserver, factory):
    body = (DATA / "terminal_escape_in_a_broken_line.ics").read_bytes()
    assert b"\x1b]0;" in body and b"\x07" in body
    httpserver.expect_request("/a.ics").respond_with_data(body, content_type="text/calendar")
    result, _ = agenda("source", "add", httpserver.url_for("/a.ics"), "--name", "Broken",
                       "--kind", "ics")
    source_id = result.stdout.strip()
    result, output = agenda("collect", source_id)
    assert result.exit_code == 1
    assert "ERROR parse.syntax: Parse error at line 10:" in output
    assert "\\x1b]0;you have been pwned\\x07" in output
    assert not RAW.search(output)
    with transaction(factory) as session:
        error = session.get(Source, int(source_id)).last_error
        run = session.query(CollectionRun).one()
    assert error == run.error_message and not RAW.search(error)
    assert "…" in error and len(error) < 160  # a short excerpt of the line, not the line
    for args in (("source", "list"), ("source", "list", "--json")):
        _, listed = agenda(*args)
        assert "\\x1b" in listed and not RAW.search(listed)


def test_source_list_escapes_a_name_stored_with_escapes(agenda, factory, now):
    with transaction(factory) as session:  # stored before the door cleaned names
        source = add_source(session, name="Ressourcerie", now=now, url="http://127.0.0.1/a.ics")
        assert source.name == "Ressourcerie"
        session.execute(update(Source).where(Source.id == source.id).values(
            name="Ressourcerie\x1b]0;pwned\x07 \u202edrow\x9b",
            url="http://127.0.0.1/a.ics\x1b[2J"))
    _, output = agenda("source", "list")
    assert "Ressourcerie\\x1b]0;pwned\\x07 \\u202edrow\\x9b" in output
    assert "<http://127.0.0.1/a.ics\\x1b[2J>" in output
    assert not RAW.search(output)
    result, output = agenda("source", "list", "--json")
    assert not RAW.search(output)
    [item] = json.loads(result.stdout)["items"]
    assert item["name"] == "Ressourcerie\x1b]0;pwned\x07 \u202edrow\x9b"  # JSON escapes, exact


def test_source_add_cleans_the_name_and_actor(agenda, httpserver, factory):
    httpserver.expect_request("/a.ics").respond_with_data("", content_type="text/calendar")
    result, _ = agenda("source", "add", httpserver.url_for("/a.ics"), "--kind", "ics",
                       "--name", "Tiers\x1b]0;x\x07-lieu\u202e", "--actor", "Cress\u200b")
    assert result.exit_code == 0
    with transaction(factory) as session:
        source = session.get(Source, int(result.stdout.strip()))
        assert (source.name, source.actor.name) == ("Tiers]0;x-lieu", "Cress")



def test_an_account_address_with_control_characters_is_refused(agenda, factory):
    from sqlalchemy import select

    from agenda.models import User

    result, output = agenda("user", "add", "a\x1b]0;x\x07@example.org", "--password-stdin")
    assert result.exit_code != 0
    assert not RAW.search(output)
    with transaction(factory) as session:
        assert session.scalars(select(User)).all() == []


def test_a_collection_run_stores_its_sentences_printable(factory, now):
    from agenda.store.runs import add_run

    with transaction(factory) as session:
        source = add_source(session, name="Agenda\x1b[2J", url="http://127.0.0.1/a.ics", now=now)
        run = add_run(session, source_id=source.id, started_at=now, finished_at=now,
                      outcome="error", error_message="bad \x1b]0;x\x07 line",
                      warnings=["Skipped event '\x1b[31mred': no start."], worker="w")
        run_id, source_id = run.id, source.id
    with transaction(factory) as session:
        stored = session.get(CollectionRun, run_id)
        text = stored.error_message + "".join(stored.warnings) + session.get(Source, source_id).name
        assert not RAW.search(text)
        assert "\\x1b" in stored.error_message  # shown escaped, not dropped


def test_a_source_added_with_escapes_in_its_name_is_stored_clean(factory, now):
    with transaction(factory) as session:
        source = add_source(session, name="Ressourcerie\x1b]0;pwned\x07 \u202edrow", now=now,
                            url="http://127.0.0.1/a.ics")
        assert source.name == "Ressourcerie]0;pwned drow"
