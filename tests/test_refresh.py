"""The collection pipeline end to end, against feeds served on loopback inside the test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import CollectionRun, Event, Source
from agenda.store.sources import add_source

CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//FR\r
BEGIN:VEVENT\r
UID:forum-1@exemple.org\r
DTSTAMP:{stamp}\r
DTSTART;TZID=Europe/Paris:20261127T140000\r
DTEND;TZID=Europe/Paris:20261127T170000\r
SUMMARY:{title}\r
LOCATION:Hôtel de Région\\, 9 rue Saint-Pierre-Lentin\\, 45000 Orléans\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:repair-2@exemple.org\r
DTSTAMP:{stamp}\r
DTSTART;TZID=Europe/Paris:20261128T100000\r
DTEND;TZID=Europe/Paris:20261128T120000\r
SUMMARY:Repair café\r
LOCATION:Ressourcerie\\, 2 rue des Halles\\, 37000 Tours\r
END:VEVENT\r
END:VCALENDAR\r
"""


def calendar(title="Forum régional de l'ESS", stamp="20261121T090000Z") -> str:
    return CALENDAR.format(title=title, stamp=stamp)


@pytest.fixture
def register(factory, now):
    def register(url, kind="auto", name="Source"):
        with transaction(factory) as session:
            return add_source(session, name=name, url=url, kind=kind, now=now).id
    return register


def collect(factory, settings, source_id, now):
    return refresh_source(factory, source_id, now=now, settings=settings)


def source(factory, source_id) -> Source:
    with transaction(factory) as session:
        return session.get(Source, source_id)


def published(factory, source_id) -> dict[str, Event]:
    with transaction(factory) as session:
        rows = session.scalars(select(Event).where(Event.source_id == source_id,
                                                   Event.removed_at.is_(None))).all()
        return {e.source_uid: e for e in rows}


def test_a_calendar_lands_normalised_with_its_department(httpserver, factory, settings, now,
                                                           register):
    httpserver.expect_request("/agenda.ics").respond_with_data(
        calendar(), content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 2)
    events = published(factory, sid)
    assert events["forum-1@exemple.org"].department == "45"
    assert events["repair-2@exemple.org"].city == "Tours"
    assert events["repair-2@exemple.org"].themes == ["reemploi"]  # from config/region.toml
    health = source(factory, sid)
    assert (health.status, health.last_success_at, health.consecutive_failures) == ("ok", now, 0)
    assert health.detected_format == "ics"
    assert health.next_run_at >= now + timedelta(minutes=60)


def test_an_unchanged_source_is_neither_parsed_nor_written(httpserver, factory, settings, now,
                                                           register):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    collect(factory, settings, sid, now)
    before = published(factory, sid)
    httpserver.clear()
    # the exporter regenerates DTSTAMP on every request: still the same calendar
    httpserver.expect_request("/agenda.ics").respond_with_data(
        calendar(stamp="20261121T103000Z"), content_type="text/calendar")
    outcome = collect(factory, settings, sid, now + timedelta(hours=1))
    assert outcome.outcome == "unchanged"
    after = published(factory, sid)
    assert {k: (e.updated_at, e.last_seen_at) for k, e in after.items()} == \
        {k: (e.updated_at, e.last_seen_at) for k, e in before.items()}


def test_a_304_costs_no_parse(httpserver, factory, settings, now, register):
    httpserver.expect_request("/agenda.ics", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304)
    httpserver.expect_request("/agenda.ics").respond_with_data(
        calendar(), content_type="text/calendar", headers={"ETag": '"v1"'})
    sid = register(httpserver.url_for("/agenda.ics"))
    assert collect(factory, settings, sid, now).new == 2
    assert collect(factory, settings, sid, now + timedelta(hours=1)).outcome == "not_modified"
    assert source(factory, sid).last_success_at == now + timedelta(hours=1)


def test_a_changed_event_keeps_its_id(httpserver, factory, settings, now, register):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    collect(factory, settings, sid, now)
    first_id = published(factory, sid)["forum-1@exemple.org"].id
    httpserver.clear()
    httpserver.expect_request("/agenda.ics").respond_with_data(
        calendar(title="Forum régional de l'ESS — salle changée"), content_type="text/calendar")
    outcome = collect(factory, settings, sid, now + timedelta(hours=1))
    assert (outcome.new, outcome.updated) == (0, 1)
    event = published(factory, sid)["forum-1@exemple.org"]
    assert event.id == first_id and event.title.endswith("salle changée")


@pytest.mark.parametrize("respond, code", [
    (lambda s: s.respond_with_data("gone", status=404), "fetch.http_status"),
    (lambda s: s.respond_with_data("oops", status=500), "fetch.http_status"),
    (lambda s: s.respond_with_data("<html><body>Agenda</body></html>",
                                   content_type="text/html"), "parse.html_page"),
    (lambda s: s.respond_with_data("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n",
                                   content_type="text/calendar"), "parse.truncated"),
])
def test_a_broken_source_gets_a_clear_error_and_backs_off(httpserver, factory, settings, now,
                                                          register, respond, code):
    respond(httpserver.expect_request("/agenda.ics"))
    sid = register(httpserver.url_for("/agenda.ics"))
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.error_code) == ("error", code)
    health = source(factory, sid)
    assert health.status == "error" and health.consecutive_failures == 1
    assert health.last_error_code == code and health.last_error.endswith(".")
    assert health.next_run_at == now + timedelta(minutes=15)
    second = collect(factory, settings, sid, now + timedelta(minutes=15))
    assert second.error_code == code
    assert source(factory, sid).consecutive_failures == 2


