"""The finder kept in step with the database: a change seen by every process (the data version,
else the directory's fingerprint), a large directory rebuilt in a thread while the previous
index answers."""

from __future__ import annotations

from agenda.db import transaction
from agenda.finder import Finder
from agenda.models import Actor
from agenda.region import cached_region
from agenda.store.changes import bump_data_version
from tests.finder.directory import store_directory


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
    finder.recheck_every = 0
    assert "Sans version" in names(finder, factory)


def test_a_large_directory_is_rebuilt_in_a_thread_meanwhile_the_old_one_answers(settings,
                                                                               factory):
    store_directory(factory)
    finder = Finder(cached_region(settings.region_file), factory=factory, inline_below=0)
    before = names(finder, factory)
    add_actor(factory, "Arrivée pendant la reconstruction")
    assert names(finder, factory) == before  # the previous index, a thread rebuilding
    finder.building.join(timeout=30)
    assert "Arrivée pendant la reconstruction" in names(finder, factory)
