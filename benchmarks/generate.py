"""Generate N French ESS events into a database and build the search index: what it costs.

Stores the events as ``agenda generate N`` does (records -> themes -> ``upsert_events`` in one
transaction), then rebuilds the index from the database, and prints each stage's time, the
index's size and the process's peak memory.  The data stay for ``benchmarks/search.py`` and
``benchmarks/pages.py`` (same ``--instance`` and ``--database-url``).

    python benchmarks/generate.py --instance DIR [--events 100000] [--seed 1]
                                  [--database-url URL | --pg-database agenda_bench_NAME]
    python benchmarks/generate.py --drop-pg agenda_bench_NAME

``--pg-database`` creates that throw-away PostgreSQL database on 127.0.0.1 (its name must start
with ``agenda_bench_``); ``--drop-pg`` drops it.  The tables are VACUUM ANALYZEd after the load,
as autovacuum would do in production (it is off on the development server: without statistics
PostgreSQL picks nested loops that take 10-50 s on the SQL-only listings, and without a
visibility map the per-source counts of every page scan the whole events table).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from agenda.cli.generate import generate_records, store_generated  # noqa: E402
from agenda.cli.runtime import Runtime  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.search import open_search  # noqa: E402
from agenda.settings import load_settings  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PREFIX = "agenda_bench_"


def pg_url(name: str) -> str:
    if not name.startswith(PREFIX) or not name.replace("_", "").isalnum():
        raise SystemExit(f"the database name must start with {PREFIX} (letters, digits, _)")
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def pg_admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def runtime(instance: Path, database_url: str) -> SimpleNamespace:
    """What the CLI commands need (settings, factory, clock), for this instance."""
    settings = load_settings(env={}, instance_path=instance, database_url=database_url)
    engine = make_engine(settings)
    upgrade_database(engine)
    return SimpleNamespace(settings=settings, engine=engine, factory=make_session_factory(engine),
                           now=Runtime.now)


def analyze(engine) -> None:
    """Planner statistics and visibility maps, as autovacuum would make them (it is off on the
    development server)."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE events, occurrences, sources"))


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="", help="default: SQLite in the instance")
    parser.add_argument("--pg-database", help="create this PostgreSQL database and use it")
    parser.add_argument("--drop-pg", help="drop this PostgreSQL database and stop")
    args = parser.parse_args()
    if args.drop_pg:
        pg_url(args.drop_pg)
        pg_admin(f'DROP DATABASE IF EXISTS "{args.drop_pg}" WITH (FORCE)')
        return print(f"dropped {args.drop_pg}")
    if args.instance is None:
        parser.error("--instance is required")
    url = args.database_url
    if args.pg_database:
        url = pg_url(args.pg_database)
        pg_admin(f'CREATE DATABASE "{args.pg_database}"')
    rt = runtime(args.instance.resolve(), url)
    print(f"database: {rt.engine.url.render_as_string(hide_password=True)}")

    began = time.perf_counter()
    records = generate_records(rt, args.events, args.seed)
    made = time.perf_counter()
    source_id, counts = store_generated(rt, records)
    stored = time.perf_counter()
    occurrences = sum(len(r.occurrences) for r in records)
    print(f"generated {args.events} events ({occurrences} occurrences) in {made - began:.1f} s; "
          f"stored in {stored - made:.1f} s = {args.events / (stored - made):,.0f} events/s "
          f"({counts.new} new, {counts.updated} updated, {counts.removed} removed)")

    analyze(rt.engine)
    search = open_search(rt.settings)
    with transaction(rt.factory) as session:
        report = search.rebuild(session)
    built = time.perf_counter() - stored
    status = search.status()
    index_mb = folder_size(search.folder.root) / 1e6
    print(f"index built in {built:.1f} s = {report.indexed / built:,.0f} events/s; "
          f"{index_mb:.1f} MB in {status['segments']} segments")
    if not url:
        database = rt.settings.instance_path / "agenda.sqlite3"
        print(f"SQLite database: {database.stat().st_size / 1e6:.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB; total {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