def test_a_source_that_breaks_keeps_its_events(httpserver, factory, settings, now, register):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    collect(factory, settings, sid, now)
    httpserver.clear()
    httpserver.expect_request("/agenda.ics").respond_with_data("", status=500)
    collect(factory, settings, sid, now + timedelta(hours=1))
    assert len(published(factory, sid)) == 2


def test_one_bad_source_rolls_back_alone(httpserver, factory, settings, now, register,
                                         monkeypatch):
    httpserver.expect_request("/good.ics").respond_with_data(calendar(),
                                                             content_type="text/calendar")
    httpserver.expect_request("/bad.ics").respond_with_data(calendar(title="Piège"),
                                                            content_type="text/calendar")
    good, bad = register(httpserver.url_for("/good.ics")), register(httpserver.url_for("/bad.ics"))
    import agenda.collectors.refresh as refresh_module
    real_upsert = refresh_module.upsert_events

    def failing_upsert(session, source_id, records, **kw):
        counts = real_upsert(session, source_id, records, **kw)  # rows written, then...
        if source_id == bad:
            raise RuntimeError("disk full")
        return counts

    monkeypatch.setattr(refresh_module, "upsert_events", failing_upsert)
    assert collect(factory, settings, bad, now).error_code == "collect.internal"
    assert collect(factory, settings, good, now).new == 2
    assert published(factory, bad) == {}  # nothing half-stored
    assert len(published(factory, good)) == 2
    assert source(factory, bad).status == "error"


def test_every_collection_is_recorded(httpserver, factory, settings, now, register):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    collect(factory, settings, sid, now)
    collect(factory, settings, sid, now + timedelta(hours=1))
    with transaction(factory) as session:
        runs = session.execute(select(CollectionRun.outcome, CollectionRun.new)
                               .where(CollectionRun.source_id == sid)
                               .order_by(CollectionRun.id)).all()
    assert [tuple(r) for r in runs] == [("ok", 2), ("unchanged", 0)]


def test_private_addresses_are_refused_outside_tests(httpserver, factory, settings, now,
                                                     register):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    strict = settings.with_overrides(allow_private_urls=False)
    outcome = refresh_source(factory, sid, now=now, settings=strict)
    assert outcome.error_code == "fetch.forbidden_address"
    assert len(httpserver.log) == 0


def test_a_feed_source_stores_dated_items_and_skips_news(httpserver, factory, settings, now,
                                                          register):
    rss = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:ev="http://purl.org/rss/1.0/modules/event/">
  <channel rdf:about="https://coop.exemple.org/"><title>Coop</title><link>https://coop.exemple.org/</link>
    <description>Agenda</description>
    <items><rdf:Seq><rdf:li resource="https://coop.exemple.org/ag"/><rdf:li resource="https://coop.exemple.org/news"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://coop.exemple.org/ag"><title>Assemblée générale de la SCIC</title>
    <link>https://coop.exemple.org/ag</link>
    <ev:startdate>2026-12-03T18:30:00+01:00</ev:startdate><ev:enddate>2026-12-03T21:00:00+01:00</ev:enddate>
    <ev:location>Maison des associations, 5 place de la Liberté, 18000 Bourges</ev:location>
  </item>
  <item rdf:about="https://coop.exemple.org/news"><title>Nouvelle gérante</title>
    <link>https://coop.exemple.org/news</link></item>
</rdf:RDF>"""
    httpserver.expect_request("/feed.rss").respond_with_data(rss, content_type="application/rss+xml")
    sid = register(httpserver.url_for("/feed.rss"))
    outcome = collect(factory, settings, sid, now)
    assert (outcome.new, outcome.skipped) == (1, 1)
    [event] = published(factory, sid).values()
    assert event.department == "18" and event.title == "Assemblée générale de la SCIC"


def test_skipped_items_are_counted_and_explained_in_the_run(httpserver, factory, settings, now,
                                                            register):
    broken = calendar().replace("END:VCALENDAR", "BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Sans date\r\n"
                                                 "END:VEVENT\r\nEND:VCALENDAR")
    httpserver.expect_request("/agenda.ics").respond_with_data(broken,
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    outcome = collect(factory, settings, sid, now)
    assert (outcome.new, outcome.skipped) == (2, 1)
    with transaction(factory) as session:
        [run] = session.scalars(select(CollectionRun).where(CollectionRun.source_id == sid))
    assert run.skipped == 1
    assert any("Sans date" in warning for warning in run.warnings)


def test_running_out_of_memory_says_the_source_is_too_large(httpserver, factory, settings, now,
                                                            register, monkeypatch):
    httpserver.expect_request("/agenda.ics").respond_with_data(calendar(),
                                                               content_type="text/calendar")
    sid = register(httpserver.url_for("/agenda.ics"))
    import agenda.collectors.refresh as refresh_module

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(refresh_module, "parse_document", exhausted)
    outcome = collect(factory, settings, sid, now)
    assert (outcome.error_code, outcome.error) == (
        "parse.too_large", "This source is too large to read within the memory allowed.")
    health = source(factory, sid)
    assert (health.status, health.last_error_code, health.claimed_by) == (
        "error", "parse.too_large", None)
