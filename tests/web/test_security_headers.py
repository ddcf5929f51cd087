"""Every answer carries the security headers: pages, error pages of unknown routes, static files,
the health check, the API's and the feeds' 400s, 401, 413, 429; stricter values set by a part of
the site are kept; Strict-Transport-Security when the site is served over HTTPS."""

from __future__ import annotations

import pytest

from agenda.web import create_app
from agenda.web.shared import dates
from agenda.web.shared.headers import CONTENT_SECURITY_POLICY
from tests.web.pages import NOW
from tests.web.staff import accounts, sign_in

__all__ = ["accounts"]  # the fixture, imported for the tests below

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
BIG_BODY = b"title=" + b"x" * (9 * 1024 * 1024)  # over the 8 MB cap of any request (5 MB image)

ANSWERS = [
    # (method, url, status), each with nothing special about it but the status
    ("GET", "/", 200),
    ("GET", "/no-such-page", 404),
    ("GET", "/static/no-such-file.css", 404),
    ("POST", "/healthz", 405),
    ("DELETE", "/calendar.ics", 405),
    ("GET", "/static/agenda.css", 200),
    ("GET", "/healthz", 200),
    ("GET", "/api/events?from=bad", 400),
    ("GET", "/api/no-such-thing", 404),
    ("GET", "/api/events", 200),
    ("GET", "/calendar.ics?from=bad", 400),
    ("GET", "/feed.atom?from=bad", 400),
    ("GET", "/calendar.ics", 200),
    ("GET", "/evenements/0000", 404),
    ("GET", "/admin/", 302),
    ("POST", "/admin/logout", 400),  # no CSRF token
    ("POST", "/admin/login", 413),
    ("POST", "/submit", 413),
]


@pytest.mark.parametrize("method, url, status", ANSWERS)
def test_every_answer_carries_the_security_headers(client, calendar, method, url, status):
    body = BIG_BODY if status == 413 else None
    response = client.open(url, method=method, data=body,
                           content_type="application/x-www-form-urlencoded" if body else None)
    assert response.status_code == status
    for name, value in EXPECTED.items():
        assert name in response.headers, (url, name)
        if name != "Referrer-Policy":  # some pages are stricter (below)
            assert response.headers[name] == value, (url, name)
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP, http public_url


def test_a_rate_limited_answer_carries_them(settings, engine, accounts, monkeypatch):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(settings.with_overrides(login_rate_limit="1 per minute"))
    client = app.test_client()
    answers = [sign_in(client, "nobody@region.example", "wrong password") for _ in range(2)]
    assert [answer.status_code for answer in answers] == [401, 429]
    for name, value in EXPECTED.items():
        assert answers[1].headers[name] == value


@pytest.mark.parametrize("url, header, value", [
    ("/submit", "Referrer-Policy", "no-referrer"),  # the secret links' pages
    ("/submit", "Cache-Control", "no-store"),
    ("/admin/login", "Cache-Control", "no-store"),  # staff pages
    ("/admin/no-such-page", "Cache-Control", None),  # not a staff page: nothing to keep
])
def test_stricter_values_of_a_part_of_the_site_are_kept(client, url, header, value):
    response = client.get(url)
    assert response.headers.get(header) == value
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("public_url, base_url, hsts", [
    ("https://agenda.example.org", "http://127.0.0.1", True),  # TLS ends at the proxy
    ("http://127.0.0.1:5000", "https://127.0.0.1", True),  # this request came over HTTPS
    ("http://127.0.0.1:5000", "http://127.0.0.1", False),
])
def test_strict_transport_security_when_served_over_https(settings, engine, monkeypatch,
                                                          public_url, base_url, hsts):
    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    client = create_app(settings.with_overrides(public_url=public_url)).test_client()
    for url in ("/", "/no-such-page", "/healthz"):
        response = client.get(url, base_url=base_url)
        assert ("Strict-Transport-Security" in response.headers) is hsts, url
        if hsts:
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
