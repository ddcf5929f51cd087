"""The guarded transport under the fetcher: an overall deadline, and connections that open only
to an address the address guard has just approved (the name is resolved once per connection,
so a DNS answer cannot change between the check and the connect).

It plugs into urllib3 through ``_new_conn``, a private method: re-check on urllib3 upgrades.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from dataclasses import dataclass

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.connection import create_connection

from agenda.collectors.address_guard import allowed_addresses
from agenda.collectors.transport_errors import connect_error
from agenda.errors import FetchError


class Deadline:
    """The overall time limit of one fetch; when it passes, the open connections are cut."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut_connections)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._ends_at

    def remaining(self) -> float:
        """Seconds left; raises the ``fetch.timeout`` error once there are none."""
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise self.error()
        return left

    def error(self) -> FetchError:
        return FetchError(f"The download took longer than {self.seconds:g} seconds and was stopped.",
                          code="fetch.timeout", variant="download", seconds=self.seconds)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _cut_connections(self) -> None:
        # Shut down rather than close: it wakes a read blocked in another thread.  Called on the
        # plain socket class so that a TLS socket keeps its state for the reader to fail cleanly.
        with self._lock:
            for sock in self._sockets:
                try:
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed


@dataclass(frozen=True)
class _GuardedOpener:
    """Opens sockets for urllib3: resolve once, check every address, connect to a checked one."""

    allow_private: bool
    deadline: Deadline

    def open(self, host: str, port: int, timeout: float | None, **socket_kwargs) -> socket.socket:
        addresses = allowed_addresses(host, port, allow_private=self.allow_private)
        failure: OSError | None = None
        for address in addresses:
            limit = min(timeout or self.deadline.seconds, self.deadline.remaining())
            try:
                sock = create_connection((address, port), limit, **socket_kwargs)
            except OSError as error:
                failure = error
                continue
            self.deadline.watch(sock)
            return sock
        raise self._connect_error(host, limit, failure) from failure

    def _connect_error(self, host: str, limit: float, failure: OSError | None) -> FetchError:
        if self.deadline.expired:
            return self.deadline.error()
        if isinstance(failure, TimeoutError):
            return FetchError(f"The server {host} did not accept the connection within "
                              f"{limit:g} seconds.", code="fetch.timeout", variant="connect",
                              host=host, seconds=limit)
        return connect_error(failure, host)


class _GuardedConnectionMixin:
    """A urllib3 connection whose socket comes from the guarded opener.

    ``host`` stays the server's name, so the Host header, TLS SNI and certificate checks use it.
    """

    def __init__(self, *args, opener: _GuardedOpener, **kwargs):
        super().__init__(*args, **kwargs)
        self._opener = opener

    def _new_conn(self) -> socket.socket:
        return self._opener.open(self.host, self.port, self.timeout,
                                 source_address=self.source_address,
                                 socket_options=self.socket_options)


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections all open through one guarded opener."""

    def __init__(self, allow_private: bool, deadline: Deadline):
        self._opener = _GuardedOpener(allow_private, deadline)
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": functools.partial(_GuardedHTTPPool, opener=self._opener),
            "https": functools.partial(_GuardedHTTPSPool, opener=self._opener),
        }

