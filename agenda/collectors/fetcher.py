"""The only place that does HTTP: download one source, safely.

``fetch`` follows redirects itself and re-checks every hop with the address guard; it connects
only to an address the guard has just approved (the name is resolved once per connection, so a
DNS answer cannot change between the check and the connect); it streams the body under a byte
cap measured after gzip/deflate decoding; and it stops at an overall deadline even when a server
trickles its headers or body, by cutting the connection when the deadline passes.  Every failure
is a :class:`~agenda.errors.FetchError` with a stable code.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from http import HTTPStatus
from typing import Mapping
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from agenda.collectors.address_guard import check_url
from agenda.collectors.conditional import conditional_headers, validators_after
from agenda.collectors.pinned_transport import Deadline, GuardedAdapter
from agenda.collectors.transport_errors import transport_error
from agenda.errors import FetchError

ACCEPT = ("text/calendar, application/rss+xml, application/atom+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
_TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 10.0
    total_timeout: float = 60.0  # overall deadline, enforced while reading too
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False  # AGENDA_ALLOW_PRIVATE_URLS=1 (tests and demo only)
    user_agent: str = "AgendaCommun/0.1 (+https://github.com/agenda-commun)"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int  # 200 (or another 2xx) or 304
    body: bytes | None  # None on 304
    content_type: str | None  # full header value, e.g. "text/calendar; charset=utf-8"
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(url: str, *, policy: FetchPolicy, etag: str | None = None,
          last_modified: str | None = None,
          headers: Mapping[str, str] | None = None) -> FetchResult:
    """Download ``url`` under ``policy``; raise FetchError for anything that goes wrong.

    ``headers`` are added to the request (an API's ``Accept``, its key): they go only to the
    origin of ``url``; a redirect to another origin is followed without them.
    """
    extra = dict(headers or {})
    base = {**requests.utils.default_headers(), "User-Agent": policy.user_agent,
            "Accept": ACCEPT, **conditional_headers(etag, last_modified)}
    with (Deadline(policy.total_timeout) as deadline,
          contextlib.closing(GuardedAdapter(policy.allow_private, deadline)) as adapter):
        response = _follow_redirects(adapter, url, _Headers(base, extra, _origin(url)), policy,
                                     deadline)
        with response:
            _refuse_error_status(response)
            body = None if response.status_code == 304 else _read_body(response, policy, deadline)
            new_etag, new_last_modified = validators_after(
                response.status_code, response.headers, etag=etag, last_modified=last_modified)
            return FetchResult(url=response.url, status=response.status_code, body=body,
                               content_type=response.headers.get("Content-Type"),
                               etag=new_etag, last_modified=new_last_modified)


@dataclass
class _Headers:
    """The request's headers: the extra ones only as long as the redirects stay on their own
    origin (once they left it, never again: a hop back may be the other site's choice)."""

    base: dict[str, str]
    extra: dict[str, str]
    origin: tuple

    def for_url(self, url: str) -> dict[str, str]:
        if self.extra and _origin(url) != self.origin:
            self.extra = {}
        return {**self.base, **self.extra}


def _origin(url: str) -> tuple:
    try:
        parts = urlsplit(url)
        return (parts.scheme.lower(), (parts.hostname or "").lower(),
                parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower()))
    except ValueError:
        return ("", "", None)


def _follow_redirects(adapter: HTTPAdapter, url: str, headers: _Headers,
                      policy: FetchPolicy, deadline: Deadline) -> requests.Response:
    visited: set[str] = set()
    for _hop in range(policy.max_redirects + 1):
        check_url(url)
        visited.add(urldefrag(url).url)
        response = _get(adapter, url, headers.for_url(url), policy, deadline)
        if response.status_code not in REDIRECT_STATUSES:
            return response
        response.close()
        url = _redirect_target(response, url, visited)
    raise FetchError(f"The address redirected more than {policy.max_redirects} times; "
                     "collection was stopped.", code="fetch.redirects", variant="too_many",
                     url=url, count=policy.max_redirects)


def _get(adapter: HTTPAdapter, url: str, headers: dict[str, str], policy: FetchPolicy,
         deadline: Deadline) -> requests.Response:
    """One request, straight through the adapter.

    Not through a ``requests.Session``: even with ``allow_redirects=False`` it reads the whole
    body of a redirect, with no size cap; it would also take proxies and .netrc from the
    environment, around the guard.
    """
    remaining = deadline.remaining()
    try:
        request = requests.Request("GET", url, headers=headers).prepare()
        return adapter.send(request, stream=True,
                            timeout=(min(policy.connect_timeout, remaining), remaining))
    except FetchError as error:  # from the guard, which only knows the host
        error.data.setdefault("url", url)
        raise
    except _TRANSPORT_ERRORS as error:
        raise _transport_error(error, url, deadline) from error


def _redirect_target(response: requests.Response, url: str, visited: set[str]) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(f"The server answered with a redirect (HTTP {response.status_code}) "
                         "but did not say where to.", code="fetch.redirects",
                         variant="no_location", url=url, status=response.status_code)
    try:  # headers arrive as latin-1; servers mean UTF-8 (as requests itself assumes)
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    try:
        target = urljoin(url, location)
    except ValueError as error:  # e.g. "http://[::1/"
        raise FetchError(f"The server redirected to {location}, which is not a valid web address.",
                         code="fetch.scheme", variant="redirect", url=url,
                         location=location) from error
    if urldefrag(target).url in visited:
        raise FetchError(f"The address redirects in a loop (back to {target}).",
                         code="fetch.redirects", variant="loop", url=target)
    return target


def _refuse_error_status(response: requests.Response) -> None:
    status = response.status_code
    if 200 <= status < 300 or status == 304:
        return
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        raise FetchError(f"The server answered HTTP {status}.", code="fetch.http_status",
                         variant="unknown", status=status, url=response.url) from None
    raise FetchError(f"The server answered HTTP {status} ({reason}).", code="fetch.http_status",
                     status=status, reason=reason, url=response.url)


def _read_body(response: requests.Response, policy: FetchPolicy, deadline: Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(policy.max_bytes, response.url)
    body = bytearray()
    try:
        for chunk in response.iter_content(CHUNK_SIZE):  # decoded bytes
            body += chunk
            if len(body) > policy.max_bytes:
                raise _too_large(policy.max_bytes, response.url)
            deadline.remaining()
    except _TRANSPORT_ERRORS as error:
        raise _transport_error(error, response.url, deadline) from error
    deadline.remaining()  # a body cut by the deadline can look like a normal end
    return bytes(body)


def _transport_error(error: BaseException, url: str, deadline: Deadline) -> FetchError:
    if deadline.expired:
        return deadline.error()
    return transport_error(error, url)


def _too_large(max_bytes: int, url: str) -> FetchError:
    return FetchError(f"The file is larger than the {_readable_size(max_bytes)} limit.",
                      code="fetch.too_large", max_bytes=max_bytes, url=url)


def _readable_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"
