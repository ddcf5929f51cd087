"""iCalendar feeds served on loopback by the test itself, whose content the test changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    title: str
    start: datetime  # UTC
    location: str = "Maison des associations, 12 rue Bannier, 45000 Orléans"
    description: str = ""


def ical(events: list[FeedEvent]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests.deploy//FR"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}",
                  f"DTSTAMP:{event.start:%Y%m%dT%H%M%SZ}",
                  f"DTSTART:{event.start:%Y%m%dT%H%M%SZ}", f"SUMMARY:{event.title}",
                  f"LOCATION:{event.location.replace(',', chr(92) + ',')}"]
        if event.description:
            lines.append(f"DESCRIPTION:{event.description}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


class FeedServer:
    """``set(path, events)`` then the feed is at ``url(path)``; unknown paths are 404."""

    def __init__(self) -> None:
        self._bodies: dict[str, bytes] = {}
        self._lock = threading.Lock()
        bodies, lock = self._bodies, self._lock

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with lock:
                    body = bodies.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "FeedServer":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def set(self, path: str, events: list[FeedEvent]) -> None:
        with self._lock:
            self._bodies[path] = ical(events)
