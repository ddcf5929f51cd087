"""The finder kept in step with the database: with the directory index in memory (Whoosh
set-up), a change seen by every process (the data version, else the directory's fingerprint), a
large directory rebuilt in a thread while the previous index answers; with PostgreSQL, a change
found by any other finder the moment it commits."""

from __future__ import annotations

import pytest

from agenda.db import transaction
from agenda.finder import Finder
from agenda.models import Actor, Initiative
from agenda.region import cached_region
from agenda.store.changes import bump_data_version
from tests.finder.conftest import find
from tests.finder.directory import store_directory
from tests.web.pages import NOW


def names(finder: Finder, factory) -> set[str]:
    with transaction(factory) as session:
        index = finder.directory(session)
    return {record.title for record in index.records}


def add_actor(factory, name: str, *, bump: bool = True) -> None:
    with transaction(factory) as session:
        session.add(Actor(name=name, status="confirmed"))
        if bump:
            bump_data_version(session)


def test_a_change_bumped_by_another_process_is_seen_at_once(settings, factory):
    store_directory(factory)
    finder = Finder(cached_region(settings.region_file), recheck_every=3600)
    assert "Recyclerie des Coopératives" in names(finder, factory)
    assert "Association en attente" not in names(finder, factory)  # proposed: hidden
    add_actor(factory, "Nouvelle coopérative")
    assert "Nouvelle coopérative" in names(finder, factory)


def test_a_change_without_a_bump_is_seen_at_the_next_check(settings, factory):
    store_directory(factory)
    finder = Finder(cached_region(settings.region_file), recheck_every=3600)
    names(finder, factory)
    add_actor(factory, "Sans version", bump=False)
    assert "Sans version" not in names(finder, factory)  # within recheck_every
    finder.directory_search.recheck_every = 0
    assert "Sans version" in names(finder, factory)


def test_a_large_directory_is_rebuilt_in_a_thread_meanwhile_the_old_one_answers(settings,
                                                                               factory):
    store_directory(factory)
    finder = Finder(cached_region(settings.region_file), factory=factory, inline_below=0)
    before = names(finder, factory)
    add_actor(factory, "Arrivée pendant la reconstruction")
    assert names(finder, factory) == before  # the previous index, a thread rebuilding
    finder.directory_search.building.join(timeout=30)
    assert "Arrivée pendant la reconstruction" in names(finder, factory)


# --- PostgreSQL: nothing kept in the process ------------------------------------------------

@pytest.fixture
def pg_finders(settings, factory, db_backend):
    """Two finders on PostgreSQL: this process's and another's view of the database."""
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    region = cached_region(settings.region_file)
    return (Finder(region, factory=factory, backend="postgresql"),
            Finder(region, factory=factory, backend="postgresql"))


def found_ids(finder: Finder, factory, settings, **args) -> list[str]:
    return [i for _, i in find(finder, factory, settings, **args).hits]


def test_an_actor_written_is_found_by_another_finder_at_once(pg_finders, factory, settings):
    store_directory(factory)
    mine, theirs = pg_finders
    assert found_ids(mine, factory, settings, q="brasserie") == []
    with transaction(factory) as session:  # no data version bumped: nothing to wait for
        actor = Actor(name="Brasserie coopérative du Lac", status="confirmed")
        session.add(actor)
    assert found_ids(theirs, factory, settings, q="brasseries") == [str(actor.id)]
    with transaction(factory) as session:
        session.get(Actor, actor.id).name = "Brûlerie coopérative du Lac"
    assert found_ids(theirs, factory, settings, q="brasserie") == []
    assert found_ids(theirs, factory, settings, q="brulerie") == [str(actor.id)]
    with transaction(factory) as session:
        session.get(Actor, actor.id).removed_at = NOW
    assert found_ids(theirs, factory, settings, q="brulerie") == []
    assert found_ids(mine, factory, settings, q="brulerie") == []


def test_an_actor_renamed_reaches_the_words_of_its_initiatives(pg_finders, factory, settings):
    directory = store_directory(factory)
    mine, theirs = pg_finders
    assert found_ids(mine, factory, settings, q="zéphyr", kind="initiative") == []
    with transaction(factory) as session:
        session.get(Actor, directory.actors["Écolieu du Val"]).name = "Zéphyr des jardins"
    # b2 lists the Écolieu among its actors: its words hold the new name, not the old one
    assert found_ids(theirs, factory, settings, q="zephyr", kind="initiative") == ["b2"]
    assert found_ids(theirs, factory, settings, q="écolieu", kind="initiative") == []
    with transaction(factory) as session:
        session.get(Initiative, "a1").actor_id = directory.actors["Mutuelle solidaire du Berry"]
    assert "a1" in found_ids(theirs, factory, settings, q="mutuelle", kind="initiative")
    with transaction(factory) as session:  # a removed actor's name leaves its initiatives
        session.get(Actor, directory.actors["Écolieu du Val"]).removed_at = NOW
    assert found_ids(theirs, factory, settings, q="zephyr", kind="initiative") == []
