"""What the export tests share: sample calendars collected into the database, an app with a
frozen clock, and the independent readers (vobject, recurring-ical-events, ical.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from agenda.collectors.ical import parse_ical
from agenda.collectors.normalize import with_themes
from agenda.db import transaction
from agenda.region import cached_region
from agenda.settings import load_settings
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from agenda.web import create_app
from agenda.web.feeds.views import export_state

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data" / "export"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)  # the `now` fixture
REGION = cached_region(load_settings(env={}).region_file)
ICAL_JS = ROOT / "node_modules" / "ical.js"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def records_of(body: bytes, *, now: datetime = NOW) -> list:
    window = (now - timedelta(days=90), now + timedelta(days=400))
    parsed = parse_ical(body, default_tz=PARIS, window=window)
    return [with_themes(record, REGION) for record in parsed.events]


def new_source(factory, *, now: datetime = NOW, name: str = "Recyclerie") -> int:
    with transaction(factory) as session:
        return add_source(session, name=name, url=f"http://127.0.0.1/{name}.ics", now=now).id


def collect(factory, source_id: int, records: list, *, now: datetime = NOW):
    """One collection of ``records`` (as the orchestrator stores them)."""
    with transaction(factory) as session:
        return upsert_events(session, source_id, records, now=now, tz=PARIS)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


def frozen_app(settings, clock: Clock):
    app = create_app(settings)
    app.config["TESTING"] = True
    with app.app_context():
        export_state().clock = clock
    return app


def expand(body: bytes, start: date, end: date) -> list[tuple]:
    """(start, end, summary, status) of every occurrence, as recurring-ical-events sees them."""
    calendar = Calendar.from_ical(body)
    return sorted((_instant(o["DTSTART"].dt), _instant(o["DTEND"].dt), str(o["SUMMARY"]),
                   str(o.get("STATUS", "CONFIRMED")))
                  for o in recurring_ical_events.of(calendar).between(start, end))


def _instant(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def read_with_ical_js(body: bytes, start: date, end: date) -> dict:
    """What ical.js (Mozilla's parser, run by node) reads in ``body``; see tests/js/."""
    node = shutil.which("node")
    assert node, "node is needed for the ical.js checks"
    assert ICAL_JS.exists(), "ical.js is missing: run `npm ci` at the repository root"
    done = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "read_ics.mjs"), f"{start}T00:00:00Z",
         f"{end}T00:00:00Z"], input=body, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def ical_js_occurrences(read: dict) -> list[tuple]:
    return sorted((_js_instant(o["start"]), _js_instant(o["end"]), o["summary"],
                   o["status"] or "CONFIRMED") for o in read["occurrences"])


def _js_instant(value: str) -> str:
    return value.replace(".000Z", "Z") if "T" in value else value
