"""kill -9 in the middle of a collection's store transaction: the source keeps exactly its old
events, its claim expires, the interruption is counted, and the next collection completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from agenda.collectors.refresh import refresh_source
from agenda.collectors.worker import collect_due_sources
from agenda.db import transaction
from agenda.models import CollectionRun, Event, Source
from agenda.store.sources import add_source
from benchmarks.generate_ics import generate_ics

NEW_EVENTS = 2_000  # the sync point makes the size irrelevant to the outcome; kept quick
OLD_EVENTS = 300
APP_NAME = "agenda_killed_collector"
PROJECT = Path(__file__).resolve().parents[2]

# Runs refresh_source in a child process that stops, for good, inside its store transaction:
# every new row written and flushed, nothing committed.  The marker file is the sync point.
CHILD = """
import os, sys, time
from datetime import datetime
import agenda.collectors.refresh as refresh
from agenda.db import make_engine, make_session_factory
from agenda.settings import load_settings

url, instance, source_id, now, marker = sys.argv[1:]
settings = load_settings(env={}, instance_path=instance, database_url=url,
                         allow_private_urls=True, jitter_seconds=0)
real_upsert = refresh.upsert_events

def upsert_then_hang(session, *args, **kwargs):
    counts = real_upsert(session, *args, **kwargs)
    session.flush()
    with open(marker + ".part", "w") as f:  # renamed when written: never read half-written
        f.write(str(counts.new))
    os.replace(marker + ".part", marker)
    time.sleep(3600)

refresh.upsert_events = upsert_then_hang
factory = make_session_factory(make_engine(settings))
refresh.refresh_source(factory, int(source_id), now=datetime.fromisoformat(now),
                       settings=settings, worker="doomed")
"""


def old_calendar() -> bytes:
    start = datetime(2026, 12, 1, tzinfo=timezone.utc)
    return generate_ics(OLD_EVENTS, start=start, seed=1).replace(b"UID:bench-", b"UID:old-")


def new_calendar() -> bytes:
    return generate_ics(NEW_EVENTS, start=datetime(2026, 12, 1, tzinfo=timezone.utc), seed=2)


def published(factory, sid) -> dict[str, str]:
    with transaction(factory) as session:
        rows = session.execute(select(Event.source_uid, Event.title).where(
            Event.source_id == sid, Event.removed_at.is_(None)))
        return {uid: title for uid, title in rows}


def child_url(settings) -> str:
    url = settings.sqlalchemy_url
    return url + "?application_name=" + APP_NAME if url.startswith("postgresql") else url


def kill_inside_store_transaction(settings, sid, now, marker: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, child_url(settings), str(settings.instance_path), str(sid),
         now.isoformat(), str(marker)], cwd=PROJECT, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300  # a generous bound on a loaded machine, not a measure
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the collector ended before its store phase: "
                            f"{child.stderr.read()!r}")
            assert time.monotonic() < deadline, "the collector never reached its store phase"
            time.sleep(0.05)
        assert int(marker.read_text()) == NEW_EVENTS  # all new rows written, none committed
    finally:  # whatever failed above, no collector is left holding its transaction open
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def wait_for_server_to_drop(factory) -> None:
    """PostgreSQL rolls the killed client's transaction back when it sees the socket close."""
    with transaction(factory) as session:
        if session.get_bind().dialect.name != "postgresql":
            return
    deadline = time.monotonic() + 60
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                 "AND datname = current_database()")  # this test's database only
    while time.monotonic() < deadline:
        with transaction(factory) as session:
            if session.scalar(query, {"name": APP_NAME}) == 0:
                return
        time.sleep(0.05)
    pytest.fail("PostgreSQL kept the killed collector's session")


def test_kill_9_in_the_store_transaction_leaves_the_old_events_and_is_counted(
        httpserver, factory, settings, now, tmp_path):
    httpserver.expect_request("/agenda.ics").respond_with_data(old_calendar(),
                                                               content_type="text/calendar")
    with transaction(factory) as session:
        sid = add_source(session, name="Grosse source", url=httpserver.url_for("/agenda.ics"),
                         kind="ics", now=now).id
    assert refresh_source(factory, sid, now=now, settings=settings).new == OLD_EVENTS
    before = published(factory, sid)
    httpserver.clear()
    httpserver.expect_request("/agenda.ics").respond_with_data(new_calendar(),
                                                               content_type="text/calendar")
    attempt = now + timedelta(hours=1)
    kill_inside_store_transaction(settings, sid, attempt, tmp_path / "storing")
    wait_for_server_to_drop(factory)

    assert published(factory, sid) == before  # exactly the old set: nothing half-written
    with transaction(factory) as session:
        source = session.get(Source, sid)
        assert (source.status, source.claimed_by, source.last_attempt_at) == ("ok", "doomed",
                                                                              attempt)
        lease_ends = source.claimed_until
    still_held = lease_ends - timedelta(seconds=1)
    assert collect_due_sources(factory, settings, clock=lambda: still_held) == []
    settled_at = lease_ends + timedelta(seconds=1)
    assert collect_due_sources(factory, settings, clock=lambda: settled_at) == []
    with transaction(factory) as session:
        source = session.get(Source, sid)
        assert (source.status, source.last_error_code) == ("error", "collect.interrupted")
        retry_at = source.next_run_at
    assert retry_at == settled_at + timedelta(minutes=15)

    [outcome] = collect_due_sources(factory, settings, clock=lambda: retry_at)
    assert (outcome.outcome, outcome.new, outcome.removed) == ("ok", NEW_EVENTS, OLD_EVENTS)
    after = published(factory, sid)
    assert len(after) == NEW_EVENTS and not set(after) & set(before)
    with transaction(factory) as session:
        runs = session.execute(select(CollectionRun.outcome, CollectionRun.error_code,
                                      CollectionRun.worker, CollectionRun.started_at)
                               .where(CollectionRun.source_id == sid)
                               .order_by(CollectionRun.id)).all()
    assert [tuple(r) for r in runs] == [
        ("ok", None, "manual", now), ("error", "collect.interrupted", "doomed", attempt),
        ("ok", None, runs[2].worker, retry_at)]
