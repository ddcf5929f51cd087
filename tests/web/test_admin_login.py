"""Signing in and out of the staff pages: CSRF, one message for every refusal, the lock after
repeated failures, the rate limit, local redirects only, a fresh session, safe cookies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agenda.db import transaction
from agenda.store.users import find_user_by_email
from agenda.web.shared import dates
from tests.web.pages import NOW
from tests.web.staff import ADMIN, PASSWORD, STAFF, accounts, csrf_token, post, sign_in

__all__ = ["accounts"]  # the fixture, imported for the tests below

REFUSED = "The e-mail address or the password is not right."
LOCKED = "Too many attempts: try again in a few minutes."


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_login_page_is_a_csrf_protected_form(client, accounts):
    page = client.get("/admin/login?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="csrf_token"' in text and 'autocomplete="current-password"' in text
    refused = client.post("/admin/login?lang=en", data={"email": STAFF, "password": PASSWORD,
                                                        "next": "/admin/audit"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "The form had expired: please sign in again." in text
    assert f'value="{STAFF}"' in text and 'value="/admin/audit"' in text
    assert PASSWORD not in text
    assert not signed_in(client)


def test_the_right_password_signs_in_and_goes_to_the_dashboard(client, accounts, factory):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert signed_in(client)
    with transaction(factory) as session:
        assert find_user_by_email(session, STAFF).last_login_at == NOW


@pytest.mark.parametrize("email, password", [
    (STAFF, "not the password"), ("nobody@region.example", PASSWORD), (STAFF.upper(), "x" * 12),
])
def test_every_refusal_says_the_same_thing(client, accounts, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    text = response.get_data(as_text=True)
    assert REFUSED in text and LOCKED not in text
    assert "nobody" not in text.replace('value="nobody@region.example"', "")
    assert not signed_in(client)


def test_five_failures_lock_the_account_even_for_the_right_password(client, accounts,
                                                                      monkeypatch):
    for _ in range(4):
        assert LOCKED not in sign_in(client, STAFF, "wrong password").get_data(as_text=True)
    assert LOCKED in sign_in(client, STAFF, "wrong password").get_data(as_text=True)
    locked = sign_in(client, STAFF, PASSWORD)
    assert locked.status_code == 401
    assert REFUSED in locked.get_data(as_text=True) and LOCKED in locked.get_data(as_text=True)
    assert not signed_in(client)
    assert sign_in(client, ADMIN).status_code == 302  # other accounts are not locked
    monkeypatch.setattr(dates, "_clock", lambda: NOW + timedelta(seconds=31))
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert sign_in(client, STAFF, PASSWORD).status_code == 302


def test_login_posts_are_rate_limited_per_client(client, accounts):
    statuses = [sign_in(client, f"guess{n}@region.example", "wrong password").status_code
                for n in range(11)]
    assert statuses == [401] * 10 + [429]
    assert client.get("/admin/login").status_code == 200  # only the posts are counted


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/admin/", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "/\r\nSet-Cookie: x=1", "http:/evil.example", "/\tevil", "admin/audit",
])
def test_next_only_ever_leads_to_a_local_page(client, accounts, target):
    response = sign_in(client, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_next_leads_back_to_the_page_asked_for(client, accounts):
    asked = client.get("/admin/audit?lang=en")
    assert asked.status_code == 302
    login_page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/admin/audit?lang=en"' in login_page
    response = sign_in(client, next="/admin/audit?lang=en")
    assert response.headers["Location"] == "/admin/audit?lang=en"


def test_signing_in_starts_a_fresh_session(client, accounts):
    client.get("/admin/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        before = dict(session)
    response = sign_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] and session.get("csrf_token") != before.get("csrf_token")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_out_needs_a_post_with_its_token_and_ends_the_session(client, accounts):
    sign_in(client)
    assert client.get("/admin/logout").status_code == 405
    assert client.post("/admin/logout").status_code == 400  # no CSRF token
    assert signed_in(client)
    response = post(client, "/admin/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/login"
    assert not signed_in(client)


def test_the_header_offers_administration_and_sign_out_to_staff_only(client, accounts):
    assert "/admin/logout" not in client.get("/?lang=en").get_data(as_text=True)
    sign_in(client)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/admin/">Administration</a>' in home
    assert 'action="/admin/logout"' in home and 'name="csrf_token"' in home


def test_a_disabled_account_loses_its_session(client, accounts, factory):
    sign_in(client)
    with transaction(factory) as session:
        find_user_by_email(session, STAFF).active = False
    assert client.get("/admin/").status_code == 302
    assert sign_in(client).status_code == 401


def test_staff_pages_are_never_cached(client, accounts):
    sign_in(client)
    response = client.get("/admin/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
