"""JSON-LD collection benchmark: a listing page of N schema.org events, collected end to end.

The page of ``benchmarks/jsonld_parse.py`` (one script listing N Events, as The Events Calendar
writes its listings) is served on loopback; ``refresh_source`` collects it into a fresh SQLite
database (or ``--database-url``) in a throw-away instance: fetch, detection, JSON-LD reading,
themes, store, run record and search index.  Reports the first collection (all new) and a
second one of the same page (nothing changes; JSON-LD has no conditional GET, the page is read
again), as events/s and as a ratio to the bare JSON parse of the same bytes (``json.loads`` of
the script), on the wall clock and in processor time (the machine may be shared).

    python benchmarks/jsonld_collect.py [--events N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from jsonld_parse import listing_page  # noqa: E402
from loopback import collect_times, report, serve, timed  # noqa: E402

_SCRIPT = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args()
    page = listing_page(args.events)
    script = _SCRIPT.search(page).group(1)
    bare = timed(lambda: json.loads(script), repeat=5)
    print(f"page: {len(page) / 1e6:.1f} MB, {args.events} events in one JSON-LD script")
    print(f"bare JSON parse (json.loads of the script, median of 5): wall {bare[0] * 1000:.0f} "
          f"ms, CPU {bare[1] * 1000:.0f} ms")
    server, base = serve(lambda path: (200, "text/html; charset=utf-8", page))
    try:
        with tempfile.TemporaryDirectory() as instance:
            runs = collect_times(f"{base}/agenda/", args.database_url, instance)
    finally:
        server.shutdown()
    report(runs, args.events, bare)


if __name__ == "__main__":
    main()
