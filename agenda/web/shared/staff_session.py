"""When a staff session ends: the policy, written once and free of Flask's request objects.

The session cookie is signed, not stored: whoever holds a copy holds the session.  So the server
decides on every request whether a session still stands, from three values it put in the
session at sign-in:

* the account's **session version** (``users.session_version``).  Signing out, a new password,
  disabling the account and "sign out everywhere" raise the account's version: every session
  signed in before, copied cookies included, no longer matches and ends.  (Server-side session
  rows would let one sign-out end one device only; for a handful of staff, ending them all is
  simpler and errs on the safe side, and it needs no session table to clean up.)
* the instant of **sign-in**: a session ends ``session_max_hours`` after it, however busy;
* the instant of the **last request**: a session ends after ``session_idle_minutes`` without one.
  It is written back at most once a minute, so that pages do not rewrite the cookie each time.

The cookie's own expiry is only a courtesy to the browser: a copied cookie ignores it.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta

VERSION = "_agenda_sv"
SIGNED_IN = "_agenda_signed_in"
SEEN = "_agenda_seen"
TOUCH_EVERY = 60  # seconds: how stale the "last request" instant may get before it is rewritten


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    lifetime: timedelta

    @classmethod
    def from_settings(cls, settings) -> "SessionLimits":
        return cls(idle=timedelta(minutes=settings.session_idle_minutes),
                   lifetime=timedelta(hours=settings.session_max_hours))


def session_stamps(version: int, now: datetime) -> dict[str, int]:
    """What a new session carries besides the account: its version and two instants."""
    moment = int(now.timestamp())
    return {VERSION: version, SIGNED_IN: moment, SEEN: moment}


def session_refusal(stamps: Mapping, *, version: int, now: datetime,
                    limits: SessionLimits) -> str | None:
    """Why this session no longer stands (``version``, ``idle``, ``expired``, ``missing``), or
    None while it does."""
    try:
        carried, signed_in, seen = (int(stamps[VERSION]), int(stamps[SIGNED_IN]),
                                    int(stamps[SEEN]))
    except (KeyError, TypeError, ValueError):
        return "missing"
    moment = now.timestamp()
    if carried != version:
        return "version"
    if moment - signed_in >= limits.lifetime.total_seconds() or moment < signed_in - 60:
        return "expired"
    if moment - seen >= limits.idle.total_seconds():
        return "idle"
    return None


def touch_session(stamps: MutableMapping, now: datetime) -> None:
    """Record a request (at most once a minute: a rewritten cookie is a bigger answer)."""
    moment = int(now.timestamp())
    if moment - int(stamps.get(SEEN, 0)) >= TOUCH_EVERY:
        stamps[SEEN] = moment
