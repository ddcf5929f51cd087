"""Concurrent HTTP clients for ``benchmarks/load.py``: threads, each with its own keep-alive
``http.client`` connection (reopened when the server closes it, as gunicorn's sync workers do),
asking URLs for a fixed time; latencies and statuses counted per phase."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Callable
from urllib.parse import quote

REQUEST_TIMEOUT = 120.0  # above gunicorn's 30 s worker timeout: a killed worker is an error
# Words of the generated titles and categories (agenda/cli/sample_events.py, generate_ics.py)
SEARCH_WORDS = ["atelier", "réemploi", "coopératives", "vélo", "compostage", "solidaire",
                "jardin", "forum"]


@dataclass
class PhaseResult:
    label: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the answered requests, seconds
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    received_bytes: int = 0

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    @property
    def limited(self) -> int:
        return self.statuses[429]

    @property
    def errors(self) -> int:
        """Answers other than 2xx, 304 and 429, plus connections refused, reset or timed out."""
        bad = sum(n for status, n in self.statuses.items()
                  if not (200 <= status < 300 or status in (304, 429)))
        return bad + self.connection_errors

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    def merge(self, other: "PhaseResult") -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.connection_errors += other.connection_errors
        self.received_bytes += other.received_bytes


def run_phase(port: int, label: str, next_path: Callable[[], str], *, clients: int,
              seconds: float, address: Callable[[int], str] | None = None) -> PhaseResult:
    """``clients`` threads ask ``next_path()`` back to back for ``seconds``; the k-th one
    says it is ``address(k)`` (X-Forwarded-For; default: one address per thread)."""
    address = address or visitor_address
    results = [PhaseResult(label, clients) for _ in range(clients)]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, next_path, partial(address, k),
                                                      deadline, result), daemon=True)
               for k, result in enumerate(results)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 10)
    total = PhaseResult(label, clients, seconds=time.monotonic() - began)
    for result in results:
        total.merge(result)
    return total


def _client(port: int, next_path: Callable[[], str], address: Callable[[], str],
            deadline: float, result: PhaseResult) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    while time.monotonic() < deadline:
        path = next_path()
        headers = {"User-Agent": "agenda-load-bench", "X-Forwarded-For": address()}
        began = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            result.connection_errors += 1
            connection.close()
            time.sleep(0.05)
            continue
        result.latencies.append(time.perf_counter() - began)
        result.statuses[response.status] += 1
        result.received_bytes += len(body)
    connection.close()


def visitor_address(k: int) -> str:
    """Each client thread is one visitor (documentation addresses, RFC 5737)."""
    return f"198.51.{100 + k // 250}.{1 + k % 250}"


def rotating_addresses() -> Callable[[int], str]:
    """A new address on every request: an attacker spread over many addresses, whom
    per-address rate limits cannot hold back."""
    counter = itertools.count()

    def address(_k: int) -> str:
        n = next(counter)
        return f"10.{n // 62500 % 250}.{n // 250 % 250}.{1 + n % 250}"

    return address


def constant(path: str) -> Callable[[], str]:
    return lambda: path


def search_paths() -> Callable[[], str]:
    """``/?q=<word>``, the words in turn."""
    words = itertools.cycle(SEARCH_WORDS)
    return lambda: f"/?q={quote(next(words))}"


def cache_busting_paths(today: date) -> Callable[[], str]:
    """``/calendar.ics?from=<a new day each time>`` (then new ``to`` days): every request a
    filter string never asked before."""
    counter = itertools.count()

    def next_path() -> str:
        n = next(counter)
        start = today + timedelta(days=n % 400)
        if n < 400:
            return f"/calendar.ics?from={start:%Y-%m-%d}"
        end = today + timedelta(days=400 + n // 400)
        return f"/calendar.ics?from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"

    return next_path
