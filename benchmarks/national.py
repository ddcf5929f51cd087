"""National scale, measured: ``agenda generate 1000000`` on PostgreSQL with its search.

1. A throw-away PostgreSQL database (``agenda_bench_national``, created here, dropped at the
   end unless ``--keep``), migrated; N generated events stored as ``agenda generate N`` stores
   them (``generate_records`` -> ``upsert_events`` in one transaction, whose commit fills every
   text vector and VEVENT text), or in ``--parts`` sources of N/parts events (one transaction
   each): time of each stage (records made, rows written, vectors filled, VEVENT texts
   stored, commit), peak memory; then
   VACUUM ANALYZE (autovacuum is off on the development server).
2. Sizes: ``pg_database_size`` and ``pg_total_relation_size`` of the largest tables and indexes.
3. Search (``AGENDA_SEARCH_BACKEND=postgresql``): about 30 varied queries (frequent and rare
   words, none, filters by department, theme and mode, relevance, date windows) through
   ``find_occurrences(..., limit=20, with_facets=True)``, each asked ``--repeat`` times:
   p50/p95/max; EXPLAIN (ANALYZE, BUFFERS) of the slowest statements of the slowest queries.
4. The home page (and a few word searches) through Flask's test client: p50/p95.
5. ``/calendar.ics`` of the next 10,000 occurrences (``feed_max_events`` 10,000) built cold:
   no response, no VEVENT text in memory, no feed in the shared cache.
6. Collection: ``--sources`` calendars of 50 events served on loopback, collected by two
   ``agenda worker`` processes: sources per minute (bounded by ``--collect-minutes``).

    .venv/bin/python benchmarks/national.py [--events 1000000] [--parts 1] [--keep]
        [--reuse] [--skip store,search,pages,calendar,collect] [--plans DIR]

``--reuse`` measures a database kept by an earlier ``--keep`` run (nothing stored).  Loopback
only; every process it starts is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from load_setup import BenchError, create_pg, drop_pg, pg_database  # noqa: E402
from national_measures import (  # noqa: E402
    measure_calendar,
    measure_collection,
    measure_pages,
    measure_search,
)
from sqlalchemy import text  # noqa: E402

import agenda.export.stored_vevents as stored_vevents  # noqa: E402
import agenda.search.pg.vectors as vectors  # noqa: E402
from agenda.cli.generate import GENERATED_NAME, GENERATED_URL, generate_records  # noqa: E402
from agenda.cli.runtime import Runtime  # noqa: E402
from agenda.db import make_engine, make_session_factory  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.events import upsert_events  # noqa: E402
from agenda.store.sources import add_source, find_source_by_url  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
STEPS = ("store", "search", "pages", "calendar", "collect")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=1,
                        help="store in this many sources (one transaction each)")
    parser.add_argument("--database", default="agenda_bench_national")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the kept database (nothing created nor stored)")
    parser.add_argument("--skip", default="", help=f"steps to skip, among {','.join(STEPS)}")
    parser.add_argument("--repeat", type=int, default=3, help="times each search is asked")
    parser.add_argument("--sources", type=int, default=2000, help="sources collected")
    parser.add_argument("--source-events", type=int, default=50)
    parser.add_argument("--collect-minutes", type=float, default=20.0)
    parser.add_argument("--redis-db", type=int, default=12, help="Redis database (emptied)")
    parser.add_argument("--plans", type=Path, help="write the full query plans here")
    parser.add_argument("--max-minutes", type=float, default=150.0, help="hard bound")
    args = parser.parse_args()
    args.skip = {step.strip() for step in args.skip.split(",") if step.strip()}
    if args.reuse:
        args.skip.add("store")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGALRM, _too_long)
    signal.signal(signal.SIGTERM, _too_long)
    signal.alarm(int(args.max_minutes * 60))
    url = PG + args.database
    name = pg_database(url)
    engine = None
    with tempfile.TemporaryDirectory(prefix="agenda-national-") as folder:
        try:
            if not args.reuse:
                create_pg(name)
            settings = load_settings(env={}, instance_path=Path(folder) / "instance",
                                     database_url=url, search_backend="postgresql")
            engine = make_engine(settings)
            upgrade_database(engine)
            factory = make_session_factory(engine)
            _say(f"{args.database}: {server_version(engine)}; load {loadavg()}")
            if "store" not in args.skip:
                store(settings, factory, args)
                vacuum_analyze(engine)
            print_sizes(engine)
            if "search" not in args.skip:
                measure_search(settings, factory, args)
            if "pages" not in args.skip:
                measure_pages(settings, args)
            if "calendar" not in args.skip:
                measure_calendar(settings, factory)
            if "collect" not in args.skip:
                measure_collection(Path(folder), url, args)
            return 0
        except BenchError as error:
            print(f"\nnational benchmark failed: {error}", file=sys.stderr)
            return 1
        finally:
            signal.alarm(0)
            if engine is not None:
                engine.dispose()
            if not args.keep:
                drop_pg(name)
                _say(f"dropped {name}")


def _too_long(signum, _frame):
    reason = "went past --max-minutes" if signum == signal.SIGALRM else "was asked to stop"
    raise BenchError(f"the benchmark {reason}; everything it started is being stopped")


# --- 1. storing --------------------------------------------------------------------------------

class Timed:
    """Time spent in ``module.name`` (a function the commit hooks call by its module's name:
    ``vectors.fill_missing``, ``stored_vevents.store_series``), for the benchmark's process."""

    def __init__(self, module, name: str) -> None:
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.seconds, self.rows = 0.0, 0

    def __enter__(self):
        def timed(*args, **kwargs):
            began = time.perf_counter()
            done = self.original(*args, **kwargs)
            self.seconds += time.perf_counter() - began
            self.rows += done if isinstance(done, int) else 0
            return done
        setattr(self.module, self.name, timed)
        return self

    def __exit__(self, *_exc) -> None:
        setattr(self.module, self.name, self.original)


