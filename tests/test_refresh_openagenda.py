"""OpenAgenda sources collected end to end, against an API served on loopback: cursor paging,
the key only ever in its header, incremental sync with the API's removal markers."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug import Response

from agenda.collectors import source_urls
from agenda.db import transaction
from agenda.models import CollectionRun, Source
from agenda.store.sources import add_source
from tests.test_refresh import collect, published, source

DATA = Path(__file__).parent / "data" / "reading"
KEY = "k3yS3cr3tAbCdEfGhIjKlMnOp"  # looks like a real key: 20+ letters and digits
EVENTS_PATH = "/v2/agendas/4242/events"


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


class FakeApi:
    """The events endpoint of one agenda: page 1, page 2 after the cursor, the changes when
    asked ``updatedAt[gte]``; every request kept."""

    def __init__(self, changes: str = "openagenda_changes.json", status: int = 200):
        self.requests, self.changes, self.status = [], changes, status

    def __call__(self, request):
        self.requests.append({"url": request.url, "key": request.headers.get("key"),
                              "args": request.args.to_dict(flat=False)})
        if self.status != 200:
            return Response(page("openagenda_key_refused.json"), status=self.status,
                            content_type="application/json")
        if "updatedAt[gte]" in request.args:
            body = page(self.changes)
        elif request.args.getlist("after[]"):
            body = page("openagenda_page_2.json")
        else:
            body = page("openagenda_page_1.json")
        return Response(body, content_type="application/json")


@pytest.fixture
def api(httpserver):
    fake = FakeApi()
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(fake)
    return fake


@pytest.fixture
def openagenda_source(factory, now, httpserver):
    def make(url=None, key=KEY, kind="auto"):
        with transaction(factory) as session:
            added = add_source(session, name="Agenda OA", url=url or httpserver.url_for(
                EVENTS_PATH), kind=kind, now=now)
            added.api_key = key
            return added.id
    return make


def test_every_page_is_read_through_the_cursor_with_the_key_in_its_header_only(
        api, factory, settings, now, openagenda_source):
    sid = openagenda_source()
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new, outcome.removed) == ("ok", 3, 0)
    assert [r["args"].get("after[]") for r in api.requests] == [None, ["1638394850000", "1002"]]
    assert all(r["key"] == KEY and KEY not in r["url"] for r in api.requests)
    events = published(factory, sid)
    assert events["1001"].title == "Fête de la soupe"  # French first
    assert events["1002"].title == "Repair café"  # else the language there is
    assert (events["1001"].department, events["1001"].city) == ("45", "Orléans")
    assert events["1001"].lat == pytest.approx(47.9025)
    health = source(factory, sid)
    assert health.detected_format == "openagenda"
    assert health.sync_state["updated_since"] == "2026-11-05T10:00:00+00:00"
    assert health.sync_state["full_read_at"] == now.isoformat()


def test_later_reads_ask_only_for_changes_and_apply_the_removal_markers(
        api, factory, settings, now, openagenda_source):
    sid = openagenda_source()
    collect(factory, settings, sid, now)
    later = now + timedelta(hours=2)
    outcome = collect(factory, settings, sid, later)
    asked = api.requests[-1]["args"]
    assert asked["updatedAt[gte]"] == ["2026-11-05T10:00:00+00:00"]
    assert asked["removed"] == ["null"]
    assert (outcome.outcome, outcome.new, outcome.updated, outcome.removed) == ("ok", 0, 1, 1)
    events = published(factory, sid)
    assert set(events) == {"1001", "1003"}  # 1001 was not in the changes: kept
    assert events["1003"].title == "Marché de producteurs (nouvel horaire)"
    assert source(factory, sid).sync_state["updated_since"] == "2026-11-20T09:00:00+00:00"


def test_an_incremental_read_with_no_change_is_no_error(httpserver, factory, settings, now,
                                                       openagenda_source):
    fake = FakeApi(changes="openagenda_no_changes.json")
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(fake)
    sid = openagenda_source()
    collect(factory, settings, sid, now)
    outcome = collect(factory, settings, sid, now + timedelta(hours=1))
    assert (outcome.outcome, outcome.new, outcome.updated, outcome.removed) == ("ok", 0, 0, 0)
    assert len(published(factory, sid)) == 3


def test_a_full_read_comes_back_every_week_and_removes_what_vanished(
        httpserver, factory, settings, now, openagenda_source):
    api = FakeApi()
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(api)
    sid = openagenda_source()
    collect(factory, settings, sid, now)
    with transaction(factory) as session:  # the last full read was a week ago
        live = session.get(Source, sid)
        live.sync_state = {**live.sync_state, "full_read_at": (now - timedelta(days=7)).isoformat()}
    httpserver.clear()
    asked = []

    def first_page_only(request):
        asked.append(request.args.to_dict(flat=False))
        body = {**json.loads(page("openagenda_page_1.json")), "after": None}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(EVENTS_PATH).respond_with_handler(first_page_only)
    outcome = collect(factory, settings, sid, now + timedelta(hours=1))
    assert len(asked) == 1 and "updatedAt[gte]" not in asked[0]
    assert (outcome.outcome, outcome.removed) == ("ok", 1)  # 1003 is gone from the agenda
    assert set(published(factory, sid)) == {"1001", "1002"}


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_a_clear_error_that_never_shows_the_key(
        httpserver, factory, settings, now, openagenda_source, caplog, status):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(FakeApi(status=status))
    sid = openagenda_source()
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.error_code) == ("error", "openagenda.key_refused")
    assert outcome.error == ("OpenAgenda refused the API key of this source (it may have been "
                             "revoked).")
    with transaction(factory) as session:
        run = session.scalars(select(CollectionRun).where(CollectionRun.source_id == sid)).one()
        stored = json.dumps([run.error_message, run.error_params, run.warnings,
                             source(factory, sid).last_error,
                             source(factory, sid).last_error_params], default=str)
    assert KEY not in stored
    assert KEY not in caplog.text
    assert KEY not in repr(outcome)


def test_an_agenda_that_wants_a_key_says_the_source_has_none(httpserver, factory, settings,
                                                               now, openagenda_source):
    api = FakeApi(status=401)
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(api)
    sid = openagenda_source(key=None)
    outcome = collect(factory, settings, sid, now)
    assert (outcome.error_code, outcome.error) == (
        "openagenda.no_key", "OpenAgenda asks for an API key, and this source has none.")
    assert api.requests[0]["key"] is None  # no empty key header either


def test_an_agenda_page_on_openagenda_is_read_through_the_uid_the_api_gives(
        httpserver, factory, settings, now, openagenda_source, monkeypatch):
    monkeypatch.setattr(source_urls, "API_ROOT", httpserver.url_for("/v2"))
    slugs = []

    def agendas(request):
        slugs.append((request.args.get("slug"), request.headers.get("key")))
        return Response(page("openagenda_slug.json"), content_type="application/json")

    httpserver.expect_request("/v2/agendas").respond_with_handler(agendas)
    api = FakeApi()
    httpserver.expect_request("/v2/agendas/77001/events").respond_with_handler(api)
    sid = openagenda_source(url="https://openagenda.com/agenda-ess")
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 3)
    assert slugs == [("agenda-ess", KEY)]
    assert source(factory, sid).sync_state["agenda_uid"] == "77001"
    collect(factory, settings, sid, now + timedelta(hours=1))
    assert len(slugs) == 1  # the uid is kept, not asked again


def test_an_api_whose_cursor_never_ends_is_stopped(httpserver, factory, settings, now,
                                                   openagenda_source, monkeypatch):
    from agenda.collectors import read_openagenda
    monkeypatch.setattr(read_openagenda, "MAX_API_PAGES", 3)
    count = []

    def forever(request):
        count.append(1)
        body = json.loads(page("openagenda_page_1.json"))
        body["after"] = [len(count)]
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(EVENTS_PATH).respond_with_handler(forever)
    sid = openagenda_source()
    outcome = collect(factory, settings, sid, now)
    assert outcome.outcome == "ok" and len(count) == 3
    assert any(w.startswith("Reading stopped after 3 pages") for w in outcome.warnings)
    assert "full_read_at" not in source(factory, sid).sync_state  # the next read is full again


def test_a_full_read_whose_every_event_is_unreadable_removes_nothing(
        httpserver, factory, settings, now, openagenda_source):
    api = FakeApi()
    httpserver.expect_request(EVENTS_PATH).respond_with_handler(api)
    sid = openagenda_source()
    collect(factory, settings, sid, now)
    httpserver.clear()
    httpserver.expect_request(EVENTS_PATH).respond_with_data(
        page("openagenda_all_unreadable.json"), content_type="application/json")
    with transaction(factory) as session:  # a full read again
        session.get(Source, sid).sync_state = None
    outcome = collect(factory, settings, sid, now + timedelta(hours=1))
    assert (outcome.outcome, outcome.error_code) == ("error", "parse.nothing_usable")
    assert len(published(factory, sid)) == 3
