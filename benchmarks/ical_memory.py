"""Peak memory of reading an iCalendar body made of N minimal VEVENTs (issue 8, point 2).

Each measure runs in its own fresh process and reports that process's peak RSS
(resource.getrusage): ``parse`` is parse_ical alone, ``collect`` is the whole collection
(loopback fetch, parse, normalise, store into a throw-away SQLite database, index).

    python benchmarks/ical_memory.py [--events 100000 | --megabytes 19.9] [--mode parse|collect|both]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def minimal_calendar(events: int, max_bytes: int | None = None) -> bytes:
    """A calendar of ``events`` VEVENTs (or as many as fit in ``max_bytes``) with only UID,
    DTSTART and SUMMARY, about 70 bytes each."""
    parts = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mesure//FR\r\n"]
    size, end = len(parts[0]), "END:VCALENDAR\r\n"
    for number in range(events if max_bytes is None else 10**9):
        event = (f"BEGIN:VEVENT\r\nUID:{number}@m\r\nDTSTART:202612{1 + number % 28:02d}"
                 f"T100000Z\r\nSUMMARY:E{number}\r\nEND:VEVENT\r\n")
        if max_bytes is not None and size + len(event) + len(end) > max_bytes:
            break
        parts.append(event)
        size += len(event)
    parts.append(end)
    return "".join(parts).encode("utf-8")


def measure_parse(path: str) -> dict:
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from agenda.collectors.ical import parse_ical

    body = Path(path).read_bytes()
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    result = parse_ical(body, default_tz=ZoneInfo("Europe/Paris"),
                        window=(now - timedelta(days=90), now + timedelta(days=400)))
    return {"events": len(result.events), "seconds": time.perf_counter() - started}


def measure_collect(path: str) -> dict:
    import tempfile
    from datetime import datetime, timezone

    from collect import serve

    from agenda.collectors.refresh import refresh_source
    from agenda.db import make_engine, make_session_factory, transaction
    from agenda.migrate import upgrade_database
    from agenda.settings import load_settings
    from agenda.store.sources import add_source

    body = Path(path).read_bytes()

    server, url = serve(body, etag=False)  # the loopback server of benchmarks/collect.py
    instance = Path(tempfile.mkdtemp(prefix="agenda-memory-"))
    settings = load_settings(env={}, instance_path=instance, database_url="",
                             allow_private_urls=True, max_body_bytes=len(body) + 1024)
    engine = make_engine(settings)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    now = datetime.now(timezone.utc)
    with transaction(factory) as session:
        source_id = add_source(session, name="Mesure", url=url, kind="ics", now=now).id
    stages = _watch_stages()
    started = time.perf_counter()
    outcome = refresh_source(factory, source_id, now=now, settings=settings)
    server.shutdown()
    return {"events": outcome.new, "outcome": outcome.outcome,
            "seconds": time.perf_counter() - started, **stages}


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _watch_stages() -> dict:
    """Note the process's peak RSS at the end of the parse, the store and the index stages
    (wrapping them where the orchestrator calls them); the dict fills in as they run."""
    from agenda.collectors import refresh

    seen: dict[str, float] = {}

    def watch(name: str, label: str) -> None:
        inner = getattr(refresh, name)

        def wrapper(*args, **kwargs):
            result = inner(*args, **kwargs)
            seen[f"after_{label}_mb"] = _peak_mb()
            return result
        setattr(refresh, name, wrapper)

    for name, label in (("parse_document", "parse"), ("upsert_events", "store"),
                        ("index_source", "index")):
        watch(name, label)
    return seen


def child(mode: str, path: str) -> None:
    sys.path.insert(0, str(ROOT))
    report = (measure_parse if mode == "parse" else measure_collect)(path)
    report["peak_mb"] = _peak_mb()
    print(json.dumps(report))


def run(mode: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--megabytes", type=float, help="as many events as fill this many MiB")
    parser.add_argument("--mode", choices=("parse", "collect", "both"), default="both")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    import tempfile

    body = minimal_calendar(args.events, int(args.megabytes * 2**20) if args.megabytes else None)
    args.events = body.count(b"BEGIN:VEVENT")
    with tempfile.NamedTemporaryFile(suffix=".ics") as handle:
        handle.write(body)
        handle.flush()
        modes = ("parse", "collect") if args.mode == "both" else (args.mode,)
        for mode in modes:
            report = run(mode, Path(handle.name))
            print(f"{mode}: {args.events} VEVENTs, {len(body) / 2**20:.1f} MiB: "
                  + ", ".join(f"{key} {value:.1f}" if isinstance(value, float)
                              else f"{key} {value}" for key, value in report.items()),
                  flush=True)


if __name__ == "__main__":
    main()
