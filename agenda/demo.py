"""The bundled offline demo: template calendars and feeds served on loopback by a tiny server.

``config/demo/`` holds ``sources.toml`` (the demo sources, one ``[[sources]]`` entry each) and the
files they point to. The files are templates whose dates are relative to the day they are served,
so the demo always shows current events. Every placeholder has this form::

    {{ANCHOR[+N|-N][@HH:MM][|FORMAT]}}

    ANCHOR   day     the day the file is rendered ("today")
             month   the first day of today's month (a monthly series keeps its day of month)
             nov     1 November of the current Mois de l'ESS (this year's; next year's in December)
    +N / -N  a number of days added to the anchor
    @HH:MM   a wall-clock time in the demo's zone (Europe/Paris); without it the value is a date
    FORMAT   ical    (default) 20261124, or 20261124T140000: a DATE, or a local time whose zone
                     is given by the line (TZID=...) or floating
             utc     20261124T130000Z: the instant in UTC, as Google Calendar writes it
                     (without @HH:MM, ical and utc both give a DATE)
             iso     2026-11-24, or 2026-11-24T14:00:00+01:00 (W3C-DTF / RFC 3339: RSS 1.0, Atom)
             rfc822  Tue, 24 Nov 2026 14:00:00 +0100 (RSS 2.0 pubDate)

With today = 2026-11-21: ``{{day+3}}`` -> 20261124, ``{{day+3|iso}}`` -> 2026-11-24,
``{{day+3@14:00|utc}}`` -> 20261124T130000Z, ``{{nov+17@18:30}}`` -> 20261118T183000.

``DemoFeedServer`` serves the rendered files over HTTP like a real actor's site would: content
type, ETag (a hash of the rendered body, so it changes once a day) and 304, CRLF line ends for
iCalendar, 404 for anything else. Only files directly inside ``config/demo/`` with a
known extension are served; ``sources.toml`` is not.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from agenda.errors import AgendaError, ConfigError

log = logging.getLogger(__name__)

DEMO_TIMEZONE = "Europe/Paris"
SOURCE_KINDS = ("ics", "feed", "auto")
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
}

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_PLACEHOLDER_PARTS = re.compile(
    r"\s*(?P<anchor>day|month|nov)\s*(?:(?P<sign>[+-])\s*(?P<days>\d+))?"
    r"\s*(?:@\s*(?P<hour>\d{1,2}):(?P<minute>\d{2}))?\s*(?:\|\s*(?P<format>\w+))?\s*"
)


def demo_dir(config_dir: Path | str) -> Path:
    """Where the demo files live: ``<config_dir>/demo``."""
    return Path(config_dir) / "demo"


# --- Templates -------------------------------------------------------------------------------

def render_demo_file(text: str, *, today: date, timezone_name: str = DEMO_TIMEZONE) -> str:
    """The template with every placeholder replaced by a date relative to ``today``."""
    zone = ZoneInfo(timezone_name)
    return _PLACEHOLDER.sub(lambda m: _render_placeholder(m.group(1), today, zone), text)


def _render_placeholder(inner: str, today: date, zone: ZoneInfo) -> str:
    parts = _PLACEHOLDER_PARTS.fullmatch(inner)
    if parts is None or (parts["format"] or "ical") not in _FORMATS:
        raise ConfigError(f"Unknown demo placeholder {{{{{inner}}}}}", placeholder=inner)
    write_date, write_datetime = _FORMATS[parts["format"] or "ical"]
    days = int(parts["days"] or 0) * (-1 if parts["sign"] == "-" else 1)
    day = anchor_date(parts["anchor"], today) + timedelta(days=days)
    if parts["hour"] is None:
        return write_date(day)
    try:
        wall_time = time(int(parts["hour"]), int(parts["minute"]))
    except ValueError as e:
        raise ConfigError(f"Invalid time in demo placeholder {{{{{inner}}}}}") from e
    return write_datetime(datetime.combine(day, wall_time, zone))


def anchor_date(anchor: str, today: date) -> date:
    """The day an anchor names: 'day' (today), 'month' (its first day) or 'nov' (1 November)."""
    if anchor == "day":
        return today
    if anchor == "month":
        return today.replace(day=1)
    return date(today.year + (1 if today.month == 12 else 0), 11, 1)


def _rfc822_date(day: date) -> str:
    return format_datetime(datetime.combine(day, time.min, timezone.utc))


def _utc_datetime(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# format -> (how it writes a date, how it writes an aware datetime in the demo's zone)
_FORMATS: dict[str, tuple[Callable[[date], str], Callable[[datetime], str]]] = {
    "ical": (lambda d: d.strftime("%Y%m%d"), lambda m: m.strftime("%Y%m%dT%H%M%S")),
    "utc": (lambda d: d.strftime("%Y%m%d"), _utc_datetime),
    "iso": (date.isoformat, lambda m: m.isoformat(timespec="seconds")),
    "rfc822": (_rfc822_date, format_datetime),
}


# --- Sources ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoSource:
    name: str
    actor_name: str
    actor_kind: str
    path: str
    kind: str
    interval_minutes: int

    def url(self, base_url: str) -> str:
        """The source's URL on a running demo server ('http://127.0.0.1:5001/')."""
        return urljoin(base_url, self.path)


