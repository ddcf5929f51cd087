"""Collection benchmark: a generated 10,000-event ICS served on loopback, collected end to end.

Reports: end-to-end events/s from fetch to committed rows; its ratio to bare icalendar parsing
of the same bytes (aim >= 0.5); the time of a second, unchanged collection (aim <= 5 % of the
first), through an unchanged body and through a 304; the peak memory of the collecting process
(aim < 300 MB).

    python benchmarks/collect.py [--events N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.server
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate_ics import generate_ics  # noqa: E402
from icalendar import Calendar  # noqa: E402

from agenda.collectors.refresh import refresh_source  # noqa: E402
from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.store.sources import add_source  # noqa: E402


def serve(body: bytes, *, etag: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if etag and self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/agenda.ics"


def collect_twice(url: str, database_url: str, instance: str, queue) -> None:
    """In a child process, so that its peak memory is the collection's own."""
    settings = load_settings(env={}, instance_path=instance, database_url=database_url,
                             allow_private_urls=True, total_timeout=120.0)
    engine = make_engine(settings)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    now = datetime.now(timezone.utc)
    with transaction(factory) as session:
        source_id = add_source(session, name="bench", url=url, kind="auto", now=now).id
    timings = []
    for _ in range(2):
        began = time.perf_counter()
        outcome = refresh_source(factory, source_id, now=datetime.now(timezone.utc),
                                 settings=settings)
        timings.append((time.perf_counter() - began, outcome.outcome, outcome.new, outcome.error))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((timings, peak_mb))


def run_child(url: str, database_url: str) -> tuple[list, float]:
    with tempfile.TemporaryDirectory() as instance:
        queue = multiprocessing.Queue()
        child = multiprocessing.Process(target=collect_twice,
                                        args=(url, database_url, instance, queue))
        child.start()
        result = queue.get()
        child.join()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args()

    body = generate_ics(args.events, start=datetime.now().replace(hour=0, minute=0, second=0,
                                                                 microsecond=0))
    print(f"ICS: {args.events} events, {len(body) / 1e6:.1f} MB")
    began = time.perf_counter()
    Calendar.from_ical(body)
    bare = time.perf_counter() - began
    print(f"bare icalendar parse: {bare:.2f} s = {args.events / bare:,.0f} events/s")

    for etag in (False, True):
        server, url = serve(body, etag=etag)
        timings, peak_mb = run_child(url, args.database_url)
        server.shutdown()
        (first, outcome, new, error), (second, outcome2, _, _) = timings
        if error:
            raise SystemExit(f"collection failed: {error}")
        label = "304 Not Modified" if etag else "unchanged body (hash)"
        if not etag:
            print(f"first collection: {first:.2f} s for {new} new events = "
                  f"{args.events / first:,.0f} events/s end to end; "
                  f"ratio to bare parsing {bare / first:.2f} (aim >= 0.5)")
        print(f"second collection, {label}: {second * 1000:.0f} ms = "
              f"{100 * second / first:.1f} % of the first (aim <= 5 %), outcome {outcome2}")
        print(f"peak memory of the collecting process: {peak_mb:.0f} MB (aim < 300 MB)")


if __name__ == "__main__":
    main()
