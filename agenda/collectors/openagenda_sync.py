"""Incremental sync of an OpenAgenda source: whether this read is full or asks only for what
changed, and the state kept on the source for the next one (pure).

The state (``Source.sync_state``, JSON)::

    {"url": <the source's address it belongs to>, "agenda_uid": "<uid>",
     "updated_since": "<the latest updatedAt seen, ISO>", "full_read_at": "<ISO>"}

A read is full when there is no state for this address, no ``updated_since``, or the last full
read is ``FULL_READ_EVERY`` old.  A full read that stopped early (a bound of the read) leaves
no ``full_read_at``: the next read is full again.  An incremental read sorts by ``updatedAt``,
so the latest one it saw is a safe mark even when it stopped early.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

FULL_READ_EVERY = timedelta(days=7)


@dataclass
class SyncPlan:
    url: str
    agenda_uid: str | None
    now: datetime
    updated_since: datetime | None  # None: a full read
    previous: dict = field(default_factory=dict)
    latest: datetime | None = None

    @property
    def incremental(self) -> bool:
        return self.updated_since is not None

    def saw_updates(self, stamps: list[str]) -> None:
        for stamp in stamps:
            moment = _instant(stamp)
            if moment is not None and (self.latest is None or moment > self.latest):
                self.latest = moment

    def next_state(self, *, complete: bool) -> dict:
        state = {"url": self.url, "agenda_uid": self.agenda_uid}
        if self.agenda_uid is None:  # an address the API helper does not know: always full
            return state
        if self.incremental:
            state["full_read_at"] = self.previous.get("full_read_at")
            state["updated_since"] = _iso(max(filter(None, (self.updated_since, self.latest))))
        elif complete:
            state["full_read_at"] = _iso(self.now)
            mark = self.latest or _instant(self.previous.get("updated_since"))
            state["updated_since"] = _iso(mark) if mark else None
        return state


def plan_sync(sync_state: dict | None, *, url: str, agenda_uid: str | None, now: datetime,
              incremental: bool = True) -> SyncPlan:
    """The plan of this read, from the state the last one left (another address's is ignored)."""
    previous = sync_state if isinstance(sync_state, dict) and sync_state.get("url") == url \
        else {}
    since = _instant(previous.get("updated_since"))
    full_read_at = _instant(previous.get("full_read_at"))
    full = (not incremental or since is None or full_read_at is None
            or now - full_read_at >= FULL_READ_EVERY
            or str(previous.get("agenda_uid")) != str(agenda_uid))
    return SyncPlan(url=url, agenda_uid=agenda_uid, now=now,
                    updated_since=None if full else since, previous=previous)


def _instant(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
