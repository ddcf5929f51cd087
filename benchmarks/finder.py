"""Search across kinds benchmark: 100,000 events, 20,000 actors and 20,000 initiatives in a
temporary SQLite database; the directory index's first build, then searches with facets.

Stores the events as ``benchmarks/generate.py`` does (and builds their Whoosh index), adds the
actors and initiatives (French names and descriptions from the same vocabulary, themes,
departments, communes, structures, statuses), then times, in this process:

    build       the directory index's first build (``Finder.directory``: read + index)
    one word    a word from the list, every kind, facets counted (``Finder.find``), the page's
                rows loaded (``load_hits``): what /search and /api/search do before rendering
    two words   two words of the list
    filters     a theme and a department, no words
    no words    everything (events by date, then initiatives and actors by name)

Each query is timed once ("first") and again in another order ("again").  The machine is
shared: the load average is printed beside the figures.

    python benchmarks/finder.py [--instance DIR] [--events 100000] [--actors 20000]
                                [--initiatives 20000] [--queries 200] [--prepare-only]
                                [--backend whoosh|postgresql] [--directory-only]

``--backend postgresql`` stores everything in a PostgreSQL database of its own
(``--database-url``, by default ``agenda_pg_h2`` on the test server, created if missing,
dropped at the end with ``--drop``) and times the same searches twice on it: actors and
initiatives from the directory index in memory (built first, as every process had to), then
from SQL on their text vectors (nothing built).  ``--directory-only`` asks for initiatives and
actors only (the events' side left out of the figures).  Without events' index (``--events 0``
or PostgreSQL), events come from SQL.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import analyze, runtime  # noqa: E402
from search import DEPARTMENTS, THEMES, WORDS  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from agenda import geography  # noqa: E402
from agenda.cli.generate import generate_records, store_generated  # noqa: E402
from agenda.db import transaction  # noqa: E402
from agenda.finder import Finder, parse_query  # noqa: E402
from agenda.finder.events import event_window  # noqa: E402
from agenda.finder.rows import load_hits  # noqa: E402
from agenda.models import Actor, Initiative, InitiativeActor  # noqa: E402
from agenda.models.actor import STRUCTURES  # noqa: E402
from agenda.region import cached_region  # noqa: E402
from agenda.search import open_search  # noqa: E402
from agenda.search.pg.rebuild import fill_all_missing  # noqa: E402
from agenda.store.changes import bump_data_version  # noqa: E402

READY = "finder-ready"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DATABASE = "agenda_pg_h2"
NAMES = ["Recyclerie", "Ressourcerie", "Épicerie solidaire", "Tiers-lieu", "Jardin partagé",
         "Café associatif", "Coopérative", "SCIC", "Repair café", "Atelier vélo", "AMAP",
         "Monnaie locale", "Fablab", "Ressourcerie créative", "Compostage collectif",
         "Habitat participatif", "Université populaire", "Énergie citoyenne", "Friperie",
         "Banque alimentaire", "Chantier d'insertion", "Mutuelle", "Fondation", "Collectif"]
QUALIFIERS = ["du Val", "des Coteaux", "de la Loire", "du Berry", "de Touraine", "du Perche",
              "de Sologne", "des Gâtines", "du Boischaut", "de Beauce", "solidaire", "citoyen",
              "partagé", "des quartiers", "en transition", "du centre", "rural", "paysan"]
STATUSES_I = ["project", "active", "active", "active", "ended"]
STATUSES_A = ["confirmed", "confirmed", "to_check"]


def text_of(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words // 2))


def prepare(instance: Path, *, events: int, actors: int, initiatives: int, seed: int,
            database_url: str = ""):
    """The database and the events' index in ``instance`` (made once: a marker file)."""
    instance.mkdir(parents=True, exist_ok=True)
    rt = runtime(instance, database_url)
    if (instance / READY).exists():
        return rt
    began = time.perf_counter()
    source_id = store_generated(rt, generate_records(rt, events, seed))[0] if events else 0
    rng = random.Random(seed)
    communes = {d: [c.code for c in geography.communes_in([d])][:80] for d in DEPARTMENTS}
    with rt.engine.begin() as connection:  # no session: vectors filled below, by chunks
        connection.execute(insert(Actor), [_actor(rng, n, communes) for n in range(actors)])
        actor_ids = list(connection.scalars(select(Actor.id)))
        rows = [_initiative(rng, n, communes, rng.choice(actor_ids)) for n in range(initiatives)]
        connection.execute(insert(Initiative), rows)
        connection.execute(insert(InitiativeActor), [
            {"initiative_id": r["id"], "actor_id": r["actor_id"]} for r in rows])
    print(f"stored in {time.perf_counter() - began:.0f} s", flush=True)
    analyze(rt.engine)
    analyze_directory(rt.engine)
    if rt.engine.dialect.name == "postgresql":
        began = time.perf_counter()
        filled = fill_all_missing(rt.factory, cached_region(rt.settings.region_file))
        print(f"{filled:,} text vectors written in {time.perf_counter() - began:.0f} s",
              flush=True)
        analyze_directory(rt.engine)
    with transaction(rt.factory) as session:  # (a writing session fills missing vectors)
        bump_data_version(session)
    if events and rt.engine.dialect.name != "postgresql":
        with transaction(rt.factory) as session:
            open_search(rt.settings).rebuild(session)
    (instance / READY).write_text(str(source_id))
    print(f"prepared {events:,} events, {actors:,} actors, {initiatives:,} initiatives in "
          f"{time.perf_counter() - began:.0f} s")
    return rt


