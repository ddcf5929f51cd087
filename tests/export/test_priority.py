"""Feed builds run in a nicer thread: its result and errors come back, and on Linux the thread
really runs at a lower priority while the caller's stays as it was."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from agenda.export.priority import run_nicer


def own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_the_result_and_the_error_come_back_to_the_caller():
    assert run_nicer(lambda: 42, nice=5) == 42
    with pytest.raises(KeyError, match="lost"):
        run_nicer(lambda: {}["lost"], nice=5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_the_work_runs_nicer_and_the_caller_keeps_its_priority():
    before = own_nice()
    assert run_nicer(own_nice, nice=7) == min(19, before + 7)
    assert own_nice() == before
    assert run_nicer(own_nice, nice=0) == before  # 0: no thread, no change


def test_a_feed_is_built_in_the_nicer_thread(client_with_feed):
    client, seen = client_with_feed
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.data
    assert seen and seen[0] != threading.get_native_id()


@pytest.fixture
def client_with_feed(settings, engine, monkeypatch):
    import agenda.web.feeds.views as feeds
    from agenda.web import create_app

    seen = []
    real = feeds.calendar_for

    def spy(*args, **kwargs):
        seen.append(threading.get_native_id())
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds, "calendar_for", spy)
    app = create_app(settings.with_overrides(feed_build_nice=5))
    yield app.test_client(), seen
    app.extensions["agenda"].engine.dispose()


def test_a_rebuild_after_a_collection_is_not_made_nicer(client_with_feed, monkeypatch):
    import agenda.web.feeds.views as feeds

    client, _seen = client_with_feed
    asked = []
    monkeypatch.setattr(feeds, "run_nicer", lambda work, *, nice: asked.append(nice) or work())
    client.get("/calendar.ics")
    assert asked == [5]  # first time this feed is asked: built nicer
    client.application.extensions["agenda_exports"].responses.clear()
    from agenda.db import transaction
    from agenda.store.changes import bump_data_version

    with transaction(client.application.extensions["agenda"].session_factory) as session:
        bump_data_version(session)
    client.get("/calendar.ics")
    assert asked == [5, 0]  # the same feed after a data change: a rebuild, at normal priority
