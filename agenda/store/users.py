"""Staff accounts: find by e-mail (stored lower-cased), add, list, record logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import User


def normalize_email(email: str) -> str:
    """The form every e-mail is stored and looked up in: trimmed, lower-cased."""
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no account {user_id}.", user_id=user_id)
    return user


def add_user(session: Session, *, email: str, password_hash: str, role: str,
             now: datetime) -> User:
    user = User(email=normalize_email(email), password_hash=password_hash, role=role,
                active=True, created_at=now, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def record_failed_login(session: Session, user: User, *, locked_until: datetime | None) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    if locked_until is not None:
        user.locked_until = locked_until
    session.flush()


def record_login(session: Session, user: User, *, now: datetime,
                 password_hash: str | None = None) -> None:
    """A successful login: counters reset, the time kept, a stronger hash stored if given."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if password_hash is not None:
        user.password_hash = password_hash
    session.flush()
