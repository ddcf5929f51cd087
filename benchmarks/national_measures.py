"""The measures of ``benchmarks/national.py`` on a database of generated events: search with
facets (and the plans of its slowest statements), pages, the cold calendar, collection by two
workers."""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from load_bed import Bed
from load_setup import (
    AGENDA,
    BenchError,
    CalendarServer,
    Processes,
    Route,
    agenda_env,
    calendar,
    flush_redis,
    log_tail,
)
from sqlalchemy import delete, event, func, select

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_occurrences
from agenda.models import CollectionRun, FeedCacheEntry
from agenda.search import open_search
from agenda.web import create_app

WEEKS_8 = 60
# (label, filters, window: days from today, days long)
QUERIES = [
    ("no words", {}, 0, WEEKS_8),
    ("frequent word", {"q": "atelier"}, 0, WEEKS_8),
    ("frequent word", {"q": "solidaire"}, 0, WEEKS_8),
    ("frequent word", {"q": "ess"}, 0, WEEKS_8),
    ("frequent words", {"q": "repair café"}, 0, WEEKS_8),
    ("frequent words", {"q": "économie sociale et solidaire"}, 0, WEEKS_8),
    ("rare word", {"q": "scic"}, 0, WEEKS_8),
    ("rare words", {"q": "habitat participatif"}, 0, WEEKS_8),
    ("rare words", {"q": "monnaie locale"}, 0, WEEKS_8),
    ("city", {"q": "loches"}, 0, WEEKS_8),
    ("absent word", {"q": "xylophone"}, 0, WEEKS_8),
    ("many words", {"q": "atelier réparation vélos bénévoles tours"}, 0, WEEKS_8),
    ("word + dept", {"q": "atelier", "departments": ("37",)}, 0, WEEKS_8),
    ("word + dept", {"q": "forum", "departments": ("45",)}, 0, WEEKS_8),
    ("word + theme", {"q": "solidaire", "themes": ("finance-solidaire",)}, 0, WEEKS_8),
    ("word + theme", {"q": "vélo", "themes": ("mobilite",)}, 0, WEEKS_8),
    ("word + dept + theme", {"q": "jardin", "departments": ("18",),
                             "themes": ("alimentation",)}, 0, WEEKS_8),
    ("word + online", {"q": "webinaire", "mode": "online"}, 0, WEEKS_8),
    ("dept", {"departments": ("37",)}, 0, WEEKS_8),
    ("theme", {"themes": ("reemploi",)}, 0, WEEKS_8),
    ("dept + theme", {"departments": ("41",), "themes": ("culture",)}, 0, WEEKS_8),
    ("online", {"mode": "online"}, 0, WEEKS_8),
    ("relevance", {"q": "atelier", "sort": "relevance"}, 0, WEEKS_8),
    ("relevance", {"q": "repair café tours", "sort": "relevance"}, 0, WEEKS_8),
    ("relevance + dept", {"q": "solidaire", "sort": "relevance", "departments": ("28",)},
     0, WEEKS_8),
    ("word, a year", {"q": "atelier"}, 0, 365),
    ("word, a week", {"q": "concert"}, 100, 7),
    ("no words, a year", {}, 0, 365),
    ("dept, a year", {"departments": ("36",)}, 0, 365),
    ("words + dept, a year", {"q": "finance solidaire", "departments": ("45",)}, 0, 365),
]
PAGE_URLS = [("home", "/"), ("home", "/?page=3"), ("words", "/?q=atelier"),
             ("words", "/?q=repair+caf%C3%A9"), ("words", "/?q=scic"),
             ("words + dept", "/?q=solidaire&dept=37"), ("theme", "/?theme=reemploi")]


def today_utc() -> datetime:
    return datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def percentiles(times: list[float]) -> str:
    if len(times) < 2:
        return f"{times[0]:.1f} ms" if times else "-"
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, max {max(times):.1f} ms (n={len(times)})"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- search ------------------------------------------------------------------------------------

class Statements:
    """The SQL statements an engine runs while ``recording``, with their times."""

    def __init__(self, engine) -> None:
        self.recording, self.seen, self.engine = False, [], engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, parameters, context, _many):
        context._bench_began = time.perf_counter()

    def _after(self, _conn, _cursor, statement, parameters, context, _many):
        if self.recording and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.seen.append(((time.perf_counter() - context._bench_began) * 1000, statement,
                              parameters))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def _ask(factory, search, query, *, cold: bool = False) -> float:
    """One listing with facets, in ms; ``cold``: what the search remembers per data version
    forgotten first (as after any change of the data)."""
    if cold:
        forget(search)
    _label, fields, start, days = query
    window = (today_utc() + timedelta(days=start), today_utc() + timedelta(days=start + days))
    began = time.perf_counter()
    with transaction(factory) as session:
        find_occurrences(session, Filters(**fields), window=window, limit=20, with_facets=True,
                         search=search)
    return (time.perf_counter() - began) * 1000


