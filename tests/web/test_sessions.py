"""Staff sessions that end: a copy of the session cookie, taken while signed in, stops opening
the staff pages after a sign-out, a new password, disabling the account and "sign out
everywhere"; idle and too-old sessions are refused from the instants the server put in them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.db import transaction
from agenda.models import AuditEntry
from agenda.store.users import find_user_by_email
from agenda.web import create_app
from agenda.web.shared import dates
from agenda.web.shared.staff_session import VERSION
from tests.web.pages import NOW
from tests.web.staff import ADMIN, PASSWORD, STAFF, accounts, post, sign_in

__all__ = ["accounts"]  # the fixture, imported for the tests below

NEW_PASSWORD = "another horse battery staple"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def opens_admin(client) -> bool:
    return client.get("/admin/").status_code == 200


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


@pytest.fixture
def copied(app, client, accounts):
    """The staff account signed in on ``client``, and a copy of its cookie that works."""
    assert sign_in(client).status_code == 302
    thief = copy_of(app, client)
    assert opens_admin(thief)
    return thief


@pytest.fixture
def agenda(settings, engine):
    env = {"AGENDA_INSTANCE_PATH": str(settings.instance_path),
           "AGENDA_DATABASE_URL": settings.database_url}

    def run(*args, input=None):
        result = CliRunner().invoke(main, list(args), env=env, input=input,
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result
    return run


def audit_entries(factory, action: str) -> list[AuditEntry]:
    with transaction(factory) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def at(monkeypatch, moment) -> None:
    monkeypatch.setattr(dates, "_clock", lambda: moment)


def test_a_copied_cookie_no_longer_opens_admin_after_sign_out(client, copied):
    assert post(client, "/admin/logout").status_code == 302
    assert not opens_admin(client)
    response = copied.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")
    assert "session=;" in response.headers.get("Set-Cookie", "")  # the copy is emptied


def test_a_new_password_ends_every_session(client, copied, agenda):
    agenda("user", "passwd", STAFF, "--password-stdin", input=f"{NEW_PASSWORD}\n")
    assert not opens_admin(copied) and not opens_admin(client)
    assert sign_in(client, STAFF, NEW_PASSWORD).status_code == 302
    assert opens_admin(client) and not opens_admin(copied)


def test_disabling_ends_every_session_and_enabling_does_not_bring_them_back(client, copied,
                                                                              agenda):
    agenda("user", "disable", STAFF)
    assert not opens_admin(copied)
    agenda("user", "enable", STAFF)
    assert not opens_admin(copied) and not opens_admin(client)
    assert sign_in(client).status_code == 302 and opens_admin(client)


def test_sign_out_everywhere_from_the_dashboard_is_audit_logged(client, copied, factory):
    assert "Sign out everywhere" in client.get("/admin/?lang=en").get_data(as_text=True)
    response = post(client, "/admin/sessions/end")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/login"
    assert not opens_admin(copied) and not opens_admin(client)
    [entry] = audit_entries(factory, "sessions_end")
    assert (entry.who, entry.detail, entry.at) == (STAFF, {"email": STAFF}, NOW)


def test_an_admin_signs_another_account_out_everywhere(app, copied, factory):
    admin = app.test_client()
    sign_in(admin, ADMIN)
    page = admin.get("/admin/accounts?lang=en").get_data(as_text=True)
    assert STAFF in page and "End every session" in page
    with transaction(factory) as session:
        staff_id = find_user_by_email(session, STAFF).id
    response = post(admin, f"/admin/accounts/{staff_id}/sessions/end")
    assert response.status_code == 302
    assert not opens_admin(copied)
    assert opens_admin(admin)  # the admin's own session goes on
    [entry] = audit_entries(factory, "sessions_end")
    assert (entry.who, entry.detail) == (ADMIN, {"email": STAFF})
    assert f"Admin</span> signed {STAFF} out everywhere" in admin.get(
        "/admin/audit?lang=en").get_data(as_text=True)


def test_staff_cannot_sign_other_accounts_out(client, copied, factory):
    with transaction(factory) as session:
        admin_id = find_user_by_email(session, ADMIN).id
    assert client.get("/admin/accounts").status_code == 403
    assert post(client, f"/admin/accounts/{admin_id}/sessions/end").status_code == 403
    assert audit_entries(factory, "sessions_end") == []


def test_sign_out_everywhere_from_the_command_line(copied, agenda, factory):
    result = agenda("user", "signout", STAFF.upper())
    assert f"Every session ended: {STAFF}" in result.output
    assert not opens_admin(copied)
    [entry] = audit_entries(factory, "sessions_end")
    assert (entry.who, entry.detail) == ("command line", {"email": STAFF})


def test_an_idle_session_is_refused(client, copied, monkeypatch):
    at(monkeypatch, NOW + timedelta(minutes=119))
    assert opens_admin(client)  # within the idle time: the request is recorded
    at(monkeypatch, NOW + timedelta(minutes=119 + 119))
    assert opens_admin(client)
    assert not opens_admin(copied)  # the copy was last used at NOW: idle for too long
    at(monkeypatch, NOW + timedelta(minutes=119 + 119 + 120))
    assert not opens_admin(client)


def test_a_session_too_old_is_refused_however_busy(client, accounts, monkeypatch):
    sign_in(client)
    for minutes in range(60, 12 * 60, 60):
        at(monkeypatch, NOW + timedelta(minutes=minutes))
        assert opens_admin(client), minutes
    at(monkeypatch, NOW + timedelta(hours=12))
    assert not opens_admin(client)


def test_a_session_without_its_version_is_refused(client, accounts):
    """Sessions signed in before session versions existed (or forged without them) end."""
    sign_in(client)
    with client.session_transaction() as session:
        del session[VERSION]
    assert not opens_admin(client)


@pytest.mark.parametrize("public_url, forced, secure", [
    ("https://agenda.example.org", False, True),
    ("http://127.0.0.1:5000", False, False),
    ("http://127.0.0.1:5000", True, True),
])
def test_the_cookie_is_secure_when_the_site_is_served_over_https(settings, engine, accounts,
                                                                  monkeypatch, public_url,
                                                                  forced, secure):
    at(monkeypatch, NOW)
    app = create_app(settings.with_overrides(public_url=public_url,
                                             session_cookie_secure=forced))
    client = app.test_client()
    base = "https://127.0.0.1" if secure else "http://127.0.0.1"
    token = TOKEN.search(client.get("/admin/login", base_url=base).get_data(as_text=True))[1]
    response = client.post("/admin/login", base_url=base, data={
        "csrf_token": token, "email": STAFF, "password": PASSWORD},
        headers={"Referer": f"{base}/admin/login"})  # CSRF checks it over HTTPS
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie
    assert ("; Secure" in cookie) is secure
