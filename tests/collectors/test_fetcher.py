"""The fetcher: what a collector can rely on when it downloads a source."""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import zlib

import pytest

from agenda.collectors import address_guard
from agenda.collectors.fetcher import FetchPolicy, fetch
from agenda.errors import FetchError

LOCAL = FetchPolicy(connect_timeout=0.5, total_timeout=3.0, allow_private=True)
QUICK = dataclasses.replace(LOCAL, total_timeout=0.5)  # for the tests that wait for a timeout
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"


def fetch_error(url: str, policy: FetchPolicy = LOCAL, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy, **kwargs)
    return caught.value


class RawServer:
    """A tiny threaded TCP server: ``respond(conn, request, stopping)`` writes whatever it likes."""

    def __init__(self, respond):
        self.respond = respond
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with conn:
            try:
                self.respond(conn, conn.recv(65536), self.stopping)
            except OSError:
                pass  # the client hung up: that is what most tests want

    def close(self):
        self.stopping.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(respond) -> str:
        servers.append(RawServer(respond))
        return f"http://127.0.0.1:{servers[-1].port}/agenda.ics"

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def listener():
    """A bare listening socket, to prove that nothing connected to it."""
    sockets = []

    def listen(host="127.0.0.1") -> socket.socket:
        sockets.append(socket.create_server((host, 0)))
        return sockets[-1]

    yield listen
    for sock in sockets:
        sock.close()


def assert_nobody_connected(sock: socket.socket):
    sock.setblocking(False)
    with pytest.raises(BlockingIOError):
        sock.accept()


def trickle(head: bytes, drip: bytes):
    """A response that sends ``head`` then ``drip`` every 50 ms, forever."""
    def respond(conn, request, stopping):
        conn.sendall(head)
        while not stopping.wait(0.05):
            conn.sendall(drip)
    return respond


def silent(conn, request, stopping):
    stopping.wait(10)


# -- answers -------------------------------------------------------------------------------------

def test_a_calendar_comes_back_with_its_headers(httpserver):
    httpserver.expect_request("/agenda.ics").respond_with_data(
        ICS, content_type="text/calendar; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": LAST_MODIFIED})
    result = fetch(httpserver.url_for("/agenda.ics"), policy=LOCAL)
    assert (result.status, result.body, result.not_modified) == (200, ICS, False)
    assert result.url == httpserver.url_for("/agenda.ics")
    assert result.content_type == "text/calendar; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)


def test_the_request_says_who_we_are_and_prefers_calendars_and_feeds(httpserver):
    httpserver.expect_request("/agenda.ics").respond_with_data(ICS)
    fetch(httpserver.url_for("/agenda.ics"), policy=LOCAL)
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == LOCAL.user_agent
    assert request.headers["Accept"].startswith("text/calendar, application/rss+xml")
    assert "*/*;q=0.1" in request.headers["Accept"]


def test_a_wrong_content_type_is_still_returned(httpserver):
    httpserver.expect_request("/agenda").respond_with_data(b"<html>", content_type="text/html")
    result = fetch(httpserver.url_for("/agenda"), policy=LOCAL)
    assert (result.body, result.content_type) == (b"<html>", "text/html")


