"""Which VEVENTs a set of stored events becomes, series by series (pure).

A series is the events of one source sharing a source UID: a master (``recurrence_id == ""``)
and its overrides.  It goes out whole, under the master's UID, so an application computes
exactly the occurrences the source had.  The rules:

- a master removed from its source goes out with its overrides as STATUS:CANCELLED for
  ``grace`` after ``removed_at``, then not at all; so does a master merged into another event
  (a copy, ``duplicate_of``) after ``merged_at`` (merging bumps its SEQUENCE; the listed event
  goes on under its own UID);
- a cancelled master goes out (cancelled) for ``grace`` after its last change, then not at all;
- a live master keeps its live overrides (cancelled ones too: they cancel one date); an
  override removed from the source is left out (its date falls back to the rule); an override
  merged into another event goes out cancelled (that event carries its date);
- overrides without a master (the source sent only those) go out under the UID of the first
  one of their series, each by the rules of a master.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.export.ics_event import ExportItem, event_zone, series_uid


def export_items(rows, *, cutoff: datetime, default_tz: ZoneInfo) -> list[ExportItem]:
    """The items to write for ``rows`` (every member of each series), in a stable order."""
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[(row.source_id, row.source_uid)].append(row)
    series = sorted(((_head(members), members) for members in groups.values()),
                    key=lambda pair: (pair[0].start_at, pair[0].id))
    items: list[ExportItem] = []
    for head, members in series:
        items.extend(_series_items(head, members, cutoff, default_tz))
    return items


def _head(members: list):
    """The master, else (overrides alone) the first one collected."""
    if len(members) == 1:
        return members[0]
    masters = [m for m in members if not m.recurrence_id]
    return masters[0] if masters else min(members, key=lambda m: (m.created_at, m.id))


def _series_items(head, members: list, cutoff: datetime,
                  default_tz: ZoneInfo) -> list[ExportItem]:
    uid = series_uid(head.id)
    zone = event_zone(head, default_tz)
    if len(members) == 1 and not head.recurrence_id:  # a single event: most of them
        left = gone_at(head)
        shown = (left >= cutoff if left is not None else
                 head.status != "cancelled" or head.updated_at >= cutoff)
        return [ExportItem(head, uid, zone, left is not None)] if shown else []
    overrides = sorted((m for m in members if m is not head), key=lambda m: m.recurrence_id)
    if head.recurrence_id:  # no master: every member stands on its own
        return [ExportItem(m, uid, zone, gone_at(m) is not None)
                for m in [head, *overrides] if _still_shown(m, cutoff)]
    if not _still_shown(head, cutoff):
        return []
    if gone_at(head) is not None:
        return [ExportItem(m, uid, zone, True) for m in [head, *overrides]]
    return [ExportItem(head, uid, zone)] + [
        ExportItem(m, uid, zone, _is_copy(m)) for m in overrides if m.removed_at is None]


def gone_at(row) -> datetime | None:
    """When the row left the listing: removed from its source, or merged into another event
    (the earlier of the two); None while it is listed."""
    merged = (getattr(row, "merged_at", None) or row.updated_at) if _is_copy(row) else None
    return min(filter(None, [row.removed_at, merged]), default=None)


def _is_copy(row) -> bool:
    return getattr(row, "duplicate_of", None) is not None


def _still_shown(row, cutoff: datetime) -> bool:
    """Live, or gone (removed, merged or cancelled) for less than the grace period."""
    left = gone_at(row)
    if left is not None:
        return left >= cutoff
    if row.status == "cancelled":
        return row.updated_at >= cutoff
    return True
