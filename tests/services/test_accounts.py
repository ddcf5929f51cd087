"""Staff accounts: Argon2id hashes, rehashing, the lock after repeated failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from agenda.db import transaction
from agenda.services import accounts
from agenda.services.accounts import (
    AccountError,
    authenticate,
    create_user,
    lock_delay,
)
from agenda.store.users import find_user_by_email

PASSWORD = "correct horse battery"
EMAIL = "staff@region.example"


@pytest.fixture
def account(factory, now):
    with transaction(factory) as session:
        create_user(session, email=EMAIL, password=PASSWORD, role="staff", now=now)


def attempt(factory, password, *, now, email=EMAIL):
    with transaction(factory) as session:
        outcome = authenticate(session, email, password, now=now)
        return outcome.accepted, outcome.locked


def stored(factory):
    with transaction(factory) as session:
        return find_user_by_email(session, EMAIL)


def test_the_password_is_kept_as_an_argon2id_hash_only(account, factory):
    user = stored(factory)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_right_password_signs_in_and_records_the_login(account, factory, now):
    assert attempt(factory, PASSWORD, now=now, email="  Staff@Region.EXAMPLE ") == (True, False)
    assert stored(factory).last_login_at == now


@pytest.mark.parametrize("email, password", [(EMAIL, "wrong password!"),
                                             ("nobody@region.example", PASSWORD)])
def test_a_wrong_password_or_unknown_email_is_refused(account, factory, now, email, password):
    assert attempt(factory, password, now=now, email=email) == (False, False)


def test_an_unknown_email_still_costs_one_hash_verification(account, factory, now, monkeypatch):
    verified = []

    class Spy(PasswordHasher):
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "HASHER", Spy())
    attempt(factory, PASSWORD, now=now, email="nobody@region.example")
    assert len(verified) == 1 and verified[0].startswith("$argon2id$")


def test_five_failures_lock_the_account_even_against_the_right_password(account, factory, now):
    for n in range(4):
        assert attempt(factory, f"wrong {n}", now=now) == (False, False)
    assert attempt(factory, "wrong 5", now=now) == (False, True)
    assert stored(factory).locked_until == now + timedelta(seconds=30)
    assert attempt(factory, PASSWORD, now=now + timedelta(seconds=29)) == (False, True)
    assert stored(factory).failed_logins == 5  # attempts during the lock do not extend it
    assert attempt(factory, PASSWORD, now=now + timedelta(seconds=31)) == (True, False)
    user = stored(factory)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_each_failure_after_the_lock_doubles_it(account, factory, now):
    for n in range(5):
        attempt(factory, f"wrong {n}", now=now)
    later = now + timedelta(seconds=31)
    assert attempt(factory, "wrong again", now=later) == (False, True)
    assert stored(factory).locked_until == later + timedelta(seconds=60)


def test_the_lock_grows_to_fifteen_minutes_at_most():
    assert [lock_delay(n) for n in (1, 4)] == [None, None]
    assert [lock_delay(n).total_seconds() for n in (5, 6, 7, 9, 10, 50, 10**6)] == [
        30, 60, 120, 480, 900, 900, 900]


def test_a_disabled_account_cannot_sign_in(account, factory, now):
    with transaction(factory) as session:
        find_user_by_email(session, EMAIL).active = False
    assert attempt(factory, PASSWORD, now=now) == (False, False)


def test_a_hash_with_weaker_parameters_is_replaced_at_login(factory, now, monkeypatch):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", weak)
    with transaction(factory) as session:
        create_user(session, email=EMAIL, password=PASSWORD, role="admin", now=now)
    assert "m=8,t=1,p=1" in stored(factory).password_hash
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher())
    assert attempt(factory, PASSWORD, now=now) == (True, False)
    assert "m=65536,t=3,p=4" in stored(factory).password_hash
    assert attempt(factory, PASSWORD, now=now) == (True, False)


@pytest.mark.parametrize("email, password, role, code", [
    (EMAIL, "too short", "staff", "account.password_too_short"),
    ("not an e-mail", PASSWORD, "staff", "account.email_invalid"),
    (EMAIL, PASSWORD, "root", "account.role"),
    (EMAIL.upper(), PASSWORD, "staff", "account.email_taken"),
])
def test_create_user_refuses(account, factory, now, email, password, role, code):
    with pytest.raises(AccountError) as refused, transaction(factory) as session:
        create_user(session, email=email, password=password, role=role, now=now)
    assert refused.value.code == code
