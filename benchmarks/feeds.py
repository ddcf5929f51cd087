"""Export benchmark: /calendar.ics through the Flask app, bounded by its window and cap.

Generates its own source of N occurrences (mostly single events, one record in 50 a weekly
series of 10, spread over the next 300 days) with ``upsert_events`` and builds the search
index (as collections keep it; a missing index would be rebuilt in a background thread during
the timings), or uses the events and index ``benchmarks/generate.py`` left in ``--instance``
(same ``--database-url``).  It opens the index first (a new process's first search: timed
apart), then reports the time of the whole calendar: cold (no VEVENT text cached, built and
stored in the shared cache), warm (VEVENT texts cached, response rebuilt), from the database's
shared cache (another worker's build), a second app instance's first request (another
gunicorn worker), from the response cache, and as a 304, each as the median and range of its
repeats; the body's size, its VEVENTs (at most ``--max-events``) and what the shared cache
holds.  Aims: cold and warm <= 1 s, cached and 304 <= 10 ms.  ``--no-search`` answers from
SQL alone.

    python benchmarks/feeds.py [--occurrences N | --instance DIR] [--max-events M]
                               [--database-url URL] [--repeat R] [--no-search]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate_ics import CITIES, KINDS, THEMES  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import FeedCacheEntry  # noqa: E402
from agenda.records import EventRecord, Location, Occurrence  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.events import upsert_events  # noqa: E402
from agenda.store.feed_cache import cached_bytes  # noqa: E402
from agenda.store.sources import add_source  # noqa: E402
from agenda.web import create_app  # noqa: E402
from agenda.web.feeds.views import export_state  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
SERIES_EVERY, SERIES_LENGTH = 50, 10


def generate_records(occurrences: int, *, start: datetime, seed: int = 7) -> list[EventRecord]:
    """Records whose occurrences add up to ``occurrences``, spread over the next year."""
    rng, records, total, i = random.Random(seed), [], 0, 0
    while total < occurrences:
        weekly = i % SERIES_EVERY == 0 and occurrences - total >= SERIES_LENGTH
        records.append(_record(rng, i, start, SERIES_LENGTH if weekly else 1))
        total += len(records[-1].occurrences)
        i += 1
    return records


def _record(rng: random.Random, i: int, start: datetime, count: int) -> EventRecord:
    city, postcode = rng.choice(CITIES)
    kind = rng.choice(KINDS)
    begin = start + timedelta(days=rng.randrange(1, 300), hours=rng.randrange(8, 20))
    dates = [begin + timedelta(weeks=w) for w in range(count)]
    return EventRecord(
        source_uid=f"bench-{i}", title=f"{kind} à {city} n°{i}", start=begin,
        end=begin + timedelta(hours=2), timezone="Europe/Paris",
        rrule=f"FREQ=WEEKLY;COUNT={count}" if count > 1 else None,
        description_html=f"<p>{kind} organisé par une association du réseau, ouvert à toutes "
                         "et à tous. <strong>Entrée libre</strong>.</p>",
        description_text=f"{kind} organisé par une association du réseau, ouvert à toutes et "
                         "à tous. Entrée libre.",
        location=Location(name="Salle des associations", city=city, postcode=postcode,
                          address=f"{rng.randrange(1, 90)} rue de la République",
                          department=postcode[:2], lat=47.0 + rng.random(), lon=1.0 + rng.random()),
        organizer="Réseau ESS", url=f"https://exemple.org/evenements/{i}",
        categories=(rng.choice(THEMES), rng.choice(THEMES)), themes=("reemploi",),
        occurrences=[Occurrence(d, d + timedelta(hours=2)) for d in dates])


def build_search_index(app) -> None:
    agenda = app.extensions["agenda"]
    began = time.perf_counter()
    with transaction(agenda.session_factory) as session:
        agenda.search.rebuild(session)
    print(f"search index built in {time.perf_counter() - began:.1f} s")


def timed(call, repeat: int = 1) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        durations.append(time.perf_counter() - began)
    timed.spread = f"{min(durations) * 1000:.0f}-{max(durations) * 1000:.0f} ms"
    return statistics.median(durations), result


def store_generated(engine, occurrences: int) -> None:
    now = datetime.now(timezone.utc)
    print(f"generating {occurrences} occurrences...", flush=True)
    records = generate_records(occurrences, start=now.astimezone(PARIS))
    with transaction(make_session_factory(engine)) as session:
        source_id = add_source(session, name="bench", url="https://exemple.org/a.ics",
                               now=now).id
        upsert_events(session, source_id, records, now=now, tz=PARIS)
    print(f"{len(records)} events, {occurrences} occurrences in the next year")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--occurrences", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument("--instance", type=Path,
                        help="the events and index of benchmarks/generate.py (nothing generated)")
    parser.add_argument("--repeat", type=int, default=50, help="requests timed for the medians")
    parser.add_argument("--no-search", action="store_true", help="no search index: SQL alone")
    parser.add_argument("--max-events", type=int, default=0,
                        help="the cap of a calendar (default: the setting feed_max_events)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        instance = str(args.instance.resolve()) if args.instance else temporary
        caps = {"feed_max_events": args.max_events} if args.max_events else {}
        settings = load_settings(env={}, instance_path=instance, database_url=args.database_url,
                                 feed_miss_rate_limit="100000 per minute", **caps)
        engine = make_engine(settings)
        upgrade_database(engine)
        if not args.instance:
            store_generated(engine, args.occurrences)
        with transaction(make_session_factory(engine)) as session:
            session.execute(delete(FeedCacheEntry))  # left by an earlier run on --instance
        print(f"{engine.dialect.name}; window {settings.feed_past_days} days back, "
              f"{settings.feed_future_days} ahead, at most {settings.feed_max_events} events")
        app = create_app(settings)
        if args.no_search:
            app.extensions["agenda"].search = None
        else:
            if not args.instance:
                build_search_index(app)
            opened, _ = timed(app.extensions["agenda"].search.status)
            print(f"search index opened in {opened:.2f} s (a new process's first search)")
        run(app, args.repeat)
        other = create_app(settings.with_overrides(instance_path=Path(instance) / "other",
                                                   database_url=settings.sqlalchemy_url))
        if args.no_search:
            other.extensions["agenda"].search = None
        first, response = timed(lambda: other.test_client().get("/calendar.ics"))
        assert response.status_code == 200 and other.extensions["agenda_exports"].shared.builds == 0
        print(f"another app instance's first request (no build): {first * 1000:.0f} ms")
        engine.dispose()


def run(app, repeat: int) -> None:
    client = app.test_client()
    url = "/calendar.ics"
    print("timing /calendar.ics...", flush=True)
    factory = app.extensions["agenda"].session_factory
    with app.app_context():
        responses, vevents = export_state().responses, export_state().exporter.vevents

    def rebuilt(*, cold: bool = False):
        responses.clear()
        if cold:
            vevents.clear()
        with transaction(factory) as session:
            session.execute(delete(FeedCacheEntry))
        return client.get(url)

    cold, response = timed(lambda: rebuilt(cold=True), repeat=3)
    body, etag = response.data, response.headers["ETag"]
    print(f"cold (no VEVENT text cached): {cold * 1000:.0f} ms ({timed.spread}) for "
          f"{len(body) / 1e6:.1f} MB, {body.count(b'BEGIN:VEVENT')} VEVENTs (aim <= 1000 ms)")
    with factory() as session:
        rows, stored = cached_bytes(session)
    print(f"shared cache: {rows} row(s), {stored / 1e6:.2f} MB compressed")
    warm, again = timed(rebuilt, repeat=5)
    assert again.data == body, "a rebuilt calendar must be byte for byte the same"
    print(f"warm (VEVENT texts cached, calendar rebuilt): {warm * 1000:.0f} ms ({timed.spread}) "
          f"(aim <= 1000 ms)")

    def from_database():
        responses.clear()
        return client.get(url)

    shared, again = timed(from_database, repeat=5)
    assert again.data == body
    print(f"from the shared cache (built by another worker): {shared * 1000:.0f} ms "
          f"({timed.spread})")
    cached, _ = timed(lambda: client.get(url), repeat=repeat)
    print(f"from the response cache: {cached * 1000:.1f} ms (aim <= 10 ms)")
    not_modified, response = timed(lambda: client.get(url, headers={"If-None-Match": etag}),
                                   repeat=repeat)
    assert response.status_code == 304
    print(f"304 Not Modified: {not_modified * 1000:.1f} ms (aim <= 10 ms)")
    print(f"summary: cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms, cached "
          f"{cached * 1000:.1f} ms, 304 {not_modified * 1000:.1f} ms")


if __name__ == "__main__":
    main()
