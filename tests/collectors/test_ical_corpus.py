"""parse_ical against the real-world corpus (tests/data/corpus/ics, described in MANIFEST.tsv)."""

from __future__ import annotations

import csv
import functools
import re
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.ical import parse_ical
from agenda.collectors.normalize import to_utc
from agenda.errors import ParseError
from agenda.records import ParseResult

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
ICS_FILES = sorted((CORPUS / "ics").glob("*.ics"))
PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
WIDE_WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
_COUNTS = re.compile(r"icalendar: parse ok; VCALENDAR=(\d+); VEVENT=(\d+)")


def _manifest() -> dict[str, str]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["file"]: row["expected"] for row in rows}


EXPECTED = _manifest()


def _expected(path: Path) -> str:
    return EXPECTED[f"ics/{path.name}"]


def _parse(path: Path, window=WIDE_WINDOW, default_tz=PARIS):
    if window == WIDE_WINDOW and default_tz == PARIS:
        outcome = _parse_wide(path)
        if isinstance(outcome, ParseError):
            raise outcome
        return outcome
    return parse_ical(path.read_bytes(), default_tz=default_tz, window=window)


@functools.cache
def _parse_wide(path: Path) -> ParseResult | ParseError:
    """One parse per file for the tests that share the wide window (issue42 takes ~2 s)."""
    try:
        return parse_ical(path.read_bytes(), default_tz=PARIS, window=WIDE_WINDOW)
    except ParseError as error:
        return error


@pytest.mark.parametrize("path", ICS_FILES, ids=lambda path: path.name)
def test_every_corpus_file_gives_a_result_or_a_parse_error(path):
    try:
        result = _parse(path)
    except ParseError as error:
        assert error.code in ("parse.not_ical", "parse.truncated", "parse.syntax")
        assert str(error).endswith(".")  # a sentence, shown on the source
        return
    assert isinstance(result, ParseResult)
    for record in result.events:
        for occurrence in record.occurrences:
            assert occurrence.all_day or occurrence.start.tzinfo is not None
            assert occurrence.start <= occurrence.end


@pytest.mark.parametrize(
    "path", [p for p in ICS_FILES if _COUNTS.search(_expected(p))], ids=lambda path: path.name
)
def test_records_plus_skipped_match_the_manifest_vevent_count(path):
    calendars, vevents = map(int, _COUNTS.search(_expected(path)).groups())
    if calendars == 0:
        with pytest.raises(ParseError) as caught:
            _parse(path)
        assert caught.value.code == "parse.truncated"
        return
    result = _parse(path)
    if b"RANGE=THISANDFUTURE" in path.read_bytes():  # later occurrences become overrides too
        assert len(result.events) + result.skipped > vevents  # (ical_ranges)
        return
    assert len(result.events) + result.skipped == vevents


@pytest.mark.parametrize(
    "path", [p for p in ICS_FILES if "icalendar: parse raises" in _expected(p)],
    ids=lambda path: path.name,
)
def test_files_icalendar_refuses_are_parse_errors(path):
    with pytest.raises(ParseError):
        _parse(path)


def test_syntax_error_names_the_offending_line():
    with pytest.raises(ParseError) as caught:
        _parse(CORPUS / "ics" / "icalendar__issue_104_broken_calendar.ics")
    assert caught.value.code == "parse.syntax"
    assert str(caught.value).startswith("Parse error at line 13: ")


def _count_in(result: ParseResult, window, default_tz) -> int:
    """Occurrences overlapping the window (one-off events are kept even outside it)."""
    low, high = window
    count = 0
    for record in result.events:
        for occurrence in record.occurrences:
            start, end = to_utc(occurrence.start, default_tz), to_utc(occurrence.end, default_tz)
            count += start < high and (end > low or (start == end and start >= low))
    return count


def _in(zone: str, *start_end) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return tuple(datetime(*values, tzinfo=tz) for values in start_end)


ALL_TIME = ((1970, 1, 1), (2100, 1, 1))


@pytest.mark.parametrize(
    ("name", "window", "expected"),
    [  # "origin test ... states" figures of the MANIFEST, through our occurrences
        ("rie__Germany_Holidays", _in("Europe/Berlin", (2020, 1, 1), (2021, 1, 1)), 17),
        ("rie__each_week_but_one_deleted", _in("Europe/Berlin", *ALL_TIME), 7),
        ("rie__each_week_but_two_deleted", _in("Europe/Berlin", *ALL_TIME), 6),
        ("rie__issue_20_exdate_ignored", _in("Europe/Berlin", *ALL_TIME), 7),
        ("rie__rdate_hackerpublicradio", _in("UTC", *ALL_TIME), 12),
        ("rie__issue_117_until_before_dtstart", _in("UTC", *ALL_TIME), 0),
        ("rie__duplicated_rrule", _in("UTC", (2023, 1, 1), (2024, 1, 1)), 20),
        ("rie__issue_75_range_parameter", _in("UTC", (2024, 9, 1), (2024, 9, 25, 23, 59, 59)), 13),
        ("rie__issue_28_rrule_with_UTC_endinginZ",
         _in("Europe/London", (2020, 5, 25), (2020, 9, 5)), 15),
        ("rie__issue_62_moved_event", _in("Europe/Berlin", (2021, 12, 1), (2022, 1, 1)), 1),
        ("rie__issue_62_moved_event", _in("Europe/Berlin", (2021, 12, 17), (2021, 12, 18)), 1),
        ("rie__x_wr_timezone_simple_events_issue_59",
         _in("America/New_York", (2021, 12, 22, 12, 0), (2021, 12, 22, 12, 1)), 1),
        ("rie__x_wr_timezone_simple_events_issue_59",
         _in("America/New_York", (2021, 12, 22, 11, 59), (2021, 12, 22, 12, 0)), 0),
    ],
)
def test_origin_test_figures(name, window, expected):
    default_tz = window[0].tzinfo
    result = _parse(CORPUS / "ics" / f"{name}.ics", window=window, default_tz=default_tz)
    assert _count_in(result, window, default_tz) == expected


def test_google_birthday_series_survive_an_unreadable_rdate():
    result = _parse(CORPUS / "ics" / "icaljs__google_birthday.ics")
    assert result.skipped == 0
    assert any("RDATE cannot be read" in warning for warning in result.warnings)


def test_the_big_real_calendar_is_parsed_with_its_series():
    result = _parse(CORPUS / "ics" / "rie__issue42.ics")
    assert len(result.events) == 4778
    assert result.skipped == 0
    assert sum(bool(record.rrule) for record in result.events) > 0


@pytest.mark.parametrize(
    "name",
    ["rie__machbar_16_feb_2019", "nodeical__ms_timezones", "icalendar__alarm_thunderbird_future",
     "rie__issue_75_range_parameter", "calagator__ical_multiple_calendars"],
)
def test_a_body_cut_anywhere_gives_a_result_or_a_parse_error(name):
    body = (CORPUS / "ics" / f"{name}.ics").read_bytes()
    for cut in range(1, len(body), max(1, len(body) // 25)):
        try:
            result = parse_ical(body[:cut], default_tz=PARIS, window=WIDE_WINDOW)
        except ParseError:
            continue
        assert isinstance(result, ParseResult)


def test_all_day_series_moved_across_dst_keeps_dates():
    result = _parse(CORPUS / "ics" / "nodeical__whole_day_moved_over_dst_change_berlin.ics")
    occurrences = [o for record in result.events for o in record.occurrences]
    assert occurrences and all(o.all_day and type(o.start) is date for o in occurrences)