def analyze_directory(engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE actors, initiatives, initiative_actors"))


def pg_database(url: str | None) -> str:
    """The benchmark's own PostgreSQL database (created when missing)."""
    if url:
        return url
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": PG_DATABASE}):
            connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE


def drop_pg_database(rt) -> None:
    rt.engine.dispose()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    admin.dispose()
    print(f"database {PG_DATABASE} dropped")


def _actor(rng: random.Random, n: int, communes: dict) -> dict:
    department = rng.choice(DEPARTMENTS)
    commune = rng.choice(communes[department])
    return {"name": f"{rng.choice(NAMES)} {rng.choice(QUALIFIERS)} {n}",
            "structure": rng.choice(STRUCTURES), "themes": rng.sample(THEMES, rng.randint(1, 3)),
            "description_text": text_of(rng, 40), "department": department,
            "commune_code": commune, "commune_name": geography.commune(commune).name,
            "status": rng.choice(STATUSES_A), "approvals": [], "flags": []}


def _initiative(rng: random.Random, n: int, communes: dict, actor_id: int) -> dict:
    department = rng.choice(DEPARTMENTS + [None])
    commune = rng.choice(communes[department]) if department and rng.random() < .6 else None
    return {"id": secrets.token_hex(10), "title": f"{rng.choice(NAMES)} {rng.choice(QUALIFIERS)} "
            f"{n}", "description_text": text_of(rng, 60), "description_html": "",
            "themes": rng.sample(THEMES, rng.randint(1, 2)), "department": department,
            "commune_code": commune,
            "commune_name": geography.commune(commune).name if commune else None,
            "status": rng.choice(STATUSES_I), "actor_id": actor_id,
            "starts_on": date(2026, 1, 1) + timedelta(days=rng.randint(0, 600))}


def queries(rng: random.Random, count: int, directory_only: bool = False
            ) -> list[tuple[str, dict]]:
    kinds = ["one word", "two words", "filters", "no words"]
    found = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        if kind == "one word":
            args = {"q": rng.choice(WORDS).split()[0]}
        elif kind == "two words":
            args = {"q": " ".join(rng.sample([w for w in WORDS if " " not in w], 2))}
        elif kind == "filters":
            args = {"theme": rng.choice(THEMES), "dept": rng.choice(DEPARTMENTS)}
        else:
            args = {}
        if directory_only:
            args["kind"] = ["initiative", "actor"]
        found.append((kind, args))
    return found


def run(rt, finder, search, region, args: dict) -> float:
    query = parse_query(args, region=region)
    tz = rt.settings.tz
    window = event_window(date.today(), tz, query.when)
    began = time.perf_counter()
    with transaction(rt.factory) as session:
        found = finder.find(session, query, window=window, search=search, limit=20)
        load_hits(session, found.hits, window=window)
    return (time.perf_counter() - began) * 1000


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--initiatives", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--backend", choices=("whoosh", "postgresql"), default="whoosh")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database after")
    parser.add_argument("--directory-only", action="store_true")
    args = parser.parse_args()
    instance = args.instance or Path(tempfile.mkdtemp(prefix="agenda-finder-"))
    print(f"instance: {instance}; load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores")
    url = pg_database(args.database_url) if args.backend == "postgresql" else ""
    rt = prepare(instance.resolve(), events=args.events, actors=args.actors,
                 initiatives=args.initiatives, seed=args.seed, database_url=url)
    try:
        if not args.prepare_only:
            measure(rt, args)
    finally:
        if args.drop and args.backend == "postgresql" and not args.database_url:
            drop_pg_database(rt)


def measure(rt, args) -> None:
    region = cached_region(rt.settings.region_file)
    search = (open_search(rt.settings) if args.events and rt.engine.dialect.name != "postgresql"
              else None)
    backends = ["whoosh", "postgresql"] if args.backend == "postgresql" else ["whoosh"]
    for backend in backends:
        finder = Finder(region, backend=backend)
        print(f"-- actors and initiatives: {DESCRIBED[backend]}")
        if backend == "whoosh":
            began = time.perf_counter()
            with transaction(rt.factory) as session:
                directory = finder.directory(session)
            print(f"directory index built in {time.perf_counter() - began:.2f} s "
                  f"({directory.size:,} actors and initiatives), in every process")
        else:
            print("nothing to build: no per-process index")
        run(rt, finder, search, region, {})  # the events' index opened once
        rng = random.Random(args.seed)
        mix = queries(rng, args.queries, args.directory_only)
        for label, order in (("first", mix), ("again", rng.sample(mix, len(mix)))):
            timed = [(kind, run(rt, finder, search, region, query)) for kind, query in order]
            print(f"{label}: all {percentiles([t for _, t in timed])}  "
                  f"(load average {os.getloadavg()[0]:.2f})")
            for kind in ("one word", "two words", "filters", "no words"):
                print(f"  {kind:10} {percentiles([t for k, t in timed if k == kind])}")


DESCRIBED = {"whoosh": "the directory index in memory (Whoosh set-up)",
             "postgresql": "SQL on the text vectors (PostgreSQL set-up)"}


if __name__ == "__main__":
    main()
