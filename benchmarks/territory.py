"""Territory page benchmark: ``/admin/territory`` through the Flask test client, signed in, on
100,000 events, 20,000 actors and 20,000 initiatives, on SQLite and on PostgreSQL.

Generates the events as ``agenda generate`` does (half of them moved a year back, so that the
last 12 months hold some), the actors (80 % confirmed, 15 % to check, 5 % proposed; a third of
them linked to events, a few owning a source), the initiatives and two editions of a campaign
into a temporary SQLite database and a throw-away PostgreSQL database
(``agenda_bench_territory_<pid>``, dropped at the end), ANALYZEs them, then times the page with
and without filters (counted afresh, and with the numbers kept for the data version), and each
query of the page alone.  Prints the machine's load beside.

    python benchmarks/territory.py [--events 100000] [--actors 20000] [--initiatives 20000]
                                   [--repeat 10] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from agenda.cli.generate import generate_records, store_generated  # noqa: E402
from agenda.db import transaction  # noqa: E402
from agenda.models import Actor, Event, EventActor, Initiative, Source  # noqa: E402
from agenda.region import cached_region  # noqa: E402
from agenda.services.accounts import create_user  # noqa: E402
from agenda.store.campaigns import create_campaign  # noqa: E402
from agenda.web import create_app  # noqa: E402
from benchmarks.generate import analyze, pg_admin, pg_url, runtime  # noqa: E402

EMAIL, PASSWORD = "territoire@bench.example", "un mot de passe assez long"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUERIES = {"default": "", "theme": "&theme=reemploi", "dept": "&dept=37",
           "theme+dept": "&theme=alimentation&dept=45", "year": "&year=2026"}


def shifted(record, days: int):
    """The record moved ``days`` earlier (its dates and every occurrence)."""
    back = timedelta(days=days)
    return replace(record, start=record.start - back, end=record.end - back,
                   occurrences=[replace(o, start=o.start - back, end=o.end - back)
                                for o in record.occurrences])


def fill(rt, args) -> None:
    rng = random.Random(3)
    began = time.perf_counter()
    records = generate_records(rt, args.events, 1)
    records = [shifted(r, 365) if i % 2 else r for i, r in enumerate(records)]
    source_id, _ = store_generated(rt, records)
    print(f"  {args.events:,} events stored in {time.perf_counter() - began:.0f} s")
    region = cached_region(rt.settings.region_file)
    themes, departments = [t.slug for t in region.themes], [d.code for d in region.departments]
    now = rt.now()
    with transaction(rt.factory) as session:
        session.execute(insert(Actor), [
            {"name": f"Acteur {n}", "department": rng.choice(departments),
             "themes": rng.sample(themes, rng.randint(0, 3)), "created_at": now,
             "status": rng.choices(("confirmed", "to_check", "proposed"), (80, 15, 5))[0]}
            for n in range(args.actors)])
        actor_ids = list(session.scalars(select(Actor.id)))
        event_ids = list(session.scalars(select(Event.id)))
        linked = rng.sample(actor_ids, len(actor_ids) // 3)
        session.execute(insert(EventActor), [
            {"event_id": e, "actor_id": rng.choice(linked), "how": "organizer", "created_at": now}
            for e in rng.sample(event_ids, len(event_ids) // 2)])
        session.get(Source, source_id).actor_id = actor_ids[0]
        session.execute(insert(Initiative), [
            {"id": f"bench{n:06d}", "title": f"Initiative {n}", "description_html": "",
             "description_text": "", "themes": rng.sample(themes, rng.randint(0, 3)),
             "department": rng.choice([*departments, None]), "status": "active",
             "created_at": now, "updated_at": now,
             "removed_at": now if rng.random() < 0.05 else None}
            for n in range(args.initiatives)])
        for year in (now.year - 1, now.year):
            create_campaign(session, slug=f"mois-ess-{year}", name=f"Mois de l'ESS {year}",
                            starts_on=date(year, 11, 1), ends_on=date(year, 11, 30), now=now,
                            rule_themes=["reemploi", "alimentation"])
        create_user(session, email=EMAIL, password=PASSWORD, role="staff", now=now)
    analyze(rt.engine)
    if rt.engine.dialect.name == "postgresql":  # analyze() covers events, occurrences, sources
        with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            from sqlalchemy import text

            connection.execute(text("VACUUM ANALYZE actors, initiatives, event_actors, "
                                    "campaigns, submissions, match_pairs"))
    print(f"  filled in {time.perf_counter() - began:.0f} s")


def signed_in_client(app):
    client = app.test_client()
    token = TOKEN.search(client.get("/admin/login").get_data(as_text=True)).group(1)
    answer = client.post("/admin/login", data={"csrf_token": token, "email": EMAIL,
                                               "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    return client


def timed_get(client, url: str) -> float:
    began = time.perf_counter()
    answer = client.get(url)
    elapsed = (time.perf_counter() - began) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"{url}: HTTP {answer.status_code}")
    return elapsed


def cold_get(app, client, url: str) -> float:
    memo = app.extensions.get("territory_memo")
    if memo is not None:
        memo.clear()
    return timed_get(client, url)


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"p50 {statistics.median(times):6.0f}  p95 {p95:6.0f}  max {max(times):6.0f} ms "
            f"(n={len(times)})")


def time_queries(app, rt) -> None:
    """Each query of the page alone, to see where the time goes."""
    from agenda.store import territory as store
    from agenda.store.campaign_members import campaign_scope
    from agenda.territory.periods import default_period

    tz, region = rt.settings.tz, cached_region(rt.settings.region_file)
    slugs = tuple(t.slug for t in region.themes)
    now = rt.now()
    period = default_period(now.astimezone(tz).date())
    scope = store.Scope(None, None, *period.instants(tz))
    with transaction(rt.factory) as session:
        from agenda.models import Campaign

        campaign = session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())).first()
        steps = {
            "events by theme+dept": lambda: store.event_counts(session, scope, slugs),
            "actors by theme+dept": lambda: store.actor_counts(session, scope, slugs),
            "initiatives": lambda: store.initiative_counts(session, scope, slugs),
            "events by month": lambda: store.events_by_month(session, scope,
                                                             period.month_bounds(tz)),
            "silent actors": lambda: store.silent_actors(
                session, scope, since=now - timedelta(days=365), limit=100),
            "stale sources": lambda: store.stale_sources(session, before=now),
            "backlog": lambda: store.moderation_backlog(session),
            "campaign": lambda: store.campaign_counts(session, campaign_scope(campaign, tz),
                                                      slugs),
        }
        for name, step in steps.items():
            times = []
            for _ in range(3):
                began = time.perf_counter()
                step()
                times.append((time.perf_counter() - began) * 1000)
            print(f"    {name:22} {min(times):6.0f} ms (best of 3)")


def run(backend: str, args) -> None:
    name = f"agenda_bench_territory_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="territory-bench-") as folder:
        url = ""
        if backend == "postgresql":
            url = pg_url(name)
            pg_admin(f'CREATE DATABASE "{name}"')
        try:
            rt = runtime(Path(folder), url)
            print(f"{backend}: {rt.engine.url.render_as_string(hide_password=True)}")
            fill(rt, args)
            app = create_app(rt.settings)
            client = signed_in_client(app)
            print(f"  first request: {timed_get(client, '/admin/territory?lang=fr'):.0f} ms")
            print("  counted afresh (the kept numbers forgotten before each request):")
            for label, query in QUERIES.items():
                times = [cold_get(app, client, f"/admin/territory?lang=fr{query}")
                         for _ in range(args.repeat)]
                print(f"    {label:12} {percentiles(times)}")
            print("  the numbers kept (the same data version):")
            for label, query in QUERIES.items():
                timed_get(client, f"/admin/territory?lang=fr{query}")  # counted, then kept
                times = [timed_get(client, f"/admin/territory?lang=fr{query}")
                         for _ in range(args.repeat)]
                print(f"    {label:12} {percentiles(times)}")
            print("  the page's queries alone:")
            time_queries(app, rt)
            rt.engine.dispose()
        finally:
            if backend == "postgresql":
                pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                print(f"  dropped {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--initiatives", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    for backend in args.backends.split(","):
        run(backend, args)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