def load_demo_sources(config_dir: Path | str) -> list[DemoSource]:
    """The demo sources listed in ``<config_dir>/demo/sources.toml``, validated."""
    path = demo_dir(config_dir) / "sources.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"Demo sources file not found: {path}", code="config.missing") from e
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"Demo sources file {path} cannot be read: {e}") from e
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"Demo sources file {path} lists no [[sources]]")
    sources = [_build_demo_source(entry, f"{path}: sources[{i}]") for i, entry in enumerate(entries)]
    _check_unique_names(sources, path)
    return sources


def _build_demo_source(entry: dict, where: str) -> DemoSource:
    actor = entry.get("actor") if isinstance(entry, dict) else None
    if not isinstance(actor, dict):
        raise ConfigError(f"{where}: an actor = {{ name = ..., kind = ... }} table is required")
    source = DemoSource(
        name=_required_text(entry, "name", where),
        actor_name=_required_text(actor, "name", f"{where}.actor"),
        actor_kind=_required_text(actor, "kind", f"{where}.actor"),
        path=_required_text(entry, "path", where),
        kind=entry.get("kind", "auto"),
        interval_minutes=entry.get("interval_minutes", 60),
    )
    if source.kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(SOURCE_KINDS)}")
    if type(source.interval_minutes) is not int or source.interval_minutes < 1:
        raise ConfigError(f"{where}: interval_minutes must be a positive whole number")
    if not _is_plain_file_name(source.path):
        raise ConfigError(f"{where}: path must be a file name inside config/demo/")
    return source


def _required_text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _check_unique_names(sources: list[DemoSource], path: Path) -> None:
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"Demo sources file {path}: duplicate name {duplicates[0]!r}")


def _is_plain_file_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name)) and ".." not in name


# --- Server ----------------------------------------------------------------------------------

def find_demo_file(directory: Path, url_path: str) -> Path | None:
    """The demo file a request path names, or None (unknown, hidden, outside the folder...)."""
    name = unquote(urlsplit(url_path).path).lstrip("/")
    if not _is_plain_file_name(name) or Path(name).suffix not in CONTENT_TYPES:
        return None
    candidate = (directory / name).resolve()
    if candidate.parent != directory.resolve() or not candidate.is_file():
        return None
    return candidate


def render_demo_body(file: Path, *, today: date) -> bytes:
    """The bytes served for a demo file: rendered, and with CRLF line ends for iCalendar."""
    text = render_demo_file(file.read_text(encoding="utf-8"), today=today)
    if file.suffix == ".ics":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode("utf-8")


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header with our ETag."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


class _DemoHTTPServer(ThreadingHTTPServer):
    def __init__(self, address, directory: Path, today_func: Callable[[], date]):
        super().__init__(address, _DemoRequestHandler)
        self.directory = directory
        self.today_func = today_func


class _DemoRequestHandler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    server_version = "AgendaCommunDemo/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        file = find_demo_file(self.server.directory, self.path)
        if file is None:
            return self._send(404, b"Not found\n", "text/plain; charset=utf-8", send_body)
        try:
            body = render_demo_body(file, today=self.server.today_func())
        except (AgendaError, OSError, UnicodeDecodeError) as e:
            log.error("demo file %s cannot be rendered: %s", file.name, e)
            return self._send(500, b"Demo file cannot be rendered\n", "text/plain", send_body)
        etag = etag_of(body)
        if etag_matches(self.headers.get("If-None-Match"), etag):
            return self._send(304, b"", None, send_body, etag=etag)
        self._send(200, body, CONTENT_TYPES[file.suffix], send_body, etag=etag)

    def _send(self, status: int, body: bytes, content_type: str | None, send_body: bool,
              etag: str | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        log.debug("demo server: " + format, *args)


class DemoFeedServer:
    """Serves the rendered demo files on a loopback port, in a daemon thread.

    >>> with DemoFeedServer(Path("config"), port=5001) as server:   # doctest: +SKIP
    ...     requests.get(server.base_url + "cress-mois-ess.ics")
    """

    def __init__(self, config_dir: Path | str, host: str = "127.0.0.1", port: int = 0,
                 today_func: Callable[[], date] = date.today):
        self.directory = demo_dir(config_dir)
        self.host = host
        self.port = port
        self.today_func = today_func
        self._server: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> str:
        """Start serving (once); return the base URL ('http://127.0.0.1:5001/')."""
        if self._server is not None:
            return self.base_url
        if not self.directory.is_dir():
            raise ConfigError(f"Demo folder not found: {self.directory}", code="config.missing")
        self._server = _DemoHTTPServer((self.host, self.port), self.directory, self.today_func)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="demo-feed-server", daemon=True)
        self._thread.start()
        log.info("demo feed server listening on %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> DemoFeedServer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
