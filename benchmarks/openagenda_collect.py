"""OpenAgenda collection benchmark: an agenda of N events read through an OpenAgenda-shaped API
on loopback, 300 events a page with cursors, collected end to end.

The server answers ``/v2/agendas/<uid>/events?size=300&after[]=<n>`` as the API v2 does
(multilingual title and descriptions, keywords, image, timings, a location with postal code,
INSEE code and coordinates, status, attendance mode, updatedAt; ``after`` the cursor of the
next page, null on the last).  ``refresh_source`` collects it into a fresh SQLite database (or
``--database-url``) in a throw-away instance: every page fetched and read, themes, store, run
record and search index.  The second collection is the incremental one (events updated since
the first: none).  Reports events/s and the ratio to the bare JSON parse of the same bytes
(``json.loads`` of every page), on the wall clock and in processor time.

    python benchmarks/openagenda_collect.py [--events N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate_ics import CITIES, KINDS, THEMES  # noqa: E402
from loopback import collect_times, report, serve, timed  # noqa: E402

PAGE_SIZE = 300
AGENDA_UID = "52149847"


def agenda_pages(count: int, seed: int = 42) -> list[bytes]:
    """The API's answers, page after page, for an agenda of ``count`` events."""
    rng = random.Random(seed)
    start = datetime.now(timezone.utc).replace(hour=8, minute=0, second=0, microsecond=0)
    events = [_event(index, rng, start) for index in range(count)]
    pages = []
    for first in range(0, count, PAGE_SIZE):
        last = first + PAGE_SIZE
        after = [last, events[last - 1]["uid"]] if last < count else None
        pages.append(json.dumps({"total": count, "events": events[first:last], "after": after},
                                ensure_ascii=False).encode())
    return pages


def _event(index: int, rng: random.Random, start: datetime) -> dict:
    city, postcode = rng.choice(CITIES)
    begins = start + timedelta(days=rng.randrange(300), hours=rng.randrange(10))
    timings = [{"begin": (begins + timedelta(weeks=week)).isoformat(),
                "end": (begins + timedelta(weeks=week, hours=2)).isoformat()}
               for week in range(rng.choice((1, 1, 1, 2, 4)))]
    kind, theme = rng.choice(KINDS), rng.choice(THEMES)
    return {
        "uid": 40_000_000 + index, "slug": f"evenement-{index}",
        "title": {"fr": f"{kind} n°{index} à {city}", "en": f"{kind} #{index} in {city}"},
        "description": {"fr": f"{theme} : venez nombreux.", "en": "Everyone welcome."},
        "longDescription": {"fr": f"<p><strong>{theme}</strong>, entrée libre.</p>"},
        "keywords": {"fr": [theme, kind.lower()], "en": ["community"]},
        "image": {"filename": f"{index:032x}.base.image.jpg",
                  "base": "https://cdn.openagenda.com/main/"},
        "timings": timings,
        "location": {"uid": index % 800, "name": f"Tiers-lieu de {city}",
                     "address": f"{index % 90 + 1} rue de la République", "postalCode": postcode,
                     "city": city, "insee": f"{postcode[:2]}{index % 300:03d}",
                     "latitude": 47.0 + rng.random(), "longitude": 1.0 + rng.random(),
                     "timezone": "Europe/Paris"},
        "status": 1, "attendanceMode": 1, "state": 2, "timezone": "Europe/Paris",
        "updatedAt": "2026-11-02T09:12:44.000Z",
        "canonicalUrl": f"https://openagenda.com/fr/ess-centre/events/evenement-{index}",
    }


def answer(pages: list[bytes], updated_since_empty: bytes):
    def respond(path: str) -> tuple[int, str, bytes]:
        query = parse_qs(urlsplit(path).query)
        if "updatedAt[gte]" in query:  # the incremental read: nothing changed since
            return 200, "application/json", updated_since_empty
        after = query.get("after[]")
        page = int(after[0]) // PAGE_SIZE if after else 0
        return 200, "application/json", pages[page]
    return respond


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args()
    pages = agenda_pages(args.events)
    bare = timed(lambda: [json.loads(page) for page in pages], repeat=5)
    size = sum(map(len, pages))
    print(f"agenda: {args.events} events in {len(pages)} pages of {PAGE_SIZE}, "
          f"{size / 1e6:.1f} MB of JSON")
    print(f"bare JSON parse (json.loads of every page, median of 5): wall "
          f"{bare[0] * 1000:.0f} ms, CPU {bare[1] * 1000:.0f} ms")
    empty = json.dumps({"total": 0, "events": [], "after": None}).encode()
    server, base = serve(answer(pages, empty))
    try:
        with tempfile.TemporaryDirectory() as instance:
            runs = collect_times(f"{base}/v2/agendas/{AGENDA_UID}/events", args.database_url,
                                 instance)
    finally:
        server.shutdown()
    report(runs, args.events, bare, second_reads=False,
           second="second collection (incremental: the events updated since, none)")


if __name__ == "__main__":
    main()