@pytest.mark.parametrize("encoding, compress", [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_compressed_bodies_are_decoded(httpserver, encoding, compress):
    httpserver.expect_request("/agenda.ics").respond_with_data(
        compress(ICS), headers={"Content-Encoding": encoding})
    assert fetch(httpserver.url_for("/agenda.ics"), policy=LOCAL).body == ICS


@pytest.mark.parametrize("sent, request_header", [
    ({"etag": '"v1"'}, ("If-None-Match", '"v1"')),
    ({"last_modified": LAST_MODIFIED}, ("If-Modified-Since", LAST_MODIFIED)),
])
def test_an_unchanged_source_answers_304_without_a_body(httpserver, sent, request_header):
    name, value = request_header
    httpserver.expect_request("/agenda.ics", headers={name: value}).respond_with_data(status=304)
    result = fetch(httpserver.url_for("/agenda.ics"), policy=LOCAL, **sent)
    assert (result.status, result.body, result.not_modified) == (304, None, True)
    assert (result.etag, result.last_modified) == (sent.get("etag"), sent.get("last_modified"))


@pytest.mark.parametrize("status, message", [
    (404, "The server answered HTTP 404 (Not Found)."),
    (410, "The server answered HTTP 410 (Gone)."),
    (500, "The server answered HTTP 500 (Internal Server Error)."),
    (599, "The server answered HTTP 599."),
])
def test_an_error_status_is_a_fetch_error(httpserver, status, message):
    httpserver.expect_request("/agenda.ics").respond_with_data("oops", status=status)
    error = fetch_error(httpserver.url_for("/agenda.ics"))
    assert (error.code, error.data["status"], error.message) == ("fetch.http_status", status, message)


# -- network failures ----------------------------------------------------------------------------

def test_a_refused_connection_says_it_was_refused():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again: nothing listens there any more
    error = fetch_error(f"http://127.0.0.1:{port}/agenda.ics")
    assert error.code == "fetch.refused"
    assert error.message == ("The server 127.0.0.1 refused the connection (nothing accepts "
                             "connections on that port).")


def many_headers(conn, request, stopping):
    conn.sendall(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Header-%d: 1\r\n" % n for n in range(5000))
                 + b"\r\n" + ICS)


def not_http(conn, request, stopping):
    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\x00\x01\x02\r\n\r\n")


def hang_up(conn, request, stopping):
    pass  # the connection closes without a byte


def reset(conn, request, stopping):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close


def cut_short(conn, request, stopping):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nBEGIN:VCALENDAR\r\n")


def long_header_line(conn, request, stopping):
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n")


@pytest.mark.parametrize("respond, code, message", [
    (many_headers, "fetch.too_many_headers",
     "The server 127.0.0.1 sent too many headers; the answer was refused."),
    (not_http, "fetch.not_http", "The server 127.0.0.1 did not answer in HTTP (it may be another "
                                 "kind of service on this port)."),
    (hang_up, "fetch.no_answer", "The server 127.0.0.1 closed the connection without answering."),
    (reset, "fetch.reset", "The server 127.0.0.1 reset the connection before answering in full."),
    (cut_short, "fetch.truncated", "The server 127.0.0.1 closed the connection before sending "
                                   "the whole file."),
    (long_header_line, "fetch.header_too_long", "The server 127.0.0.1 sent a header line that "
                                                "is too long; the answer was refused."),
])
def test_a_broken_answer_says_what_was_wrong(raw_server, respond, code, message):
    error = fetch_error(raw_server(respond))
    assert (error.code, error.message) == (code, message)
    assert "refused or dropped" not in error.message


def test_a_connection_that_is_never_accepted_times_out(listener):
    full = listener()
    full.listen(0)
    port = full.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port)):  # fills the backlog: the next SYN hangs
        started = time.monotonic()
        error = fetch_error(f"http://127.0.0.1:{port}/", dataclasses.replace(LOCAL, connect_timeout=0.3))
    assert error.code == "fetch.timeout"
    assert error.message == "The server 127.0.0.1 did not accept the connection within 0.3 seconds."
    assert time.monotonic() - started < 1.0


