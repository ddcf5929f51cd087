"""The geocoder: never asked unless configured; then asked (on loopback, as the BAN answers)
for the places the gazetteer cannot tell, a bounded number of times, each address once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.errors import ConfigError
from agenda.models import Event
from agenda.records import EventRecord, Location, Occurrence
from agenda.services import geocoding
from agenda.services.geocoding import geocode, parse_ban, place_records
from agenda.settings import load_settings
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")


def ban_answer(citycode="36044", city="Châteauroux", postcode="36000", score=0.87,
               lon=1.6912, lat=46.8109) -> str:
    """What api-adresse.data.gouv.fr/search/ answers (a GeoJSON FeatureCollection)."""
    return json.dumps({
        "type": "FeatureCollection", "version": "draft", "query": "12 rue des Lilas",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"label": f"12 Rue des Lilas {postcode} {city}",
                                     "score": score, "housenumber": "12", "type": "housenumber",
                                     "name": "12 Rue des Lilas", "postcode": postcode,
                                     "citycode": citycode, "city": city,
                                     "context": "36, Indre, Centre-Val de Loire"}}],
        "attribution": "BAN", "licence": "ETALAB-2.0", "limit": 1})


@pytest.fixture(autouse=True)
def empty_cache():
    geocoding._cache.clear()
    yield
    geocoding._cache.clear()


@pytest.fixture
def ban(httpserver, settings):
    """Settings that ask the loopback BAN, and the server."""
    httpserver.expect_request("/search/").respond_with_data(ban_answer(),
                                                            content_type="application/json")
    return settings.with_overrides(geocoder="ban", geocoder_url=httpserver.url_for("/search/"),
                                   geocoder_max_lookups=2), httpserver


def record(uid: str, **location) -> EventRecord:
    start = datetime(2026, 11, 24, 18, 0, tzinfo=PARIS)
    return EventRecord(source_uid=uid, title=uid, start=start, end=start + timedelta(hours=2),
                       location=Location(**location),
                       occurrences=[Occurrence(start, start + timedelta(hours=2))])


def test_the_geocoder_is_never_asked_when_it_is_none(settings, httpserver):
    assert settings.geocoder == "none"
    records = [record("a", address="12 rue des Lilas")]
    assert place_records(records, settings=settings) is records
    assert geocode("12 rue des Lilas", None, "Nulle-Part", settings=settings) is None
    assert httpserver.log == []


def test_an_address_the_gazetteer_cannot_tell_gets_the_geocoders_commune(ban):
    settings, server = ban
    placed = place_records([record("a", address="12 rue des Lilas", city="Chx")],
                           settings=settings)
    location = placed[0].location
    assert (location.commune_code, location.lat, location.lon) == ("36044", 46.8109, 1.6912)
    assert location.city == "Chx" and location.postcode == "36000"  # the source's city stays
    request = server.log[0][0]
    assert request.args["q"] == "12 rue des Lilas Chx" and request.args["limit"] == "1"


def test_places_the_gazetteer_tells_and_placeless_records_are_not_asked(ban):
    settings, server = ban
    records = [record("known", city="Tours", postcode="37000"), record("online"),
               record("venue", name="Salle polyvalente")]
    assert place_records(records, settings=settings) == records
    assert server.log == []


def test_lookups_are_bounded_per_collection_and_each_address_asked_once(ban):
    settings, server = ban  # at most 2 lookups
    records = [record(str(n), address=f"{n} rue des Lilas") for n in range(5)]
    records.append(record("again", address="0 rue des Lilas"))
    placed = place_records(records, settings=settings)
    assert len(server.log) == 2
    assert [r.location.commune_code for r in placed] == ["36044", "36044", None, None, None,
                                                         "36044"]


def test_a_failing_geocoder_is_not_asked_again_in_the_collection(httpserver, settings):
    httpserver.expect_request("/search/").respond_with_data("busy", status=503)
    settings = settings.with_overrides(geocoder="ban", geocoder_max_lookups=10,
                                       geocoder_url=httpserver.url_for("/search/"))
    records = [record(str(n), address=f"{n} rue des Lilas") for n in range(4)]
    assert place_records(records, settings=settings) == records
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b'{"features": []}', b'{"features": [{"geometry": null}]}',
    ban_answer(score=0.3).encode(), ban_answer(lat=123.0).encode(),
])
def test_unsure_or_broken_answers_place_nothing(body):
    assert parse_ban(body) is None


def test_a_collected_event_with_only_an_address_is_placed_through_the_geocoder(
        httpserver, settings, factory, now):
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
           "DTSTART:20261127T130000Z\r\nDTEND:20261127T150000Z\r\nSUMMARY:Forum ESS\r\n"
           "LOCATION:Maison des associations\\, 12 rue des Lilas\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    httpserver.expect_request("/a.ics").respond_with_data(ics, content_type="text/calendar")
    httpserver.expect_request("/search/").respond_with_data(ban_answer(),
                                                            content_type="application/json")
    settings = settings.with_overrides(geocoder="ban", geocoder_url=httpserver.url_for("/search/"))
    with transaction(factory) as session:
        source_id = add_source(session, name="S", url=httpserver.url_for("/a.ics"), now=now).id
    refresh_source(factory, source_id, now=now, settings=settings)
    with transaction(factory) as session:
        stored = session.execute(select(Event.commune_code, Event.commune_name,
                                        Event.department)).one()
    assert tuple(stored) == ("36044", "Châteauroux", "36")


@pytest.mark.parametrize("env, message", [
    ({"AGENDA_GEOCODER": "google"}, "geocoder must be one of none, ban"),
    ({"AGENDA_GEOCODER": "ban", "AGENDA_GEOCODER_URL": "ftp://x"}, "geocoder_url must be"),
    ({"AGENDA_GEOCODER_MAX_LOOKUPS": "-1"}, "cannot be negative"),
])
def test_bad_geocoder_settings_are_refused_with_a_sentence(env, message):
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env)
    assert message in str(caught.value)
