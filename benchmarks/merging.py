"""Merging benchmark: 100,000 stored events from two sources, a fifth of them announced by both.

Reports the time of ``match_events`` over all of them (a fresh collection: every event new),
from the database to the merged rows (aim <= 10 s on a 2-core machine), then the time of an
incremental collection that changed 1 % of the events (it only looks at those), and how many
pairs were merged and queued (the duplicates are known: the report says how many were found).

    python benchmarks/merging.py [--events N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import func, select  # noqa: E402

from agenda.cli.sample_events import sample_records  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import Event  # noqa: E402
from agenda.services.merging import match_events  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.events import upsert_events  # noqa: E402
from agenda.store.sources import add_source  # noqa: E402

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def announced_again(record, rng: random.Random):
    """The same event as another source writes it: another UID, a reworded title, sometimes
    no end or the organiser missing."""
    words = ["", " (Tours)", " – entrée libre", " 2026", ""]
    title = record.title.replace("Atelier", "Atelier :").rstrip() + rng.choice(words)
    changes = {"source_uid": f"copy-{record.source_uid}", "title": title}
    if rng.random() < 0.3:
        changes["organizer"] = None
    return replace(record, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(7)
    originals = int(args.events / 1.2)
    copies = args.events - originals
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        settings = load_settings(env={}, instance_path=Path(folder), database_url=url)
        engine = make_engine(settings)
        upgrade_database(engine)
        factory = make_session_factory(engine)
        tz = settings.tz
        records = sample_records(originals, seed=1, today=date(2026, 12, 7), tz=tz)
        again = [announced_again(r, rng) for r in rng.sample(records, copies)]
        with transaction(factory) as session:
            first = add_source(session, name="CRESS", url="https://a.example/a.ics", now=NOW).id
            second = add_source(session, name="Réseau", url="https://b.example/b.ics",
                                now=NOW).id
        began = time.perf_counter()
        with transaction(factory) as session:
            ids = upsert_events(session, first, records, now=NOW, tz=tz).new_ids
            ids += upsert_events(session, second, list(again), now=NOW + timedelta(minutes=1),
                                 tz=tz).new_ids
        print(f"stored {len(ids)} events ({copies} announced twice) in "
              f"{time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        with transaction(factory) as session:
            report = match_events(session, ids, new_ids=ids, now=NOW, tz=tz)
        fresh = time.perf_counter() - began
        print(f"fresh collection: matched {len(ids)} events in {fresh:.2f} s (aim <= 10 s): "
              f"{report.merged} merged, {report.queued} queued for review, "
              f"{copies} duplicates known")
        with transaction(factory) as session:
            hidden = session.scalar(select(func.count()).where(Event.duplicate_of.is_not(None)))
        print(f"copies hidden behind a listed event: {hidden}")
        changed = rng.sample(ids, len(ids) // 100)
        began = time.perf_counter()
        with transaction(factory) as session:
            report = match_events(session, changed, now=NOW + timedelta(hours=1), tz=tz)
        print(f"incremental, 1 % of all events changed across every day: {len(changed)} "
              f"events matched in {time.perf_counter() - began:.2f} s")
        one_source = rng.sample(ids[:originals], 50)  # listed events, matched again
        began = time.perf_counter()
        with transaction(factory) as session:
            match_events(session, one_source, now=NOW + timedelta(hours=2), tz=tz)
        print(f"incremental, one source's collection of 50 changed events: matched in "
              f"{time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
