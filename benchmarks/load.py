"""Load and faults, measured: real gunicorn on a throw-away database of generated events.

1. A database of N events (``agenda generate`` plus calendars served on loopback and collected
   by ``agenda collect``), indexed (``agenda reindex``).
2. gunicorn, 4 workers (``agenda.web:create_app()``), rate limits counted in Redis.
3. While ``agenda collect --all`` runs in a loop, or (``--collectors workers``) two
   ``agenda worker`` processes collect sources kept due all the time (every collection
   rewrites every event of its source, so the data version moves), concurrent clients ask
   ``/``, ``/?q=…``, ``/calendar.ics``, a filtered ``/calendar.ics?dept=37`` and
   ``/api/events``, each for a fixed time: requests per second, p50/p95/p99, errors (other
   than 2xx, 304 and 429, plus connection errors), 429s, and the machine's load after each.
4. The home page's median with and without a client asking ``/calendar.ics?from=<a new day
   each time>``.
5. Faults: ``kill -9`` of a collection in its store phase (the source keeps all its old events
   or all the new ones; after the lease the next collection completes), and two
   ``agenda worker`` processes that must never collect one source at once (``collection_runs``).

    .venv/bin/python benchmarks/load.py [--quick] [--events 20000] [--seconds 20]
        [--clients 20] [--pg | --database-url postgresql+psycopg://postgres@127.0.0.1:5432/
        agenda_bench_NAME] [--search-backend postgresql|whoosh]

Issue 13's production shape (PostgreSQL search, 100,000 events, two workers on 50 sources of
50 events changing every 10 s (--change-every 100000: never, the caches stay warm), 8 clients,
20 s per URL):

    .venv/bin/python benchmarks/load.py --pg --search-backend postgresql --events 100000 \
        --sources 50 --per-source 50 --collectors workers --change-every 10 --clients 8 \
        --seconds 20 --raise-rate-limits --no-faults --no-busting

Loopback only; bounded (``--max-minutes``); every process it starts is stopped and its
PostgreSQL database dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from load_bed import Bed  # noqa: E402
from load_client import (  # noqa: E402
    PhaseResult,
    cache_busting_paths,
    constant,
    rotating_addresses,
    run_phase,
    search_paths,
)
from load_collectors import CollectLoop, WorkerPool  # noqa: E402
from load_faults import kill_check, workers_check  # noqa: E402
from load_report import print_report  # noqa: E402
from load_setup import (  # noqa: E402
    BenchError,
    CalendarServer,
    Processes,
    Route,
    agenda_env,
    calendar,
    create_pg,
    drop_pg,
    flush_redis,
    log_tail,
    peak_memory_of_children,
    pg_database,
    run_agenda,
    start_gunicorn,
)

QUICK = {"events": 2_000, "seconds": 5.0, "worker_seconds": 20.0, "slow_source": False}
FULL = {"events": 20_000, "seconds": 20.0, "worker_seconds": 60.0, "slow_source": True}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 events, 5 s per URL")
    parser.add_argument("--events", type=int, help="events in the database (default 20,000)")
    parser.add_argument("--seconds", type=float, help="seconds per URL (default 20)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--sources", type=int, default=5, help="sources collected in a loop")
    parser.add_argument("--per-source", type=int,
                        help="events of each source (default: a eighth of --events, 100 or more)")
    parser.add_argument("--collectors", choices=("loop", "workers"), default="loop",
                        help="while measuring: `agenda collect --all` back to back (loop), or "
                             "--worker-processes `agenda worker` on sources kept due (workers)")
    parser.add_argument("--worker-processes", type=int, default=2)
    parser.add_argument("--change-every", type=float, default=0.0,
                        help="with workers: each calendar changes every this many seconds "
                             "(default 0: at every request)")
    parser.add_argument("--search-backend", choices=("whoosh", "postgresql"),
                        help="AGENDA_SEARCH_BACKEND of every process (default: as set)")
    parser.add_argument("--filtered", default="/calendar.ics?dept=37",
                        help="the filtered URL measured beside the others")
    parser.add_argument("--no-busting", action="store_true",
                        help="skip the home page beside a cache-busting client")
    parser.add_argument("--busters", type=int, default=1, help="cache-busting clients")
    parser.add_argument("--home-clients", type=int, default=4,
                        help="clients on / while measuring the cache-busting effect")
    parser.add_argument("--database-url", default="",
                        help="a throw-away postgresql+psycopg://…/agenda_bench_* database "
                             "(created and dropped); default: SQLite in a temporary folder")
    parser.add_argument("--pg", action="store_true",
                        help="PostgreSQL on 127.0.0.1, database agenda_bench_load_<pid>")
    parser.add_argument("--redis-db", type=int, default=11, help="Redis database (emptied)")
    parser.add_argument("--raise-rate-limits", action="store_true",
                        help="raise every *_rate_limit of the settings (default: as set; each "
                             "client is then a visitor of its own, X-Forwarded-For)")
    parser.add_argument("--buster-addresses", choices=("one", "many"), default="many",
                        help="the cache-busting client from one address, or a new one for "
                             "each request (default: many, the worst case)")
    parser.add_argument("--worker-seconds", type=float, help="duration of the workers' check")
    parser.add_argument("--slow-source", action=argparse.BooleanOptionalAction, default=None,
                        help="in the workers' check, one source slower than the claim lease")
    parser.add_argument("--no-faults", action="store_true", help="skip the fault checks")
    parser.add_argument("--faults-only", action="store_true", help="skip the web measures")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs to this folder")
    parser.add_argument("--max-minutes", type=float, default=60.0, help="hard bound")
    args = parser.parse_args()
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.pg:
        args.database_url = ("postgresql+psycopg://postgres@127.0.0.1:5432/"
                             f"agenda_bench_load_{os.getpid()}")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGALRM, _too_long)
    signal.signal(signal.SIGTERM, _too_long)
    signal.alarm(int(args.max_minutes * 60))
    pg_name = pg_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="agenda-load-") as folder:
        processes = Processes(Path(folder))
        server = CalendarServer()
        bed = None
        try:
            if pg_name:
                create_pg(pg_name)
            flush_redis(args.redis_db)
            env = agenda_env(Path(folder) / "instance", args.database_url, args.redis_db,
                             raise_limits=args.raise_rate_limits)
            if args.search_backend:
                env["AGENDA_SEARCH_BACKEND"] = args.search_backend
            bed = Bed(Path(folder) / "instance", env, processes, server)
            print_report(measure(bed, args))
            return 0
        except BenchError as error:
            print(f"\nload benchmark failed: {error}", file=sys.stderr)
            return 1
        finally:
            signal.alarm(0)
            processes.stop_all()
            if args.logs:
                args.logs.mkdir(parents=True, exist_ok=True)
                for log in Path(folder).glob("*.log"):
                    shutil.copy(log, args.logs)
            server.close()
            if bed is not None:
                bed.close()
            if pg_name:
                drop_pg(pg_name)
            flush_redis(args.redis_db)


def _too_long(signum, _frame):
    reason = "went past --max-minutes" if signum == signal.SIGALRM else "was asked to stop"
    raise BenchError(f"the benchmark {reason}; everything it started is being stopped")


def measure(bed: Bed, args) -> dict:
    report = {"args": args, "started": datetime.now(timezone.utc), "machine": machine(bed)}
    report["data"] = prepare(bed, args)
    if not args.faults_only:
        measure_web(bed, args, report)
    if not args.no_faults:
        _step("fault (a): kill -9 of a collection in its store phase")
        report["faults"] = [kill_check(bed, args.events)]
        _step("fault (b): two workers on sources due all the time")
        lease = bed.settings.claim_lease_minutes * 60
        report["faults"].append(workers_check(
            bed, sources=8, events=max(50, args.events // 100), seconds=args.worker_seconds,
            slow_seconds=lease + 20 if args.slow_source else 0))
    return report


def measure_web(bed: Bed, args, report: dict) -> None:
    master, port = start_gunicorn(bed.processes, bed.env, args.web_workers)
    _step(f"gunicorn ({args.web_workers} workers) on 127.0.0.1:{port}")
    try:
        report["load"], report["collections"] = load_phases(bed, port, args, report)
        if not args.no_busting:
            report["busting"] = cache_busting(port, args)
        report["web_memory"] = peak_memory_of_children(master.pid)
    finally:
        report["gunicorn_log"] = log_tail(master, 15)
        bed.processes.stop(master)


def machine(bed: Bed) -> dict:
    import gunicorn

    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.machine()}",
            "database": bed.database_version(), "gunicorn": gunicorn.__version__}


def prepare(bed: Bed, args) -> dict:
    per_source = args.per_source or max(100, args.events // 8)
    generated = max(1, args.events - args.sources * per_source)
    timings = {}
    _step(f"preparing {args.events:,} events in {bed.database_version()}")
    run_agenda(bed.env, "init")
    timings["generate"] = _timed(lambda: run_agenda(bed.env, "generate", str(generated)))
    ids, routes = [], []
    for k in range(args.sources):
        route = Route([calendar(per_source, seed=10 + k, tag=tag) for tag in ("LA", "LB")],
                      rotate=not args.change_every)
        routes.append(route)
        ids.append(bed.add_source(f"Load source {k + 1}", bed.server.add(f"/load/{k}.ics", route),
                                  interval_minutes=1 if args.collectors == "workers" else 60))
    timings["collect"] = _timed(lambda: run_agenda(bed.env, "collect", "--all"))
    timings["reindex"] = _timed(lambda: run_agenda(bed.env, "reindex"))
    bed.analyze()
    return {"generated": generated, "sources": args.sources, "per_source": per_source, "ids": ids,
            "routes": routes,
            "events": bed.event_count(), "timings": timings}


def urls(args) -> list:
    return [("/", lambda: constant("/")), ("/?q=<word>", search_paths),
            ("/calendar.ics", lambda: constant("/calendar.ics")),
            (args.filtered, lambda: constant(args.filtered)),
            ("/api/events", lambda: constant("/api/events"))]


def load_phases(bed: Bed, port: int, args, report: dict) -> tuple[list[PhaseResult], dict]:
    mixed = itertools.cycle(["/", "/?q=atelier", "/calendar.ics", args.filtered, "/api/events"])
    run_phase(port, "warm-up", lambda: next(mixed), clients=args.clients,
              seconds=min(5.0, args.seconds / 2))
    loop = (WorkerPool(bed, report["data"]["ids"], args.worker_processes,
                       routes=report["data"]["routes"], change_every=args.change_every)
            if args.collectors == "workers" else CollectLoop(bed))
    loop.start()
    results = []
    try:
        for label, paths in urls(args):
            if isinstance(loop, WorkerPool):
                loop.check_alive()
            _step(f"{label}: {args.clients} clients for {args.seconds:.0f} s, collections running")
            results.append(run_phase(port, label, paths(), clients=args.clients,
                                     seconds=args.seconds))
            results[-1].loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    finally:
        loop.stop()
    return results, loop.summary()


def cache_busting(port: int, args) -> dict:
    _step(f"/ alone, {args.home_clients} clients, then beside {args.busters} cache-busting "
          f"client(s), {args.seconds:.0f} s each")
    alone = run_phase(port, "/ alone", constant("/"), clients=args.home_clients,
                      seconds=args.seconds)
    busting = {}
    address = (rotating_addresses() if args.buster_addresses == "many"
               else lambda _k: "192.0.2.66")
    buster = threading.Thread(target=lambda: busting.update(result=run_phase(
        port, "buster", cache_busting_paths(date.today()), clients=args.busters,
        seconds=args.seconds, address=address)))
    buster.start()
    beside = run_phase(port, "/ beside", constant("/"), clients=args.home_clients,
                       seconds=args.seconds)
    buster.join()
    return {"alone": alone, "beside": beside, "buster": busting.get("result")}


def _timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _step(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
