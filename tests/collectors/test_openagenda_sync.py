"""When an OpenAgenda read is full or incremental, and what it leaves for the next one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from agenda.collectors.openagenda_sync import FULL_READ_EVERY, plan_sync

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
URL = "https://api.openagenda.com/v2/agendas/1/events"


def state(**values):
    return {"url": URL, "agenda_uid": "1", "updated_since": "2026-11-20T08:00:00+00:00",
            "full_read_at": (NOW - timedelta(days=1)).isoformat(), **values}


def test_the_first_read_is_full_and_marks_the_latest_update_seen():
    plan = plan_sync(None, url=URL, agenda_uid="1", now=NOW)
    assert not plan.incremental
    plan.saw_updates(["2026-11-01T10:00:00.000Z", "2026-11-05T10:00:00Z", "nonsense"])
    assert plan.next_state(complete=True) == {
        "url": URL, "agenda_uid": "1", "full_read_at": NOW.isoformat(),
        "updated_since": "2026-11-05T10:00:00+00:00"}


def test_a_later_read_asks_for_what_changed_since_the_mark():
    plan = plan_sync(state(), url=URL, agenda_uid="1", now=NOW)
    assert plan.updated_since == datetime(2026, 11, 20, 8, tzinfo=timezone.utc)
    plan.saw_updates(["2026-11-21T07:00:00Z"])
    after = plan.next_state(complete=False)  # even cut short: the pages came sorted by update
    assert after["updated_since"] == "2026-11-21T07:00:00+00:00"
    assert after["full_read_at"] == state()["full_read_at"]


def test_a_read_with_no_change_keeps_the_mark():
    plan = plan_sync(state(), url=URL, agenda_uid="1", now=NOW)
    assert plan.next_state(complete=True)["updated_since"] == "2026-11-20T08:00:00+00:00"


def test_a_full_read_comes_back_after_a_week():
    old = state(full_read_at=(NOW - FULL_READ_EVERY).isoformat())
    assert not plan_sync(old, url=URL, agenda_uid="1", now=NOW).incremental


def test_a_full_read_cut_short_leaves_the_next_read_full():
    plan = plan_sync(None, url=URL, agenda_uid="1", now=NOW)
    plan.saw_updates(["2026-11-05T10:00:00Z"])
    after = plan.next_state(complete=False)
    assert not plan_sync(after, url=URL, agenda_uid="1", now=NOW).incremental


def test_the_state_of_another_address_or_agenda_is_ignored():
    assert not plan_sync(state(url="https://other.example/x"), url=URL, agenda_uid="1",
                         now=NOW).incremental
    assert not plan_sync(state(), url=URL, agenda_uid="2", now=NOW).incremental
