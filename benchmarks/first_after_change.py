"""The first requests right after a collection changed the data (issue 13 item 5).

Stores ``--events`` generated events (as ``agenda generate`` does) and a small source of
``--changed`` events, builds the search index, opens the app and warms it (one calendar, one
search).  Then, ``--rounds`` times: the small source is collected again with every event
changed (``upsert_events`` then the index stage, as a worker does), and the app's first
``/calendar.ics`` (at most ``--max-events`` events: the response cache and the shared cache
miss, the changed events' VEVENTs are not cached in the process) and its first word search
are timed through the Flask test client (``/api/events?q=``), and the search alone
(``find_occurrences`` with facets, as ``benchmarks/search.py`` times it).  p50/p95/max of each.

    python benchmarks/first_after_change.py --instance DIR [--events 100000] [--rounds 20]
        [--backend sqlite|postgresql] [--search whoosh|postgresql] [--keep]

``--backend postgresql`` creates the database agenda_pg_h5 on 127.0.0.1 (dropped at the end
unless ``--keep``; reused when it holds the events already).  Loopback only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from agenda.cli.generate import generate_records, store_generated  # noqa: E402
from agenda.cli.runtime import Runtime  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.listing.filters import Filters  # noqa: E402
from agenda.listing.query import find_occurrences  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import Event, Source  # noqa: E402
from agenda.search.stage import index_source, open_search  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.events import upsert_events  # noqa: E402
from agenda.store.sources import add_source  # noqa: E402
from agenda.web import create_app  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "agenda_pg_h5"
CHANGED_URL = "http://127.0.0.1/first-after-change.ics"
WORDS = ["atelier", "repair café", "compostage", "solidaire", "forum", "vélos", "marché",
         "jardin partagé", "concert", "débat", "formation", "épicerie solidaire"]


def pg_admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def percentiles(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  max {max(times):6.1f} ms  (n={len(times)})"


CPU: dict[str, list[float]] = {}


def timed(call, cpu: str = "") -> tuple[float, object]:
    """Wall time (ms) and result; with ``cpu``, this process's CPU time is noted under it too
    (on a shared machine the wall time includes waiting for a core; PostgreSQL's own work is
    in the wall time only)."""
    began, began_cpu = time.perf_counter(), time.process_time()
    result = call()
    if cpu:
        CPU.setdefault(cpu, []).append((time.process_time() - began_cpu) * 1000)
    return (time.perf_counter() - began) * 1000, result


def setup(args) -> SimpleNamespace:
    url = ""
    if args.backend == "postgresql":
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
        pg_admin(f'CREATE DATABASE "{PG_NAME}"') if not _exists() else None
    overrides = {"feed_max_events": args.max_events, "feed_miss_rate_limit": "100000 per minute"}
    if args.search:
        overrides["search_backend"] = args.search
    settings = load_settings(env={}, instance_path=args.instance.resolve(), database_url=url,
                             **overrides)
    engine = make_engine(settings)
    upgrade_database(engine)
    rt = SimpleNamespace(settings=settings, engine=engine, factory=make_session_factory(engine),
                         now=Runtime.now)
    with transaction(rt.factory) as session:
        have = session.scalar(select(func.count()).select_from(Event))
    if have < args.events:
        began = time.perf_counter()
        generated = store_generated(rt, generate_records(rt, args.events, args.seed))[0]
        print(f"stored {args.events} events in {time.perf_counter() - began:.0f} s", flush=True)
        _analyze(engine)
        search = open_search(settings, rt.factory)
        if hasattr(search, "rebuild"):
            with transaction(rt.factory) as session:
                search.rebuild(session)
        print(f"indexed in {time.perf_counter() - began:.0f} s (with storing)", flush=True)
    else:
        generated = None
    rt.changed = _changed_source(rt, args.changed)
    rt.generated = generated
    return rt


def _exists() -> bool:
    engine = create_engine(PG_ADMIN)
    with engine.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": PG_NAME})
    engine.dispose()
    return bool(found)


def _analyze(engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE events, occurrences, sources"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def _changed_source(rt, count: int) -> SimpleNamespace:
    """The small source each round collects again, its records (``count`` of the generated
    kind, soon, so that they are in every calendar)."""
    with transaction(rt.factory) as session:
        source = session.scalar(select(Source).where(Source.url == CHANGED_URL))
        source = source or add_source(session, name="Collecte du banc", url=CHANGED_URL,
                                      kind="ics", now=rt.now())
        source_id = source.id
    today = datetime.now(timezone.utc)
    records = [replace(r, source_uid=f"banc-{i}", start=today + timedelta(days=1 + i % 20),
                       end=today + timedelta(days=1 + i % 20, hours=2), all_day=False, rrule=None, rdate=(),
                       exdate=(), occurrences=[])
               for i, r in enumerate(generate_records(rt, count, seed=99))]
    return SimpleNamespace(id=source_id, records=[_with_occurrence(r) for r in records])


def _with_occurrence(record):
    from agenda.records import Occurrence

    return replace(record, occurrences=[Occurrence(record.start, record.end)])


def collect(rt, round_number: int) -> None:
    """What a worker does: the source's events stored (every one changed), then the index."""
    records = [replace(r, title=f"{r.title} (passe {round_number})") for r in rt.changed.records]
    with transaction(rt.factory) as session:
        upsert_events(session, rt.changed.id, records, now=datetime.now(timezone.utc),
                      tz=rt.settings.tz)
    index_source(rt.factory, rt.settings, rt.changed.id, parsed=True)


