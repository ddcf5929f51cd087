"""What went wrong on the wire, in words: one sentence and one stable code per kind of failure.

The libraries under the fetcher wrap the real cause several times (``requests.ConnectionError``
around urllib3's ``ProtocolError`` around ``http.client``'s ``BadStatusLine``...), and most of
them look alike from the outside; this module digs out the cause so that a server sending 5,000
headers, one speaking something else than HTTP, a TLS failure, a refused connection and a reset
are each told apart.
"""

from __future__ import annotations

import http.client
import ssl
from urllib.parse import urlsplit

import requests
import urllib3

from agenda.errors import FetchError

TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
TLS_ERRORS = (requests.exceptions.SSLError, urllib3.exceptions.SSLError, ssl.SSLError)


def transport_error(error: BaseException, url: str) -> FetchError:
    """The FetchError that says what ``error`` (raised by requests or urllib3) means."""
    host = urlsplit(url).hostname or url
    if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
        return FetchError(f"The address {url} is not a valid web address.",
                          code="fetch.scheme", variant="invalid", url=url)
    if _cause(error, TIMEOUTS):
        return FetchError(f"The server {host} stopped answering for too long.",
                          code="fetch.timeout", host=host, url=url)
    if tls := _cause(error, TLS_ERRORS):
        return tls_error(tls, host, url)
    if protocol := _cause(error, (http.client.HTTPException,)):
        return protocol_error(protocol, host, url)
    if _cause(error, (ConnectionResetError, BrokenPipeError)):
        return FetchError(f"The server {host} reset the connection before answering in full.",
                          code="fetch.reset", host=host, url=url)
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return FetchError(f"The answer from {host} could not be decoded.",
                          code="fetch.bad_response", variant="decoding", host=host, url=url)
    return connect_failed(host)


def tls_error(error: BaseException, host: str, url: str) -> FetchError:
    if isinstance(error, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(error):
        return FetchError(f"The secure connection to {host} was refused: its certificate could "
                          "not be verified (expired, self-signed, or issued for another name).",
                          code="fetch.tls_certificate", host=host, url=url)
    return FetchError(f"The secure connection to {host} failed during the handshake: the server "
                      "does not speak HTTPS on this port, or not a version we accept.",
                      code="fetch.tls", host=host, url=url)


def protocol_error(error: http.client.HTTPException, host: str, url: str) -> FetchError:
    """A server that answered, but not with well-formed HTTP."""
    if isinstance(error, http.client.RemoteDisconnected):  # before BadStatusLine: a subclass
        return FetchError(f"The server {host} closed the connection without answering.",
                          code="fetch.no_answer", host=host, url=url)
    if isinstance(error, http.client.IncompleteRead):
        return FetchError(f"The server {host} closed the connection before sending the whole "
                          "file.", code="fetch.truncated", host=host, url=url)
    if isinstance(error, http.client.BadStatusLine):
        return FetchError(f"The server {host} did not answer in HTTP (it may be another kind of "
                          "service on this port).", code="fetch.not_http", host=host, url=url)
    if "more than" in str(error) and "headers" in str(error):  # "got more than 100 headers"
        return FetchError(f"The server {host} sent too many headers; the answer was refused.",
                          code="fetch.too_many_headers", host=host, url=url)
    if isinstance(error, http.client.LineTooLong):
        return FetchError(f"The server {host} sent a header line that is too long; the answer "
                          "was refused.", code="fetch.header_too_long", host=host, url=url)
    return FetchError(f"The server {host} sent an answer that is not valid HTTP.",
                      code="fetch.bad_response", host=host, url=url)


def connect_error(error: OSError | None, host: str) -> FetchError:
    """A connection that could not be opened (the address was allowed)."""
    if isinstance(error, ConnectionRefusedError):
        return FetchError(f"The server {host} refused the connection (nothing accepts "
                          "connections on that port).", code="fetch.refused", host=host)
    if isinstance(error, ConnectionResetError):
        return FetchError(f"The server {host} reset the connection while it was being opened.",
                          code="fetch.reset", variant="opening", host=host)
    return connect_failed(host)


def connect_failed(host: str) -> FetchError:
    return FetchError(f"Could not connect to {host}: the server or its network is unreachable.",
                      code="fetch.connect", host=host)


def _cause(error: BaseException, kinds: tuple[type, ...]) -> BaseException | None:
    """``error`` or the first thing it wraps (cause, context, reason, args) that is one of
    ``kinds``; None when there is none."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop(0)
        if isinstance(current, kinds):
            return current
        seen.add(id(current))
        wrapped = (current.__cause__, current.__context__, getattr(current, "reason", None),
                   *current.args)
        pending += [e for e in wrapped if isinstance(e, BaseException) and id(e) not in seen]
    return None
