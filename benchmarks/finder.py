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
from sqlalchemy import insert, select  # noqa: E402

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
from agenda.store.changes import bump_data_version  # noqa: E402

READY = "finder-ready"
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


def prepare(instance: Path, *, events: int, actors: int, initiatives: int, seed: int):
    """The database and the events' index in ``instance`` (made once: a marker file)."""
    rt = runtime(instance, "")
    if (instance / READY).exists():
        return rt
    began = time.perf_counter()
    source_id, _ = store_generated(rt, generate_records(rt, events, seed))
    rng = random.Random(seed)
    communes = {d: [c.code for c in geography.communes_in([d])][:80] for d in DEPARTMENTS}
    with transaction(rt.factory) as session:
        session.execute(insert(Actor), [_actor(rng, n, communes) for n in range(actors)])
        actor_ids = list(session.scalars(select(Actor.id)))
        rows = [_initiative(rng, n, communes, rng.choice(actor_ids)) for n in range(initiatives)]
        session.execute(insert(Initiative), rows)
        session.execute(insert(InitiativeActor), [
            {"initiative_id": r["id"], "actor_id": r["actor_id"]} for r in rows])
        bump_data_version(session)
    analyze(rt.engine)
    with transaction(rt.factory) as session:
        open_search(rt.settings).rebuild(session)
    (instance / READY).write_text(str(source_id))
    print(f"prepared {events:,} events, {actors:,} actors, {initiatives:,} initiatives in "
          f"{time.perf_counter() - began:.0f} s")
    return rt


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


def queries(rng: random.Random, count: int) -> list[tuple[str, dict]]:
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
    args = parser.parse_args()
    instance = args.instance or Path(tempfile.mkdtemp(prefix="agenda-finder-"))
    print(f"instance: {instance}; load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores")
    rt = prepare(instance.resolve(), events=args.events, actors=args.actors,
                 initiatives=args.initiatives, seed=args.seed)
    if args.prepare_only:
        return
    region = cached_region(rt.settings.region_file)
    search = open_search(rt.settings)
    finder = Finder(region)
    began = time.perf_counter()
    with transaction(rt.factory) as session:
        directory = finder.directory(session)
    print(f"directory index built in {time.perf_counter() - began:.2f} s "
          f"({directory.size:,} actors and initiatives)")
    run(rt, finder, search, region, {})  # the events' index opened once
    rng = random.Random(args.seed)
    mix = queries(rng, args.queries)
    for label, order in (("first", mix), ("again", rng.sample(mix, len(mix)))):
        timed = [(kind, run(rt, finder, search, region, query)) for kind, query in order]
        print(f"{label}: all {percentiles([t for _, t in timed])}  "
              f"(load average {os.getloadavg()[0]:.2f})")
        for kind in ("one word", "two words", "filters", "no words"):
            print(f"  {kind:10} {percentiles([t for k, t in timed if k == kind])}")


if __name__ == "__main__":
    main()