def forget(search) -> None:
    """Forget what PostgreSQL's search remembers for the current data version (its answers,
    word rarities, window counts...): the next ask runs all its SQL."""
    facts = getattr(search, "facts", None)
    if facts is not None:
        search.facts = type(facts)()


def measure_search(settings, factory, args) -> None:
    search = open_search(settings, factory)
    kind = type(search).__name__
    if kind != "PostgresSearch":
        raise BenchError(f"the search backend is {kind}, not PostgreSQL's")
    _say(f"search: {len(QUERIES)} queries x {args.repeat}, cold then remembered; "
         f"load {loadavg()}")
    cold = [(q, _ask(factory, search, q, cold=True))
            for _ in range(args.repeat) for q in QUERIES]
    warm = [(q, _ask(factory, search, q)) for q in QUERIES]
    print(f"\n## Search with facets ({len(QUERIES)} queries, find_occurrences limit 20, "
          f"with_facets; load after {loadavg()})\n")
    print(f"- cold (nothing remembered, as after any change of the data), each query "
          f"{args.repeat} times: {percentiles([t for _, t in cold])}")
    print(f"- remembered (same data version): {percentiles([t for _, t in warm])}\n")
    by_query: dict[int, list[float]] = {}
    for query, ms in cold:
        by_query.setdefault(id(query), []).append(ms)
    print("| query | words and filters | window | cold median ms | cold max ms |\n"
          "|---|---|---|---|---|")
    ranked = sorted(QUERIES, key=lambda q: -statistics.median(by_query[id(q)]))
    for query in ranked:
        times = by_query[id(query)]
        label, fields, start, days = query
        print(f"| {label} | `{fields}` | +{start} d, {days} d | {statistics.median(times):.1f} | "
              f"{max(times):.1f} |")
    engine = factory.kw["bind"]
    print("\n### Slowest statements of the slowest searches (cold)\n")
    for number, query in enumerate(ranked[:4], 1):
        explain_slowest(engine, f"{query[0]} `{query[1]}`",
                        lambda q=query: _ask(factory, search, q, cold=True), args.plans,
                        f"search{number}")


def explain_slowest(engine, label: str, action, plans: Path | None, name: str,
                    top: int = 2) -> None:
    """Run ``action`` recording the SELECTs of ``engine``; EXPLAIN (ANALYZE, BUFFERS) of its
    ``top`` slowest ones."""
    recorder = Statements(engine)
    recorder.recording = True
    try:
        action()
    finally:
        recorder.recording = False
        recorder.close()
    slowest = sorted(recorder.seen, key=lambda seen: -seen[0])[:top]
    for rank, (ms, statement, parameters) in enumerate(slowest, 1):
        plan = _explain(engine, statement, parameters)
        print(f"- {label}, statement {rank} ({ms:.1f} ms): "
              f"`{' '.join(statement.split())[:400]}`\n  plan: {_plan_summary(plan)}")
        if plans:
            plans.mkdir(parents=True, exist_ok=True)
            (plans / f"{name}-statement{rank}.txt").write_text(
                f"-- {label}\n-- {ms:.1f} ms\n{statement}\n-- {parameters}\n\n"
                + "\n".join(plan))


def _explain(engine, statement: str, parameters) -> list[str]:
    with engine.connect() as connection:
        try:
            rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                              parameters).all()
        except Exception as error:  # noqa: BLE001 (a plan is a report, never a failure)
            return [f"EXPLAIN failed: {error}"]
        finally:
            connection.rollback()
    return [row[0] for row in rows]


def _plan_summary(plan: list[str]) -> str:
    """The top node, the scans and joins that took the most, and the execution time."""
    nodes = [line.strip().lstrip("-> ").strip() for line in plan if "actual time=" in line]
    timed = []
    for node in nodes:
        try:
            timed.append((float(node.split("actual time=")[1].split("..")[1].split()[0]), node))
        except (IndexError, ValueError):
            continue
    leaves = [node for _t, node in sorted(timed, reverse=True)
              if "Scan" in node][:2]
    total = next((line for line in plan if line.startswith("Execution Time")), "")
    top = nodes[0] if nodes else (plan[0] if plan else "")
    return "; ".join(_short(n) for n in [top] + leaves) + f"; {total}"


def _short(node: str) -> str:
    return node.split("  (cost=")[0] + (" " + node.split("(actual")[1].split(")")[0].join(
        ["(actual", ")"]) if "(actual" in node else "")


# --- pages and calendar ------------------------------------------------------------------------