def search_alone(app, word: str) -> float:
    agenda = app.extensions["agenda"]
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (today, today + timedelta(days=60))
    began = time.perf_counter()
    with transaction(agenda.session_factory) as session:
        find_occurrences(session, Filters(q=word), window=window, limit=20, with_facets=True,
                         search=agenda.search)
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=50, help="events of the changed source")
    parser.add_argument("--max-events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--search", choices=("whoosh", "postgresql"), default="")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--prepare", action="store_true",
                        help="only store and index the events (with --keep: time them later)")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2")
    try:
        run(args)
    finally:
        if args.backend == "postgresql" and not args.keep:
            pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            print(f"dropped {PG_NAME}")


def run(args) -> None:
    rt = setup(args)
    if args.prepare:
        return rt.engine.dispose()
    app = create_app(rt.settings)
    client = app.test_client()
    first_ics, response = timed(lambda: client.get("/calendar.ics"))
    body = response.data
    print(f"{rt.engine.dialect.name}, search {rt.settings.search_backend}; calendar of "
          f"{body.count(b'BEGIN:VEVENT')} VEVENTs, {len(body) / 1e6:.1f} MB; a new process's "
          f"first calendar {first_ics:.0f} ms", flush=True)
    client.get("/api/events?q=atelier")
    calendars, searches, alone = [], [], []
    for number in range(args.rounds):
        collect(rt, number)
        word = WORDS[number % len(WORDS)]
        took, response = timed(lambda: client.get("/calendar.ics"), "calendar")
        assert response.status_code == 200 and f"(passe {number})".encode() in response.data
        calendars.append(took)
        took, response = timed(lambda: client.get(f"/api/events?q={word}"), "api")
        assert response.status_code == 200
        searches.append(took)
        collect(rt, number + 1000)
        alone.append(timed(lambda: search_alone(app, WORDS[(number + 5) % len(WORDS)]),
                           "search")[1])
    print(f"first /calendar.ics after a collection:    {percentiles(calendars)}")
    print(f"first /api/events?q= after a collection:   {percentiles(searches)}")
    print(f"first search (find_occurrences + facets): {percentiles(alone)}")
    for name, label in (("calendar", "/calendar.ics"), ("api", "/api/events?q="),
                        ("search", "search alone")):
        print(f"  this process's CPU time, {label:15} {percentiles(CPU[name])}")
    print(f"load: {Path('/proc/loadavg').read_text().strip()} ({os.cpu_count()} cores)")
    rt.engine.dispose()


if __name__ == "__main__":
    main()
