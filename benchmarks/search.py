"""Search benchmark: listings with words, filters, a date window and facets, on generated data.

Run ``benchmarks/generate.py`` first (same ``--instance`` and ``--database-url``).  Times
``find_occurrences(..., limit=20, with_facets=True, search=index)``, what the home page and the
search page ask (index + the SQL that loads the page), per kind of query:

    home        no words, the next 60 days
    words       1-3 words (from a list, or from a title, maybe with a city), the next 60 days, half
                of them with a department, theme or mode filter
    words+dates 1-3 words, a window of 7-120 days within the year, sometimes a filter
    filters     no words, a department, theme or mode, the next 60 days
    relevance   1-3 words sorted by relevance, the next 60 days

Each distinct query runs once in this fresh process ("first": its words may still have to be
read from disk), then the whole set again in another order ("again": an unchanged index).
Also: opening the index in a new process, the first query after a collection changed the
index (a new small segment), and SQL alone (no index) for comparison.

    python benchmarks/search.py --instance DIR [--database-url URL] [--queries 400]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, update  # noqa: E402

from agenda.cli.sample_events import CITIES as CITIES_BY_DEPARTMENT  # noqa: E402
from agenda.cli.sample_events import KINDS as SAMPLE_KINDS  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.listing.filters import Filters  # noqa: E402
from agenda.listing.query import find_occurrences  # noqa: E402
from agenda.models import Event  # noqa: E402
from agenda.region import cached_region  # noqa: E402
from agenda.search import SearchIndex  # noqa: E402
from agenda.settings import load_settings  # noqa: E402

WORDS = ["repair café", "atelier", "compostage", "coopératives", "solidaire", "vélos", "forum",
         "ess", "bénévoles", "marché producteurs", "zéro déchet", "climat", "tiers-lieu",
         "épicerie solidaire", "finance solidaire", "habitat participatif", "jardin partagé",
         "orléans", "tours", "bourges", "chartres", "blois", "chateauroux", "monnaie locale",
         "emploi insertion", "concert", "ciné-débat", "ressourcerie", "fresque du climat",
         "économie sociale et solidaire", "café associatif", "covoiturage", "aidants",
         "énergie citoyenne", "gaspillage alimentaire", "soupe", "vetements", "plantes", "scic",
         "scop", "université populaire", "portes ouvertes", "réemploi", "gratuit", "enfants",
         "en ligne", "webinaire", "insertion", "loches", "vendôme", "gien", "formation",
         "réparation", "mobilité", "débat", "jeux", "rencontre", "goûter", "table ronde"]
DEPARTMENTS = ["18", "28", "36", "37", "41", "45"]
THEMES = ["reemploi", "alimentation", "emploi-insertion", "finance-solidaire", "mobilite",
          "habitat", "culture", "education-populaire", "tiers-lieux", "transition-ecologique",
          "sante-solidarites", "entrepreneuriat-social", "vie-associative", "mois-ess"]
KINDS = ["home", "words", "words+dates", "filters", "relevance"]
KIND_TITLES = [title for title, _ in SAMPLE_KINDS]
CITIES = [city for cities in CITIES_BY_DEPARTMENT.values() for city, _ in cities]


def today_utc() -> datetime:
    return datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def words(rng: random.Random) -> str:
    """Half the time 1-3 words of a title (maybe with a city), else 1-2 words from a list."""
    if rng.random() < 0.5:
        return " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))
    title = [w for w in rng.choice(KIND_TITLES).replace("'", " ").split() if len(w) > 3]
    chosen = rng.sample(title, min(len(title), rng.choice((1, 2, 3))))
    if rng.random() < 0.3:
        chosen.append(rng.choice(CITIES))
    return " ".join(chosen)


def a_filter(rng: random.Random) -> dict:
    return rng.choice([{"departments": (rng.choice(DEPARTMENTS),)},
                       {"themes": (rng.choice(THEMES),)}, {"mode": "online"},
                       {"departments": (rng.choice(DEPARTMENTS),), "themes": (rng.choice(THEMES),)}])


def make_query(kind: str, rng: random.Random) -> tuple[str, Filters, tuple]:
    home = (today_utc(), today_utc() + timedelta(days=60))
    if kind == "home":
        return kind, Filters(), home
    if kind == "filters":
        return kind, Filters(**a_filter(rng)), home
    extra = a_filter(rng) if rng.random() < 0.5 else {}
    if kind == "words":
        return kind, Filters(q=words(rng), **extra), home
    if kind == "relevance":
        return kind, Filters(q=words(rng), sort="relevance", **extra), home
    start = today_utc() + timedelta(days=rng.randrange(0, 300))
    return kind, Filters(q=words(rng), **extra), (start, start + timedelta(days=rng.randrange(7, 121)))


def run(factory, search, query, offset: int = 0) -> float:
    _, filters, window = query
    began = time.perf_counter()
    with transaction(factory) as session:
        listing = find_occurrences(session, filters, window=window, offset=offset, limit=20,
                                   with_facets=True, search=search)
        assert len(listing.occurrences) <= 20
    return (time.perf_counter() - began) * 1000


def percentiles(times: list[float]) -> str:
    if len(times) < 2:
        return f"{times[0]:6.1f} ms" if times else "-"
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  max {max(times):6.1f} ms  (n={len(times)})"


def report(title: str, timed: list[tuple[str, float]]) -> None:
    print(title)
    for kind in KINDS:
        print(f"  {kind:12} {percentiles([t for k, t in timed if k == kind])}")
    print(f"  {'all':12} {percentiles([t for _, t in timed])}")


def touch_some_events(factory, search, rng: random.Random) -> None:
    """What a collection does to the index: a few events changed, a new small segment."""
    with transaction(factory) as session:
        ids = list(session.scalars(select(Event.id).where(Event.removed_at.is_(None)).limit(2000)))
        chosen = rng.sample(ids, 5)
        session.execute(update(Event).where(Event.id.in_(chosen))
                        .values(sequence=Event.sequence + 1, title=Event.title + " (modifié)"))
    with transaction(factory) as session:
        search.index(session, chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings(env={}, instance_path=args.instance.resolve(),
                             database_url=args.database_url)
    factory = make_session_factory(make_engine(settings))
    search = SearchIndex(settings.instance_path / "search",
                         region=cached_region(settings.region_file))
    rng = random.Random(args.seed)
    queries = [make_query(KINDS[i % len(KINDS)], rng) for i in range(args.queries)]

    opened = run(factory, search, make_query("home", rng))
    print(f"first query of a new process (opens the index, reads its segments): {opened:.0f} ms; "
          f"{search.status()['documents']} documents, {search.status()['segments']} segments")
    first = [(q[0], run(factory, search, q)) for q in queries]
    report("first time each query is asked:", first)
    shuffled = rng.sample(queries, len(queries))
    report("asked again (unchanged index):", [(q[0], run(factory, search, q)) for q in shuffled])
    report("page 3 of the same listings:", [(q[0], run(factory, search, q, offset=40))
                                             for q in shuffled[:100]])

    after = []
    for _ in range(10):
        touch_some_events(factory, search, rng)
        query = rng.choice(queries)
        after.append((query[0], run(factory, search, query)))
    print(f"first query after a collection changed the index: "
          f"{percentiles([t for _, t in after])}")
    sql = [(q[0], run(factory, None, q)) for q in queries[:40]]
    report("SQL alone, no index (40 queries):", sql)


if __name__ == "__main__":
    main()
