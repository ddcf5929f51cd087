"""Linking benchmark: events of one owned source, their organisers among a directory of actors.

Stores ``--events`` events (the sample generator's organisers, a few dozen names) beside
``--actors`` actors, then times ``link_event_actors`` over all of them (a fresh collection or
``agenda links``), then again with nothing changed, then over 1 % of them (an incremental
collection), and prints how many links and actors to check were made; then the time of the
first page of a listing filtered by an actor (answered from SQL).

    python benchmarks/links.py [--events N] [--actors N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import insert, select  # noqa: E402

from agenda.cli.sample_events import sample_records  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.listing.filters import Filters  # noqa: E402
from agenda.listing.query import find_occurrences  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import Actor, Source  # noqa: E402
from agenda.services.event_actors import link_event_actors  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.events import upsert_events  # noqa: E402
from agenda.store.sources import add_source  # noqa: E402

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def timed(factory, ids: list[str], label: str) -> None:
    began = time.perf_counter()
    with transaction(factory) as session:
        counts = link_event_actors(session, ids, max_new=100)
    print(f"{label}: {time.perf_counter() - began:.2f} s ({counts})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        settings = load_settings(env={}, instance_path=Path(folder), database_url=url)
        engine = make_engine(settings)
        upgrade_database(engine)
        factory = make_session_factory(engine)
        records = sample_records(args.events, seed=1, today=date(2026, 12, 7), tz=settings.tz)
        with transaction(factory) as session:
            session.execute(insert(Actor), [{"name": f"Association témoin n° {n}"}
                                            for n in range(args.actors)])
            source = add_source(session, name="CRESS", url="https://a.example/a.ics",
                                actor_name="CRESS Centre-Val de Loire", now=NOW).id
            ids = upsert_events(session, source, records, now=NOW, tz=settings.tz).new_ids
            owner = session.get(Source, source).actor_id
        print(f"stored {len(ids)} events beside {args.actors} actors")
        timed(factory, ids, f"every event linked ({len(ids)})")
        timed(factory, ids, "again, nothing changed")
        with transaction(factory) as session:
            organiser = session.scalar(select(Actor.id).where(Actor.origin == "organizer"))
        timed(factory, ids[::100], f"incremental, 1 % ({len(ids[::100])})")
        window = (datetime(2026, 1, 1, tzinfo=timezone.utc),
                  datetime(2028, 1, 1, tzinfo=timezone.utc))
        for label, filters in (("the owner (every event)", Filters(actors=(owner,))),
                               ("an organiser", Filters(actors=(organiser,)))):
            began = time.perf_counter()
            with transaction(factory) as session:
                listing = find_occurrences(session, filters, window=window, limit=50)
            print(f"listing of {label}, first page of {listing.total} dates: "
                  f"{(time.perf_counter() - began) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