def test_an_unknown_server_name_is_a_dns_error(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(address_guard.socket, "getaddrinfo", unknown)
    error = fetch_error("https://nowhere.example/agenda.ics")
    assert (error.code, error.data["url"]) == ("fetch.dns", "https://nowhere.example/agenda.ics")


def test_a_server_that_does_not_speak_https_is_a_tls_handshake_error(httpserver):
    error = fetch_error(f"https://127.0.0.1:{httpserver.port}/agenda.ics")
    assert error.code == "fetch.tls"
    assert error.message.startswith("The secure connection to 127.0.0.1 failed during the "
                                    "handshake")


@pytest.mark.parametrize("respond", [
    pytest.param(silent, id="no headers at all"),
    pytest.param(trickle(b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"), id="trickling headers"),
    pytest.param(trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"x"),
                 id="trickling body with a length"),
    pytest.param(trickle(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\nx\r\n"),
                 id="trickling chunked body"),
    pytest.param(trickle(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", b"x"),
                 id="trickling body until close"),
])
def test_a_slow_server_is_stopped_at_the_deadline(raw_server, respond):
    url = raw_server(respond)
    started = time.monotonic()
    error = fetch_error(url, QUICK)
    elapsed = time.monotonic() - started
    assert error.code == "fetch.timeout"
    assert error.message == "The download took longer than 0.5 seconds and was stopped."
    assert QUICK.total_timeout <= elapsed < QUICK.total_timeout + 0.5


# -- size cap ------------------------------------------------------------------------------------

def test_a_declared_size_above_the_cap_is_refused_before_reading(httpserver):
    httpserver.expect_request("/big.ics").respond_with_data(b"x" * 2000)
    error = fetch_error(httpserver.url_for("/big.ics"), dataclasses.replace(LOCAL, max_bytes=1000))
    assert (error.code, error.data["max_bytes"]) == ("fetch.too_large", 1000)
    assert error.message == "The file is larger than the 1000 bytes limit."


def test_an_endless_body_is_stopped_at_the_cap(raw_server):
    url = raw_server(trickle(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", b"x" * 65536))
    started = time.monotonic()
    error = fetch_error(url, dataclasses.replace(LOCAL, max_bytes=100_000))
    assert error.code == "fetch.too_large"
    assert time.monotonic() - started < 0.5  # a few chunks, not the deadline


def test_a_gzip_bomb_is_measured_after_decoding(httpserver):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # about 20 KB on the wire
    httpserver.expect_request("/bomb.ics").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"})
    error = fetch_error(httpserver.url_for("/bomb.ics"),
                        dataclasses.replace(LOCAL, max_bytes=1024 * 1024))
    assert error.code == "fetch.too_large"
    assert error.message == "The file is larger than the 1 MB limit."


# -- redirects -----------------------------------------------------------------------------------

def redirect(httpserver, path: str, location: str | None, status: int = 302):
    headers = {"Location": location} if location is not None else {}
    httpserver.expect_request(path).respond_with_data(status=status, headers=headers)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_followed_to_the_final_url(httpserver, status):
    redirect(httpserver, "/old.ics", "/new.ics", status)
    httpserver.expect_request("/new.ics").respond_with_data(ICS)
    result = fetch(httpserver.url_for("/old.ics"), policy=LOCAL)
    assert (result.body, result.url) == (ICS, httpserver.url_for("/new.ics"))


@pytest.mark.parametrize("location, final_path", [
    ("../new/agenda.ics", "/feeds/new/agenda.ics"),
    ("agenda2.ics?year=2026", "/feeds/old/agenda2.ics"),
    ("/elsewhere.ics", "/elsewhere.ics"),
    ("ag%C3%A9nda.ics", "/feeds/old/agénda.ics"),
])
def test_a_relative_redirect_is_resolved_against_the_current_url(httpserver, location, final_path):
    redirect(httpserver, "/feeds/old/agenda.ics", location)
    httpserver.expect_request(final_path).respond_with_data(ICS)
    result = fetch(httpserver.url_for("/feeds/old/agenda.ics"), policy=LOCAL)
    assert result.body == ICS


def test_a_redirect_to_a_non_ascii_path_is_followed(raw_server):
    """Servers send UTF-8 in Location although headers are latin-1; requests does the same."""
    def respond(conn, request, stopping):
        if request.startswith(b"GET /agenda.ics "):
            conn.sendall("HTTP/1.1 302 Found\r\nLocation: /été.ics\r\nConnection: close\r\n"
                         "Content-Length: 0\r\n\r\n".encode())
        elif request.startswith(b"GET /%C3%A9t%C3%A9.ics "):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(ICS), ICS))
    result = fetch(raw_server(respond), policy=LOCAL)
    assert (result.url.rsplit("/", 1)[1], result.body) == ("%C3%A9t%C3%A9.ics", ICS)


def test_the_body_of_a_redirect_is_not_downloaded(raw_server):
    def respond(conn, request, stopping):
        if request.startswith(b"GET /agenda.ics "):
            conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /moved.ics\r\nConnection: close\r\n\r\n")
            while not stopping.is_set():
                conn.sendall(b"x" * 65536)  # endless, and never counted against the cap
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(ICS), ICS))
    started = time.monotonic()
    assert fetch(raw_server(respond), policy=LOCAL).body == ICS
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("redirects, succeeds", [(5, True), (6, False)])
def test_at_most_five_redirects_are_followed(httpserver, redirects, succeeds):
    for hop in range(redirects):
        redirect(httpserver, f"/hop{hop}", f"/hop{hop + 1}")
    httpserver.expect_request(f"/hop{redirects}").respond_with_data(ICS)
    if succeeds:
        assert fetch(httpserver.url_for("/hop0"), policy=LOCAL).body == ICS
    else:
        assert fetch_error(httpserver.url_for("/hop0")).code == "fetch.redirects"
        assert len(httpserver.log) == 6  # the last target was never asked for


def test_a_redirect_loop_is_refused(httpserver):
    redirect(httpserver, "/a.ics", "/b.ics")
    redirect(httpserver, "/b.ics", "/a.ics")
    error = fetch_error(httpserver.url_for("/a.ics"))
    assert error.code == "fetch.redirects"
    assert "loop" in error.message
    assert len(httpserver.log) == 2


def test_a_redirect_without_location_is_refused(httpserver):
    redirect(httpserver, "/agenda.ics", None)
    error = fetch_error(httpserver.url_for("/agenda.ics"))
    assert error.code == "fetch.redirects"
    assert error.message == "The server answered with a redirect (HTTP 302) but did not say where to."


# -- addresses that must never be reached --------------------------------------------------------

PUBLIC_ONLY = dataclasses.replace(LOCAL, allow_private=False)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/agenda.ics",
    "http://0x7f000001:{port}/",
    "http://2130706433:{port}/",
    "http://127.1:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "https://127.0.0.1:{port}/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1:8080/",
    "http://[fd00:ec2::254]/",
])
def test_private_and_local_addresses_are_refused_before_connecting(listener, url):
    server = listener()
    error = fetch_error(url.format(port=server.getsockname()[1]), PUBLIC_ONLY)
    assert error.code == "fetch.forbidden_address"
    assert "only public addresses can be collected" in error.message
    assert_nobody_connected(server)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "ftp://example.org/agenda.ics",
    "gopher://127.0.0.1:6379/_INFO",
    "example.org/agenda.ics",
])
def test_other_schemes_are_refused(url):
    assert fetch_error(url, PUBLIC_ONLY).code == "fetch.scheme"


