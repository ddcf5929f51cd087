"""A staff account: regional staff who moderate proposals (``staff``) or also manage accounts and
campaigns (``admin``).  Passwords are kept as Argon2id hashes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from agenda.models.base import Base, UTCDateTime, utcnow

ROLES = ("staff", "admin")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Repeated failed logins: counted, and the account answers only after ``locked_until``.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stored in each session at sign-in and compared on every request: raising it (sign-out,
    # a new password, disabling, "sign out everywhere") ends every session of the account.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
