"""Who organises an event: the source's owner, the actor its organiser field names (by number
or by name), the actor of its proposal, and staff's links kept across collections."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import Actor, DataChange, Event, EventActor, Initiative, InitiativeActor
from agenda.records import EventRecord, Location, Occurrence
from agenda.services import event_actors, moderation, submissions
from agenda.services.merging import merge
from agenda.store import link_edits
from agenda.store.changes import data_version
from agenda.store.events import upsert_events
from agenda.store.links import actors_of_event
from agenda.store.sources import add_source
from tests.services.proposals import add_staff, event_data, initiative_data

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 25, 14, 0, tzinfo=PARIS)
SIRET = "73282932000074"  # valid (Luhn)


def record(uid: str, organizer: str | None = None, title: str = "Forum de l'emploi solidaire",
           start: datetime = START) -> EventRecord:
    return EventRecord(source_uid=uid, title=title, start=start, end=start + timedelta(hours=2),
                       location=Location(name="Salle des fêtes", city="Tours", postcode="37000"),
                       occurrences=[Occurrence(start, start + timedelta(hours=2))],
                       organizer=organizer)


@pytest.fixture
def source_id(factory, now):
    with transaction(factory) as session:
        return add_source(session, name="Agenda de la CRESS", url="http://127.0.0.1/c.ics",
                          actor_name="CRESS Centre-Val de Loire", now=now).id


def collect(factory, source_id, records, now) -> list[str]:
    """Store then link, as a collection does."""
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, records, now=now, tz=PARIS)
        event_actors.link_event_actors(session, counts.changed_ids)
        return counts.changed_ids


def links_of(factory, event_id) -> dict[str, str]:
    with transaction(factory) as session:
        rows = session.execute(select(Actor.name, EventActor.how).join(
            EventActor, EventActor.actor_id == Actor.id).where(EventActor.event_id == event_id))
        return dict(rows.all())


def add_actor(factory, name, **values) -> int:
    with transaction(factory) as session:
        actor = Actor(name=name, **values)
        session.add(actor)
        session.flush()
        return actor.id


def test_the_source_owner_organises_its_events(factory, source_id, now):
    [event_id] = collect(factory, source_id, [record("a")], now)
    assert links_of(factory, event_id) == {"CRESS Centre-Val de Loire": "source"}


def test_an_organiser_is_found_by_its_folded_name(factory, source_id, now):
    add_actor(factory, "Répar'Café de Tours (démo)")
    [event_id] = collect(factory, source_id, [record("a", "REPAR CAFE DE TOURS (Demo)")], now)
    assert links_of(factory, event_id) == {"CRESS Centre-Val de Loire": "source",
                                           "Répar'Café de Tours (démo)": "organizer"}


def test_the_demo_mark_is_part_of_the_name(factory, source_id, now):
    add_actor(factory, "Répar'Café de Tours (démo)")
    [event_id] = collect(factory, source_id, [record("a", "Répar'Café de Tours")], now)
    assert "Répar'Café de Tours (démo)" not in links_of(factory, event_id)


def test_an_organiser_is_found_by_a_siret_written_in_it(factory, source_id, now):
    add_actor(factory, "Coopérative Les Champs", siren=SIRET[:9])
    [event_id] = collect(factory, source_id,
                         [record("a", "Les Champs (SIRET 732 829 320 00074)")], now)
    assert links_of(factory, event_id)["Coopérative Les Champs"] == "organizer"


def test_an_unknown_organiser_becomes_an_actor_to_check(factory, source_id, now):
    [event_id] = collect(factory, source_id, [record("a", "Collectif Vélo Libre")], now)
    assert links_of(factory, event_id)["Collectif Vélo Libre"] == "organizer"
    with transaction(factory) as session:
        actor = session.scalar(select(Actor).where(Actor.name == "Collectif Vélo Libre"))
        assert (actor.status, actor.origin) == ("to_check", "organizer")


@pytest.mark.parametrize("organizer", ["ab", "contact@velo.example.org",
                                       "https://velo.example.org", "x" * 121,
                                       "Agenda de la CRESS", "cress centre val de loire"])
def test_no_actor_is_made_from_what_is_not_a_name(factory, source_id, now, organizer):
    collect(factory, source_id, [record("a", organizer)], now)
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Actor)) == 1  # the owner


def test_a_changed_organiser_moves_its_link(factory, source_id, now):
    add_actor(factory, "Alternatiba Tours")
    add_actor(factory, "Tours en Transition")
    [event_id] = collect(factory, source_id, [record("a", "Alternatiba Tours")], now)
    collect(factory, source_id, [record("a", "Tours en Transition")], now + timedelta(hours=1))
    assert links_of(factory, event_id) == {"CRESS Centre-Val de Loire": "source",
                                           "Tours en Transition": "organizer"}


def test_a_staff_link_stays_after_a_recollection(factory, source_id, now):
    other = add_actor(factory, "Tours en Transition")
    [event_id] = collect(factory, source_id, [record("a")], now)
    with transaction(factory) as session:
        assert link_edits.link_event_actor(session, event_id, other)
    collect(factory, source_id, [record("a", title="Forum de l'emploi solidaire 2026")],
            now + timedelta(hours=1))
    assert links_of(factory, event_id)["Tours en Transition"] == "staff"


def test_new_actors_are_bounded_per_call(factory, source_id, now):
    records = [record(f"e{n}", f"Association numéro {n:03d}") for n in range(8)]
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, records, now=now, tz=PARIS)
        linked = event_actors.link_event_actors(session, counts.changed_ids, max_new=3)
    assert linked.new_actors == 3
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Actor).where(
            Actor.origin == "organizer")) == 3


def test_one_name_makes_one_actor_and_bumps_the_data_version(factory, source_id, now):
    with transaction(factory) as session:
        before = session.scalar(select(DataChange.value)) or 0
    collect(factory, source_id, [record("a", "Collectif Vélo Libre"),
                                 record("b", "collectif velo libre", start=START + timedelta(1))],
            now)
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Actor).where(
            Actor.origin == "organizer")) == 1
        assert data_version(session)[0] > before


def test_a_copys_link_is_shown_on_the_listed_event(factory, source_id, now):
    with transaction(factory) as session:
        other = add_source(session, name="Agenda du Perche", url="http://127.0.0.1/p.ics",
                           actor_name="Réseau du Perche", now=now).id
    [head] = collect(factory, source_id, [record("a")], now)
    [copy] = collect(factory, other, [record("b")], now + timedelta(hours=1))
    with transaction(factory) as session:
        merge(session, head, copy, now=now + timedelta(hours=2))
    with transaction(factory) as session:
        assert session.get(Event, copy).duplicate_of == head
        assert [a.name for a in actors_of_event(session, head)] == [
            "CRESS Centre-Val de Loire", "Réseau du Perche"]


def test_an_approved_proposal_links_its_actor(factory, settings, now):
    with transaction(factory) as session:
        received = submissions.submit(session, kind="event", data=event_data(),
                                      contact_email="benevole@example.org", now=now,
                                      settings=settings)
        [event_id, *_] = moderation.approve(session, received.submission,
                                            user=add_staff(session), now=now, settings=settings)
    assert links_of(factory, event_id) == {"Vélo Solidaire Orléans": "form"}


def test_an_approved_initiative_lists_its_actor(factory, settings, now):
    with transaction(factory) as session:
        received = submissions.submit(session, kind="initiative", data=initiative_data(),
                                      contact_email="benevole@example.org", now=now,
                                      settings=settings)
        before = data_version(session)[0]
        moderation.approve(session, received.submission, user=add_staff(session), now=now,
                           settings=settings)
        # the search across kinds and the caches are keyed on the data version
        assert data_version(session)[0] > before
    with transaction(factory) as session:
        initiative = session.scalar(select(Initiative))
        assert initiative.actor_id is not None
        assert list(session.scalars(select(InitiativeActor.actor_id))) == [initiative.actor_id]


def test_linking_thousands_of_events_takes_few_queries(factory, source_id, now):
    add_actor(factory, "Alternatiba Tours")
    records = [record(f"e{n}", "Alternatiba Tours" if n % 2 else None,
                      start=START + timedelta(minutes=n)) for n in range(2500)]
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, records, now=now, tz=PARIS)
    statements = []
    with transaction(factory) as session:
        from sqlalchemy import event as sa_event
        bind = session.get_bind()
        listener = lambda *args: statements.append(1)  # noqa: E731
        sa_event.listen(bind, "before_cursor_execute", listener)
        try:
            linked = event_actors.link_event_actors(session, counts.changed_ids)
        finally:
            sa_event.remove(bind, "before_cursor_execute", listener)
    assert linked.added == 2500 + 1250
    assert len(statements) < 30


def test_a_link_made_twice_changes_nothing_the_second_time(factory, source_id, now):
    other = add_actor(factory, "Tours en Transition")
    [event_id] = collect(factory, source_id, [record("a")], now)
    with transaction(factory) as session:
        initiative = Initiative(id="0a1b", title="Mois de l'ESS", status="active")
        session.add(initiative)
        session.flush()
        assert link_edits.link_event_actor(session, event_id, other)
        assert link_edits.link_event_initiative(session, event_id, "0a1b")
        assert link_edits.add_initiative_actor(session, "0a1b", other)
        version = session.scalar(select(DataChange.value))
        assert not link_edits.link_event_actor(session, event_id, other)
        assert not link_edits.link_event_initiative(session, event_id, "0a1b")
        assert not link_edits.add_initiative_actor(session, "0a1b", other)
        assert session.scalar(select(DataChange.value)) == version
    with transaction(factory) as session:  # the owner's link becomes staff's
        owner = session.scalar(select(EventActor.actor_id).where(EventActor.how == "source"))
        assert link_edits.link_event_actor(session, event_id, owner)
    assert set(links_of(factory, event_id).values()) == {"staff"}


def test_an_organiser_field_listing_two_organisers_links_both(factory, source_id, now):
    """The Events Calendar joins its organisers with a comma: each is an actor of its own,
    its "(démo)" kept whole."""
    add_actor(factory, "Café-vélo La Roue libre (démo)")
    [event_id] = collect(factory, source_id, [record(
        "a", "Café-vélo La Roue libre (démo), Collectif Cycl’Orléanais (démo)")], now)
    assert links_of(factory, event_id) == {
        "CRESS Centre-Val de Loire": "source", "Café-vélo La Roue libre (démo)": "organizer",
        "Collectif Cycl’Orléanais (démo)": "organizer"}


def test_a_comma_inside_one_name_does_not_split_it(factory, source_id, now):
    [event_id] = collect(factory, source_id, [record("a", "Emmaüs, Tours")], now)
    assert "Emmaüs, Tours" in links_of(factory, event_id)


def test_semicolons_separate_organisers(factory, source_id, now):
    [event_id] = collect(factory, source_id, [record("a", "Les Amis du Vélo ; Ressourcerie")],
                         now)
    assert {"Les Amis du Vélo", "Ressourcerie"} <= set(links_of(factory, event_id))