@pytest.mark.parametrize("target", [
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "http://[::1/",
])
def test_a_redirect_to_something_else_than_a_web_address_is_refused(raw_server, target):
    def respond(conn, request, stopping):
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {target}\r\n"
                     "Connection: close\r\nContent-Length: 0\r\n\r\n".encode())
    assert fetch_error(raw_server(respond)).code == "fetch.scheme"


@pytest.fixture
def loopback_counts_as_public(monkeypatch):
    """Let 127.0.0.1 stand for a public server, so that only later hops meet the real check."""
    real_check = address_guard.is_public_address
    monkeypatch.setattr(address_guard, "is_public_address",
                        lambda address: address == "127.0.0.1" or real_check(address))


@pytest.mark.parametrize("target", [
    "http://127.0.0.2:{port}/",
    "http://10.0.0.1/agenda.ics",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
])
def test_a_redirect_to_a_private_address_is_refused_at_that_hop(
        httpserver, listener, loopback_counts_as_public, target):
    inside = listener("127.0.0.2")
    target = target.format(port=inside.getsockname()[1])
    redirect(httpserver, "/agenda.ics", target)
    error = fetch_error(f"http://127.0.0.1:{httpserver.port}/agenda.ics", PUBLIC_ONLY)
    assert (error.code, error.data["url"]) == ("fetch.forbidden_address", target)
    assert len(httpserver.log) == 1
    assert_nobody_connected(inside)


@pytest.fixture
def rebinding_dns(monkeypatch, loopback_counts_as_public):
    """agenda.example first resolves to 127.0.0.1 (standing for a public server), then to 10.0.0.1.

    Returns the list of lookups made for that name.
    """
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["10.0.0.1"] * 5)
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        if host != "agenda.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    return lookups


def test_the_checked_address_is_the_one_connected_to(httpserver, rebinding_dns):
    httpserver.expect_request("/agenda.ics").respond_with_data(ICS)
    result = fetch(f"http://agenda.example:{httpserver.port}/agenda.ics", policy=PUBLIC_ONLY)
    assert result.body == ICS
    assert rebinding_dns == ["agenda.example"]  # resolved once, checked, connected by address
    request, _ = httpserver.log[0]
    assert request.headers["Host"] == f"agenda.example:{httpserver.port}"


@pytest.fixture
def self_signed_certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=agenda.example", "-addext", "subjectAltName=DNS:agenda.example",
                    "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
                   check=True, capture_output=True)
    return tmp_path / "cert.pem", tmp_path / "key.pem"


def test_https_to_a_checked_address_still_presents_and_verifies_the_name(
        rebinding_dns, self_signed_certificate):
    server_names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed_certificate)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))

    def handshake():
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            context.wrap_socket(conn, server_side=True)

    thread = threading.Thread(target=handshake, daemon=True)
    thread.start()
    with listener:
        error = fetch_error(f"https://agenda.example:{listener.getsockname()[1]}/", PUBLIC_ONLY)
        thread.join()
    assert error.code == "fetch.tls_certificate"  # a self-signed certificate is not trusted
    assert "certificate could not be verified" in error.message
    assert server_names == ["agenda.example"]  # SNI carries the name, not 127.0.0.1
