"""The loopback server of the offline demo: serves the rendered files of ``config/demo/`` like a
real actor's site would (content type, ETag and 304, CRLF for iCalendar, 404 for anything else).
Only files directly inside the folder with a known extension are served; ``sources.toml`` is not.
The demo's APIs (``DEMO_API_ROUTES``: OpenAgenda, The Events Calendar) answer at their own path
with a JSON template, its second page when the query asks for it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from agenda.demo import (
    BASE_URL_MARK,
    CONTENT_TYPES,
    DEMO_API_ROUTES,
    JSON_CONTENT_TYPE,
    demo_dir,
    is_plain_file_name,
    render_demo_file,
)
from agenda.errors import AgendaError, ConfigError

log = logging.getLogger(__name__)


def find_demo_file(directory: Path, url_path: str) -> Path | None:
    """The demo file a request path names, or None (unknown, hidden, outside the folder...)."""
    name = unquote(urlsplit(url_path).path).lstrip("/")
    if not is_plain_file_name(name) or Path(name).suffix not in CONTENT_TYPES:
        return None
    candidate = (directory / name).resolve()
    if candidate.parent != directory.resolve() or not candidate.is_file():
        return None
    return candidate


def find_demo_api_page(directory: Path, url_path: str) -> Path | None:
    """The JSON template answering a request to one of the demo's APIs, or None."""
    parts = urlsplit(url_path)
    route = DEMO_API_ROUTES.get(unquote(parts.path).strip("/"))
    if route is None:
        return None
    first, second, parameter = route
    name = second if parse_qs(parts.query).get(parameter) else first
    candidate = directory / name
    return candidate if candidate.is_file() else None


def render_demo_body(file: Path, *, today: date, base_url: str = "") -> bytes:
    """The bytes served for a demo file: rendered, and with CRLF line ends for iCalendar."""
    text = file.read_text(encoding="utf-8").replace(BASE_URL_MARK, base_url.rstrip("/"))
    text = render_demo_file(text, today=today)
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
        file = (find_demo_api_page(self.server.directory, self.path)
                or find_demo_file(self.server.directory, self.path))
        if file is None:
            return self._send(404, b"Not found\n", "text/plain; charset=utf-8", send_body)
        try:
            body = render_demo_body(file, today=self.server.today_func(),
                                    base_url=self._base_url())
        except (AgendaError, OSError, UnicodeDecodeError) as e:
            log.error("demo file %s cannot be rendered: %s", file.name, e)
            return self._send(500, b"Demo file cannot be rendered\n", "text/plain", send_body)
        etag = etag_of(body)
        if etag_matches(self.headers.get("If-None-Match"), etag):
            return self._send(304, b"", None, send_body, etag=etag)
        self._send(200, body, CONTENT_TYPES.get(file.suffix, JSON_CONTENT_TYPE), send_body,
                   etag=etag)

    def _base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

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
