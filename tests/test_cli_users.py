"""`agenda user add|list|passwd|disable`: staff accounts from the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.db import transaction
from agenda.models import AuditEntry, User
from agenda.services.accounts import authenticate

PASSWORD = "correct horse battery"


@pytest.fixture
def agenda(settings, engine):
    env = {"AGENDA_INSTANCE_PATH": str(settings.instance_path),
           "AGENDA_DATABASE_URL": settings.database_url}

    def run(*args, input=None):
        return CliRunner().invoke(main, list(args), env=env, input=input,
                                  catch_exceptions=False)
    return run


def stored_users(factory) -> list[User]:
    with transaction(factory) as session:
        return list(session.scalars(select(User)))


def test_add_asks_the_password_twice_hidden_and_stores_an_argon2id_hash(agenda, factory, now):
    result = agenda("user", "add", "Claire@Region.example", "--role", "admin",
                    input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0
    assert "Account created: claire@region.example (admin)" in result.output
    assert PASSWORD not in result.output  # the prompt does not echo it
    [user] = stored_users(factory)
    assert (user.email, user.role, user.active) == ("claire@region.example", "admin", True)
    assert user.password_hash.startswith("$argon2id$")
    with transaction(factory) as session:
        assert authenticate(session, "claire@region.example", PASSWORD, now=now).accepted
        [entry] = session.scalars(select(AuditEntry))
        assert (entry.action, entry.detail) == ("user_add", {"email": "claire@region.example",
                                                             "role": "admin"})


def test_add_refuses_two_different_passwords(agenda, factory):
    result = agenda("user", "add", "a@region.example",
                    input=f"{PASSWORD}\nsomething else!!\n{PASSWORD}\n{PASSWORD}\n")
    assert "do not match" in result.output
    assert result.exit_code == 0  # asked again, then accepted
    assert [u.email for u in stored_users(factory)] == ["a@region.example"]


def test_add_reads_the_password_from_stdin_and_defaults_to_staff(agenda, factory, now):
    result = agenda("user", "add", "b@region.example", "--password-stdin", input=f"{PASSWORD}\n")
    assert result.exit_code == 0
    [user] = stored_users(factory)
    assert user.role == "staff"
    with transaction(factory) as session:
        assert authenticate(session, "b@region.example", PASSWORD, now=now).accepted


@pytest.mark.parametrize("password", ["short", "eleven char"])
def test_add_refuses_a_short_password_with_exit_code_2(agenda, factory, password):
    result = agenda("user", "add", "c@region.example", "--password-stdin", input=password + "\n")
    assert result.exit_code == 2
    assert "at least 12 characters" in result.output
    assert stored_users(factory) == []


def test_add_refuses_a_taken_email_whatever_its_case(agenda, factory):
    agenda("user", "add", "d@region.example", "--password-stdin", input=PASSWORD + "\n")
    result = agenda("user", "add", "D@Region.Example", "--password-stdin",
                    input="another password\n")
    assert result.exit_code == 2
    assert "An account already exists for d@region.example" in result.output
    assert len(stored_users(factory)) == 1


@pytest.mark.parametrize("args", [["not-an-email"], ["e@region.example", "--role", "boss"]])
def test_add_refuses_a_bad_email_or_role(agenda, factory, args):
    result = agenda("user", "add", *args, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert stored_users(factory) == []


def test_list_passwd_and_disable(agenda, factory, now):
    agenda("user", "add", "e@region.example", "--password-stdin", input=PASSWORD + "\n")
    assert agenda("user", "list").output.split() == ["e@region.example", "staff", "active",
                                                      "never", "signed", "in"]
    result = agenda("user", "passwd", "e@region.example", "--password-stdin",
                    input="a brand new password\n")
    assert result.exit_code == 0
    with transaction(factory) as session:
        assert not authenticate(session, "e@region.example", PASSWORD, now=now).accepted
        assert authenticate(session, "e@region.example", "a brand new password", now=now).accepted
    assert agenda("user", "disable", "e@region.example").exit_code == 0
    assert "disabled" in agenda("user", "list").output
    with transaction(factory) as session:
        assert not authenticate(session, "e@region.example", "a brand new password",
                                now=now).accepted
    assert agenda("user", "passwd", "nobody@region.example", "--password-stdin",
                  input=PASSWORD + "\n").exit_code == 2
