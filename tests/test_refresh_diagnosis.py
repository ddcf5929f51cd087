"""Each collection that reads a document stores the feed doctor's diagnosis on the source, for
its staff page and the alerts; a 304 keeps the last one; a failing collection keeps it too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import Source
from agenda.store.sources import add_source

DATA = Path(__file__).resolve().parent / "data/doctor"


def register(factory, now, url: str) -> int:
    with transaction(factory) as session:
        return add_source(session, name="Asso", url=url, kind="auto", now=now).id


def diagnosis_of(factory, source_id: int) -> dict | None:
    with transaction(factory) as session:
        return session.get(Source, source_id).diagnosis


def test_a_collection_stores_the_diagnosis_of_what_it_read(factory, settings, now, httpserver):
    httpserver.expect_request("/a.ics").respond_with_data(
        (DATA / "floating_times.ics").read_bytes(), content_type="text/calendar")
    source_id = register(factory, now, httpserver.url_for("/a.ics"))
    assert refresh_source(factory, source_id, now=now, settings=settings).ok
    stored = diagnosis_of(factory, source_id)
    assert (stored["format"], stored["generator"], stored["events"]) == (
        "ics", "-//Association//Agenda maison//FR", 3)
    assert {f["code"] for f in stored["findings"]} >= {"doctor.floating_times"}


def test_a_failed_collection_keeps_the_last_diagnosis(factory, settings, now, httpserver):
    httpserver.expect_request("/a.ics").respond_with_data(
        (DATA / "healthy_calendar.ics").read_bytes(), content_type="text/calendar")
    source_id = register(factory, now, httpserver.url_for("/a.ics"))
    refresh_source(factory, source_id, now=now, settings=settings)
    before = diagnosis_of(factory, source_id)
    httpserver.clear()
    httpserver.expect_request("/a.ics").respond_with_data("gone", status=404)
    later = now + timedelta(hours=2)
    assert not refresh_source(factory, source_id, now=later, settings=settings).ok
    assert before is not None and diagnosis_of(factory, source_id) == before


def test_a_bug_of_the_doctor_never_fails_the_collection(factory, settings, now, httpserver,
                                                        monkeypatch):
    from agenda.collectors import doctor

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("doctor bug")

    monkeypatch.setattr(doctor, "diagnose", broken)
    httpserver.expect_request("/a.ics").respond_with_data(
        (DATA / "healthy_calendar.ics").read_bytes(), content_type="text/calendar")
    source_id = register(factory, now, httpserver.url_for("/a.ics"))
    outcome = refresh_source(factory, source_id, now=now, settings=settings)
    assert (outcome.ok, outcome.new, diagnosis_of(factory, source_id)) == (True, 2, None)