def measure_pages(settings, args, repeat: int = 5) -> None:
    app = create_app(settings.with_overrides(search_backend="postgresql"))
    client = app.test_client()
    search = app.extensions["agenda"].search
    began = time.perf_counter()
    status = client.get("/").status_code
    first = (time.perf_counter() - began) * 1000
    cold: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    for _ in range(repeat):
        for label, url in PAGE_URLS:
            for timed, forgetting in ((cold, True), (warm, False)):
                if forgetting:
                    forget(search)
                began = time.perf_counter()
                response = client.get(url)
                timed.setdefault(label, []).append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise BenchError(f"{url}: HTTP {response.status_code}")
    print(f"\n## Pages through Flask's test client (load after {loadavg()})\n")
    print(f"- first request of the process (`/`, HTTP {status}): {first:.0f} ms")
    for label in cold:
        urls = ", ".join(f"`{u}`" for k, u in PAGE_URLS if k == label)
        print(f"- {label} ({urls}): cold {percentiles(cold[label])}; asked again "
              f"{percentiles(warm[label])}")
    engine = app.extensions["agenda"].session_factory.kw["bind"]
    print("\n### Slowest statements of pages (search's memory forgotten first)\n")
    for label, url in (("home", "/"), ("theme", "/?theme=reemploi")):
        def request(url=url):
            forget(search)
            client.get(url)
        explain_slowest(engine, f"`{url}`", request, args.plans, f"page-{label}", top=3)


def measure_calendar(settings, factory, repeat: int = 3) -> None:
    app = create_app(settings.with_overrides(feed_max_events=10_000,
                                             feed_miss_rate_limit="100000 per minute"))
    client = app.test_client()
    exports = app.extensions["agenda_exports"]
    times, body = [], b""
    for _ in range(repeat):
        exports.responses.clear()
        vevents = getattr(exports.exporter, "vevents", None)
        if vevents is not None:
            vevents.clear()
        with transaction(factory) as session:
            session.execute(delete(FeedCacheEntry))
        began = time.perf_counter()
        response = client.get("/calendar.ics")
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise BenchError(f"/calendar.ics: HTTP {response.status_code}")
        body = response.data
    print(f"\n## /calendar.ics built cold (feed_max_events 10,000; no response, VEVENT text "
          f"nor shared feed cached; load after {loadavg()})\n")
    print(f"- {', '.join(f'{t:.0f}' for t in times)} ms (median {statistics.median(times):.0f} "
          f"ms) for {len(body) / 1e6:.1f} MB, {body.count(b'BEGIN:VEVENT'):,} VEVENTs")


# --- collection by two workers -----------------------------------------------------------------

def measure_collection(folder: Path, url: str, args) -> None:
    processes, server = Processes(folder), CalendarServer()
    flush_redis(args.redis_db)
    env = agenda_env(folder / "instance", url, args.redis_db, raise_limits=False)
    env.update(AGENDA_SEARCH_BACKEND="postgresql", AGENDA_SCHEDULER_TICK_SECONDS="1")
    bed = Bed(folder / "instance", env, processes, server)
    try:
        _say(f"collection: serving {args.sources} calendars of {args.source_events} events")
        ids = [bed.add_source(f"National {k}", server.add(f"/national/{k}.ics", Route(
            [calendar(args.source_events, seed=5000 + k, tag=f"N{k}")], rotate=False)))
            for k in range(args.sources)]
        before = bed.event_count()
        began = time.monotonic()
        workers = [processes.start(f"worker{n}", AGENDA + ["worker"], env) for n in (1, 2)]
        done, deadline = 0, began + args.collect_minutes * 60
        while done < len(ids) and time.monotonic() < deadline:
            for worker in workers:
                if worker.poll() is not None:
                    raise BenchError(f"an agenda worker stopped (exit {worker.returncode}):\n"
                                     f"{log_tail(worker)}")
            time.sleep(5)
            done = _collected(bed, ids)
        elapsed = time.monotonic() - began
        runs = bed.runs_of(ids)
        outcomes: dict[str, int] = {}
        for run in runs:
            outcomes[run.outcome] = outcomes.get(run.outcome, 0) + 1
        durations = [(r.finished_at - r.started_at).total_seconds() for r in runs]
        added = bed.event_count() - before
        print(f"\n## Collection: {args.sources:,} sources of {args.source_events} events by two "
              f"`agenda worker` processes (tick 1 s; load after {loadavg()})\n")
        bound = "all" if done == len(ids) else "stopped by --collect-minutes"
        print(f"- {done:,} sources collected in {elapsed:.0f} s = "
              f"{done / (elapsed / 60):,.0f} sources a minute ({bound}); "
              f"{added:,} events added; outcomes {outcomes}; a collection took "
              f"{percentiles([d * 1000 for d in durations])}")
    finally:
        processes.stop_all()
        if args.plans:  # the workers' logs (an error's traceback) outlive the temporary folder
            args.plans.mkdir(parents=True, exist_ok=True)
            for worker in processes.started:
                (args.plans / Path(worker.log_path).name).write_bytes(
                    Path(worker.log_path).read_bytes())
        server.close()
        bed.close()
        flush_redis(args.redis_db)


def _collected(bed: Bed, ids: list[int]) -> int:
    with bed.engine.connect() as connection:
        return connection.scalar(select(func.count(func.distinct(CollectionRun.source_id)))
                                 .where(CollectionRun.source_id.in_(ids)))
