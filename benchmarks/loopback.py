"""What the collection benchmarks share: a loopback HTTP server answering from a function, and
two collections of one source by ``refresh_source`` into a fresh database, timed."""

from __future__ import annotations

import http.server
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from agenda.collectors.refresh import RefreshOutcome, refresh_source
from agenda.db import make_engine, make_session_factory, transaction
from agenda.migrate import upgrade_database
from agenda.settings import load_settings
from agenda.store.sources import add_source

Answer = Callable[[str], tuple[int, str, bytes]]  # path and query -> status, type, body


def serve(answer: Answer) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A server on 127.0.0.1 answering each GET with ``answer(path)``, and its base URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, content_type, body = answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@dataclass(frozen=True)
class Timed:
    """How long one collection took: on the wall clock and in processor time of this process
    (the server's thread included, a small share; the machine may be shared, so both)."""

    wall: float
    cpu: float
    outcome: RefreshOutcome


def timed(run: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """Median wall and processor seconds of ``repeat`` calls of ``run``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def collect_times(url: str, database_url: str, instance: str, *, kind: str = "auto",
                  runs: int = 2) -> list[Timed]:
    """How long each of ``runs`` collections of one new source at ``url`` took, end to end."""
    settings = load_settings(env={}, instance_path=instance,
                             database_url=database_url or f"sqlite:///{instance}/agenda.sqlite3",
                             allow_private_urls=True, total_timeout=120.0)
    engine = make_engine(settings)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        source_id = add_source(session, name="bench", url=url, kind=kind,
                               now=datetime.now(timezone.utc)).id
    timings = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = refresh_source(factory, source_id, now=datetime.now(timezone.utc),
                                 settings=settings)
        timings.append(Timed(time.perf_counter() - wall, time.process_time() - cpu, outcome))
    engine.dispose()
    return timings


def report(runs: list[Timed], events: int, bare: tuple[float, float], *,
           second: str = "second collection (nothing changes, every event read again)",
           second_reads: bool = True) -> None:
    """The collections as events/s and as a ratio to the bare JSON parse (wall and CPU); the
    second one as a time only when it reads no event (an incremental read)."""
    bare_wall, bare_cpu = bare
    for label, run, reads in zip(("first collection (all new)", second), runs,
                                 (True, second_reads)):
        outcome = run.outcome
        if outcome.error:
            raise SystemExit(f"collection failed: {outcome.error_code}: {outcome.error}")
        print(f"{label}: new {outcome.new}, updated {outcome.updated}, removed {outcome.removed}")
        for name, seconds, floor in (("wall", run.wall, bare_wall), ("CPU ", run.cpu, bare_cpu)):
            rate = f" = {events / seconds:,.0f} events/s" if reads else ""
            ratio = f", {seconds / floor:.0f} x the bare JSON parse" if reads else ""
            print(f"  {name} {seconds:.2f} s{rate}{ratio}")
