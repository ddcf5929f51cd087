"""Which VEVENTs a set of stored events becomes: whole series, under the master's UID, the
cancelled and the removed ones for 30 days."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from agenda.export.series import export_items

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
CUTOFF = NOW - timedelta(days=30)


def row(id, uid="series", rid="", *, status="confirmed", removed_days=None, changed_days=1,
        start_day=1, source=1):
    return SimpleNamespace(
        id=id, source_id=source, source_uid=uid, recurrence_id=rid, status=status,
        removed_at=NOW - timedelta(days=removed_days) if removed_days is not None else None,
        updated_at=NOW - timedelta(days=changed_days), created_at=NOW - timedelta(days=90),
        start_at=datetime(2026, 12, start_day, 17, tzinfo=timezone.utc), all_day=False,
        timezone="Europe/Paris", sequence=0)


def written(rows):
    return [(i.row.id, i.uid.split("@")[0], i.cancelled)
            for i in export_items(rows, cutoff=CUTOFF, default_tz=PARIS)]


def test_overrides_go_out_with_their_master_under_its_uid():
    rows = [row("o2", rid="2026-12-15T17:00:00+00:00"), row("m"),
            row("o1", rid="2026-12-08T17:00:00+00:00")]
    assert written(rows) == [("m", "m", False), ("o1", "m", False), ("o2", "m", False)]


def test_a_cancelled_override_stays_while_its_master_is_live():
    rows = [row("m"), row("o", rid="2026-12-08T17:00:00+00:00", status="cancelled",
                          changed_days=200)]
    assert written(rows) == [("m", "m", False), ("o", "m", False)]


def test_an_override_removed_from_its_source_is_left_out():
    rows = [row("m"), row("o", rid="2026-12-08T17:00:00+00:00", removed_days=2)]
    assert written(rows) == [("m", "m", False)]


@pytest.mark.parametrize("days, shown", [(0, True), (29, True), (31, False)])
def test_a_removed_series_goes_out_cancelled_for_30_days(days, shown):
    rows = [row("m", removed_days=days),
            row("o", rid="2026-12-08T17:00:00+00:00", removed_days=days)]
    expected = [("m", "m", True), ("o", "m", True)] if shown else []
    assert written(rows) == expected


@pytest.mark.parametrize("days, shown", [(0, True), (29, True), (31, False)])
def test_a_cancelled_event_goes_out_for_30_days_after_its_last_change(days, shown):
    assert written([row("c", status="cancelled", changed_days=days)]) == \
        ([("c", "c", False)] if shown else [])


def test_overrides_without_master_share_the_uid_of_the_first():
    rows = [row("b", rid="2026-12-08T17:00:00+00:00"), row("a", rid="2026-12-01T17:00:00+00:00")]
    rows[0].created_at -= timedelta(days=1)
    assert [uid for _, uid, _ in written(rows)] == ["b", "b"]


def test_series_are_ordered_by_start_then_id_and_kept_apart_by_source():
    rows = [row("late", uid="x", start_day=20), row("early", uid="x", start_day=2, source=2),
            row("same", uid="y", start_day=20)]
    assert [i for i, _, _ in written(rows)] == ["early", "late", "same"]
