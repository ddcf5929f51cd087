"""Staff accounts: Argon2id password hashes, new accounts, and signing in with repeated failures
slowed down.

* Passwords are kept as Argon2id hashes only (argon2-cffi's ``PasswordHasher`` defaults, the
  RFC 9106 low-memory profile); a hash made with weaker parameters is replaced at the next login.
* After ``LOCK_AFTER`` consecutive failures an account is locked for 30 s, doubling with each
  further failure, at most 15 min.  During a lock even the right password is refused (the lock
  must not tell a guesser which password was right) and attempts are not counted, so the lock
  does not grow while it lasts.  A successful login resets the counter.
* An unknown or disabled e-mail is verified against a dummy hash, so that answering takes about
  as long as for a real account; the caller shows one message for every refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from agenda.errors import AgendaError
from agenda.models import User
from agenda.models.user import ROLES
from agenda.store.audit import add_audit
from agenda.store.users import (
    add_user,
    find_user_by_email,
    normalize_email,
    record_failed_login,
    record_login,
)
from agenda.text_clean import printable

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
LOCK_AFTER = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
HASHER = PasswordHasher()  # Argon2id
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_dummy_hashes: dict[int, str] = {}


class AccountError(AgendaError):
    """An account cannot be created or changed as asked (the message says why)."""

    code = "account.invalid"


@dataclass(frozen=True)
class LoginOutcome:
    """The answer to a login attempt: the user when accepted; ``locked`` when refused because
    of too many failures."""

    user: User | None
    locked: bool = False

    @property
    def accepted(self) -> bool:
        return self.user is not None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    """Refuse a password too short (or absurdly long) to be kept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
                           code="account.password_too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.",
                           code="account.password_too_long")


def check_email(email: str) -> str:
    email = normalize_email(email)
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email) or not email.isprintable():
        raise AccountError(f"{printable(email)!r} is not an e-mail address.",
                           code="account.email_invalid")
    return email


def create_user(session: Session, *, email: str, password: str, role: str, now: datetime,
                who: str = "command line") -> User:
    """A new active account; refused for a taken e-mail, an unknown role, a short password."""
    email = check_email(email)
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}.", code="account.role")
    check_password(password)
    if find_user_by_email(session, email) is not None:
        raise AccountError(f"An account already exists for {email}.", code="account.email_taken")
    user = add_user(session, email=email, password_hash=hash_password(password), role=role,
                    now=now)
    add_audit(session, action="user_add", who=who, now=now,
              detail={"email": user.email, "role": role})
    return user


def change_password(session: Session, user: User, password: str) -> None:
    """A new password; the account is unlocked and every session of it ends."""
    check_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(session, user)


def set_user_active(session: Session, user: User, active: bool) -> None:
    """Disable (or enable again) an account: a disabled one cannot sign in, and every session
    of it ends (an account enabled again signs in afresh)."""
    user.active = active
    end_sessions(session, user)


def end_sessions(session: Session, user: User) -> None:
    """End every session of the account, on every device, copied cookies included: each
    session carries the version it was signed in with, and the web app refuses an old one."""
    user.session_version = (user.session_version or 1) + 1
    session.flush()


def sign_out_everywhere(session: Session, user: User, *, by: User | None,
                        now: datetime) -> None:
    """End every session of ``user`` at the request of ``by`` (the account itself or an admin;
    None: the command line), and say so in the audit log."""
    end_sessions(session, user)
    add_audit(session, action="sessions_end", who=by.email if by else "command line",
              user_id=by.id if by else None, now=now, detail={"email": user.email})


def authenticate(session: Session, email: str, password: str, *, now: datetime) -> LoginOutcome:
    """Check a login attempt and record it on the account (the caller commits)."""
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        return LoginOutcome(None)
    if is_locked(user, now):
        verify_password(user.password_hash, password)
        return LoginOutcome(None, locked=True)
    if not verify_password(user.password_hash, password):
        failures = (user.failed_logins or 0) + 1
        delay = lock_delay(failures)
        record_failed_login(session, user, locked_until=now + delay if delay else None)
        return LoginOutcome(None, locked=delay is not None)
    rehashed = hash_password(password) if HASHER.check_needs_rehash(user.password_hash) else None
    record_login(session, user, now=now, password_hash=rehashed)
    return LoginOutcome(user)


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def lock_delay(failures: int) -> timedelta | None:
    """How long an account stays locked after ``failures`` consecutive failures (None: not)."""
    if failures < LOCK_AFTER:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - LOCK_AFTER, 16), LONGEST_LOCK)


def _dummy_hash() -> str:
    """A hash made with the current parameters, verified for unknown e-mails."""
    key = id(HASHER)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash("not the password of any account")
    return _dummy_hashes[key]
