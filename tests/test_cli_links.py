"""`agenda links` (and `agenda init`) link what is stored to its organisers, in chunks, and say
how many links they made; run again, they change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from sqlalchemy import func, select

from agenda.cli import main
from agenda.db import transaction
from agenda.models import Actor, EventActor
from agenda.records import EventRecord, Occurrence
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.cli_env import cli_env

PARIS = ZoneInfo("Europe/Paris")
links_cli = import_module("agenda.cli.links")  # the module (agenda.cli.links is the command)


def stored(factory, now) -> None:
    """Five events stored without links (as before this version), two organisers named."""
    start = datetime(2026, 11, 25, 14, 0, tzinfo=PARIS)
    records = [EventRecord(source_uid=f"e{n}", title=f"Atelier {n}", start=start,
                           end=start + timedelta(hours=1), organizer=organizer,
                           occurrences=[Occurrence(start, start + timedelta(hours=1))])
               for n, organizer in enumerate(["Alternatiba Tours", None, "Collectif Vélo Libre",
                                              None, "ALTERNATIBA TOURS"])]
    with transaction(factory) as session:
        session.add(Actor(name="Alternatiba Tours"))
        source = add_source(session, name="Agenda", url="http://127.0.0.1/a.ics",
                            actor_name="Maison de l'ESS", now=now)
        upsert_events(session, source.id, records, now=now, tz=PARIS)


def run(settings, *args):
    return CliRunner().invoke(main, list(args), env=cli_env(settings), catch_exceptions=False)


def test_links_links_every_stored_event_once(settings, factory, now, monkeypatch):
    stored(factory, now)
    monkeypatch.setattr(links_cli, "CHUNK", 2)  # several chunks
    result = run(settings, "links")
    assert result.exit_code == 0
    assert ("Links: 5 events: 8 links added, 0 removed, 0 changed; 1 actors to check made."
            in result.output)
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(EventActor)) == 8
        assert session.scalar(select(Actor.status).where(
            Actor.name == "Collectif Vélo Libre")) == "to_check"
    again = run(settings, "links")
    assert "8 links added" not in again.output and "0 links added" in again.output


def test_links_makes_no_actor_past_its_bound(settings, factory, now):
    stored(factory, now)
    result = run(settings, "links", "--max-new", "0")
    assert "0 actors to check made" in result.output


def test_init_links_what_is_stored(settings, factory, now):
    stored(factory, now)
    result = run(settings, "init")
    assert result.exit_code == 0 and "Links: 5 events: 8 links added" in result.output
