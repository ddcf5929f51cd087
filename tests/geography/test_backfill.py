"""`agenda places` gives what was stored before the gazetteer its commune, once; initiatives get
the commune their territory names when they are published."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from agenda.cli import main
from agenda.db import transaction
from agenda.models import Actor, Event, Initiative
from agenda.records import EventRecord, Location, Occurrence
from agenda.store import places as places_store
from agenda.store.events import upsert_events
from agenda.store.initiatives import put_initiative
from agenda.store.sources import add_source
from tests.cli_env import cli_env

PARIS = ZoneInfo("Europe/Paris")


def event(uid: str, **location) -> EventRecord:
    start = datetime(2026, 11, 24, 18, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=uid, start=start, end=start + timedelta(hours=2),
                       location=Location(**location),
                       occurrences=[Occurrence(start, start + timedelta(hours=2))])


@pytest.fixture
def stored_before(factory, now):
    """Events, an initiative and an actor as an older version stored them: no commune."""
    with transaction(factory) as session:
        sid = add_source(session, name="S", url="http://127.0.0.1/s.ics", now=now).id
        upsert_events(session, sid, [
            event("city", city="Châteauroux"), event("point", lat=47.0822, lon=2.3998),
            event("homonym", city="Saint-Denis"), event("street", address="3 rue Haute"),
            event("postcode", postcode="37000", city="Tours", department="37"),
        ], now=now, tz=PARIS)
        session.execute(update(Event).values(commune_code=None, commune_name=None,
                                             department=None))
        session.add(Actor(name="Repair'36", postcode="36000"))
        session.add(Initiative(id="i1", title="Jardin partagé", territory="St-Jean-de-Braye",
                               created_at=now, updated_at=now))


def run(settings, *args):
    return CliRunner().invoke(main, list(args), env=cli_env(settings), catch_exceptions=False)


def test_places_fills_in_what_it_can_tell_and_only_that(settings, factory, stored_before,
                                                       monkeypatch):
    monkeypatch.setattr(places_store, "CHUNK", 2)  # several chunks
    result = run(settings, "places")
    assert result.exit_code == 0
    assert "Places: 3 of 5 events without a commune placed; 1 initiatives, 1 actors." in (
        result.output)
    with transaction(factory) as session:
        events = dict(session.execute(select(Event.source_uid, Event.commune_code)).all())
        departments = dict(session.execute(select(Event.source_uid, Event.department)).all())
        initiative = session.get(Initiative, "i1")
        actor = session.scalar(select(Actor))
        assert (initiative.commune_code, initiative.commune_name) == ("45284",
                                                                      "Saint-Jean-de-Braye")
        assert (actor.commune_code, actor.department) == ("36044", "36")
    assert events == {"city": "36044", "point": "18033", "homonym": None, "street": None,
                      "postcode": "37261"}
    assert departments["city"] == "36" and departments["homonym"] is None
    again = run(settings, "places")
    assert "Places: 0 of 2 events without a commune placed; 0 initiatives, 0 actors." in (
        again.output)


def test_init_places_what_is_stored(settings, stored_before):
    result = run(settings, "init")
    assert result.exit_code == 0 and "Places: 3 of 5 events" in result.output


@pytest.mark.parametrize("territory, department, commune", [
    ("Saint-Jean-de-Braye", None, ("45284", "Saint-Jean-de-Braye")),
    ("Bourges", "18", ("18033", "Bourges")),
    ("Pays Loire Touraine", "37", (None, None)),  # wider than a commune
    ("Saint-Denis", None, (None, None)),  # which one?
    (None, "45", (None, None)),
])
def test_a_published_initiative_gets_the_commune_its_territory_names(factory, now, territory,
                                                                     department, commune):
    with transaction(factory) as session:
        initiative = put_initiative(session, None, {
            "title": "Recyclerie", "territory": territory, "department": department}, now=now)
        assert (initiative.commune_code, initiative.commune_name) == commune
        assert initiative.department == department  # the department chosen stays