def store(settings, factory, args) -> None:
    rt = Runtime()
    rt.settings = settings
    per_part = -(-args.events // args.parts)
    totals = {"records": 0.0, "rows": 0.0, "vectors": 0.0, "vevents": 0.0, "commit": 0.0}
    began, stored = time.perf_counter(), 0
    with Timed(vectors, "fill_missing") as fill, Timed(stored_vevents, "store_series") as texts:
        for part in range(args.parts):
            count = min(per_part, args.events - stored)
            if count <= 0:
                break
            _say(f"part {part + 1}/{args.parts}: making {count:,} records; load {loadavg()}")
            t0 = time.perf_counter()
            records = generate_records(rt, count, part + 1)
            occurrences = sum(len(r.occurrences) for r in records)
            t1 = time.perf_counter()
            filled_before, texts_before = fill.seconds, texts.seconds
            session = factory()
            try:
                source = _generated_source(session, part, args.parts, rt.now())
                upsert_events(session, source.id, records, now=rt.now(), tz=settings.tz)
                del records
                t2 = time.perf_counter()
                session.commit()  # the hook fills every vector, then the commit
            finally:
                session.close()
            t3 = time.perf_counter()
            filled, written = fill.seconds - filled_before, texts.seconds - texts_before
            totals["records"] += t1 - t0
            totals["rows"] += t2 - t1
            totals["vectors"] += filled
            totals["vevents"] += written
            totals["commit"] += t3 - t2 - filled - written
            stored += count
            gc.collect()
            _say(f"  {count:,} events ({occurrences:,} occurrences): records {t1 - t0:.0f} s, "
                 f"rows {t2 - t1:.0f} s, vectors {filled:.0f} s, VEVENT texts {written:.0f} s, "
                 f"commit {t3 - t2 - filled - written:.0f} s; load {loadavg()}")
    total = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n## Storing {args.events:,} generated events ({args.parts} part(s))\n")
    print(f"Total {total:.0f} s ({args.events / total:,.0f} events/s): records made "
          f"{totals['records']:.0f} s, rows written {totals['rows']:.0f} s, text vectors "
          f"filled {totals['vectors']:.0f} s ({fill.rows:,} rows, "
          f"{fill.rows / max(totals['vectors'], 1e-9):,.0f}/s), VEVENT texts stored "
          f"{totals['vevents']:.0f} s, commit {totals['commit']:.0f} s; "
          f"peak memory of the process {peak:,.0f} MB; load after {loadavg()}.")


def _generated_source(session, part: int, parts: int, now):
    """The generated source (``agenda generate``'s own when in one part), else one per part."""
    url = GENERATED_URL if parts == 1 else f"{GENERATED_URL}#part-{part + 1}"
    found = find_source_by_url(session, url)
    if found is not None:
        return found
    name = GENERATED_NAME if parts == 1 else f"{GENERATED_NAME} ({part + 1}/{parts})"
    source = add_source(session, name=name, url=url, kind="ics", now=now)
    source.enabled = False
    session.flush()
    return source


def vacuum_analyze(engine) -> None:
    began = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    _say(f"VACUUM ANALYZE {time.perf_counter() - began:.0f} s")


# --- 2. sizes ----------------------------------------------------------------------------------

def print_sizes(engine, top: int = 12) -> None:
    with engine.connect() as connection:
        database = connection.scalar(text("SELECT pg_database_size(current_database())"))
        events = connection.scalar(text("SELECT count(*) FROM events WHERE removed_at IS NULL"))
        occurrences = connection.scalar(text("SELECT count(*) FROM occurrences"))
        tables = connection.execute(text(
            "SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), "
            "pg_indexes_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT :top"),
            {"top": top}).all()
        indexes = connection.execute(text(
            "SELECT c.relname, t.relname, pg_total_relation_size(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "ORDER BY 3 DESC LIMIT :top"), {"top": top}).all()
    print(f"\n## Database size: {database / 1e6:,.0f} MB ({events:,} listed events, "
          f"{occurrences:,} occurrences)\n")
    print("| table | total MB | table MB | indexes MB |\n|---|---|---|---|")
    for name, total, heap, index in tables:
        print(f"| {name} | {total / 1e6:,.1f} | {heap / 1e6:,.1f} | {index / 1e6:,.1f} |")
    print("\n| index | of table | MB |\n|---|---|---|")
    for name, table, size in indexes:
        print(f"| {name} | {table} | {size / 1e6:,.1f} |")


# --- helpers -----------------------------------------------------------------------------------

def server_version(engine) -> str:
    with engine.connect() as connection:
        return "PostgreSQL " + connection.scalar(text("SHOW server_version"))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
