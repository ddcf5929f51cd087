"""OpenAgenda API v2 pages become records; errors and revoked keys say so without the key."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.openagenda import openagenda_request, parse_openagenda_page
from agenda.errors import ParseError

DATA = Path(__file__).resolve().parents[1] / "data/openagenda"
PARIS = ZoneInfo("Europe/Paris")
KEY = "8f2c1d3e4b5a69788f2c1d3e4b5a6978"


def page(name: str, **kwargs):
    return parse_openagenda_page((DATA / name).read_bytes(), default_tz=PARIS, **kwargs)


def by_uid(name: str) -> dict:
    result, _cursor, _removed = page(name)
    return {record.source_uid: record for record in result.events}


def test_a_page_gives_its_events_and_the_cursor_of_the_next_page():
    result, cursor, removed = page("page_multilingual.json")
    assert [r.source_uid for r in result.events] == ["41203577", "41203590", "41203611"]
    assert cursor == ["0", "000001773493200", "1773493200000", "41203611"]
    assert (removed, result.skipped, result.warnings) == ([], 0, [])


@pytest.mark.parametrize("uid, title", [
    ("41203577", "Atelier de réparation de vélos"),  # French preferred over English
    ("41203590", "Cooperative breakfast"),  # else the language there is
    ("41203611", "Webinaire : financer son projet d’ESS"),
])
def test_the_french_title_is_preferred(uid, title):
    assert by_uid("page_multilingual.json")[uid].title == title


def test_each_timing_is_an_occurrence_in_order():
    record = by_uid("page_multilingual.json")["41203577"]
    starts = [o.start for o in record.occurrences]
    assert starts == [datetime(2026, 3, 14, 14, tzinfo=PARIS), datetime(2026, 3, 28, 14, tzinfo=PARIS),
                      datetime(2026, 4, 11, 14, tzinfo=PARIS)]
    assert [o.end - o.start for o in record.occurrences] == [starts[0].replace(hour=17) - starts[0]] * 3
    assert (record.start, record.end) == (starts[0], starts[0].replace(hour=17))
    assert record.timezone == "Europe/Paris"


def test_place_keywords_image_and_description():
    record = by_uid("page_multilingual.json")["41203577"]
    location = record.location
    assert (location.name, location.address, location.postcode, location.city) == (
        "La Ressourcerie", "12 rue des Carmes", "45000", "Orléans")
    assert (location.department, location.lat, location.lon) == ("45", 47.9008, 1.9041)
    assert record.categories == ("vélo", "réemploi")
    assert record.image_url == ("https://cdn.openagenda.com/main/"
                                "23fc5619015849848ffe4843c98a03e2.base.image.jpg")
    assert "<strong>Gratuit</strong>" in record.description_html
    assert "script" not in record.description_html
    assert record.description_text == "Gratuit, outils fournis."
    assert record.url == "https://openagenda.com/fr/ess-centre/events/atelier-reparation-velos"


def test_without_postcode_the_department_comes_from_the_insee_code_and_0_0_is_no_point():
    location = by_uid("page_multilingual.json")["41203590"].location
    assert (location.city, location.department, location.lat, location.lon) == (
        "Ajaccio", "2A", None, None)
    assert location.commune_code == "2A004"  # OpenAgenda's INSEE code, kept


@pytest.mark.parametrize("name, uid, status", [
    ("page_multilingual.json", "41203577", "confirmed"),
    ("page_multilingual.json", "41203590", "cancelled"),  # 6
    ("page_multilingual.json", "41203611", "confirmed"),  # 3, moved online
    ("sync_removed.json", "1325588", "tentative"),  # 4, postponed
])
def test_status(name, uid, status):
    assert by_uid(name)[uid].status == status


def test_an_online_event_keeps_its_access_link_and_no_place():
    record = by_uid("page_multilingual.json")["41203611"]
    assert record.online_url == "https://visio.example.org/ess-financement"
    assert record.location.name is None
    assert by_uid("page_multilingual.json")["41203577"].online_url is None


def test_removed_and_unpublished_events_are_listed_apart_and_the_last_page_has_no_cursor():
    result, cursor, removed = page("sync_removed.json")
    assert [r.source_uid for r in result.events] == ["1325588", "50976233"]
    assert removed == ["50976230", "50976231", "50976232"]  # the last one refused (state -1)
    assert cursor is None


def test_events_without_title_or_readable_timing_are_skipped_with_a_warning():
    result, _cursor, _removed = page("event_without_timing.json")
    assert [r.source_uid for r in result.events] == ["702"]
    assert result.events[0].title == "Nur Deutsch"
    assert result.events[0].end == result.events[0].start  # an end before the start is dropped
    assert result.skipped == 3
    assert [w.code for w in result.warnings] == ["openagenda.event_skipped"] * 3
    assert result.warnings[0] == "Skipped OpenAgenda event 700: it has no readable timing."
    assert result.warnings[2] == "Skipped OpenAgenda event 703: it has no title."


@pytest.mark.parametrize("name, status, code", [
    ("truncated.json", 200, "openagenda.not_json"),
    ("not_events.json", 200, "openagenda.no_events"),
    ("error_body.json", 400, "openagenda.error"),
    ("error_body.json", 401, "openagenda.key_refused"),
    ("error_body.json", 403, "openagenda.key_refused"),
    ("page_multilingual.json", 403, "openagenda.key_refused"),
])
def test_broken_answers_are_a_clear_error_without_the_key(name, status, code):
    with pytest.raises(ParseError) as caught:
        page(name, status=status)
    assert caught.value.code == code
    assert KEY not in str(caught.value) and KEY not in repr(caught.value.data)


@pytest.mark.parametrize("body", [b"[]", b"null", b'"x"', b"[" * 100_000, b"\xff\xfe"])
def test_odd_json_never_crashes(body):
    with pytest.raises(ParseError):
        parse_openagenda_page(body, default_tz=PARIS)


def test_the_request_puts_the_key_in_a_header_never_in_the_url():
    url, headers = openagenda_request(None, 12345, key=KEY)
    assert KEY not in url and headers["key"] == KEY
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("api.openagenda.com", "/v2/agendas/12345/events")
    assert ("longDescriptionFormat", "HTML") in parse_qsl(parts.query)


def test_the_request_of_an_incremental_sync_asks_for_removed_events_after_the_cursor():
    since = datetime(2026, 3, 1, 13, 49, 58, tzinfo=timezone.utc)
    url, _headers = openagenda_request("https://oa.test/v2/", "12/3", key=KEY,
                                       after=["1753800986069", "43733206"], updated_since=since)
    query = parse_qsl(urlsplit(url).query)
    assert url.startswith("https://oa.test/v2/agendas/12%2F3/events?")
    assert ("updatedAt[gte]", "2026-03-01T13:49:58+00:00") in query
    assert ("removed", "null") in query
    assert [v for k, v in query if k == "after[]"] == ["1753800986069", "43733206"]


def test_a_key_at_the_edge_of_a_long_error_message_is_not_cut_into_view():
    body = ('{"error": "%s %s"}' % ("x" * 100, KEY)).encode()
    with pytest.raises(ParseError) as caught:
        parse_openagenda_page(body, default_tz=PARIS)
    assert KEY[:8] not in str(caught.value)
