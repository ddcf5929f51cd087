"""parse_ical, one sample file per behaviour in tests/data/ics/."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors import ical_expand
from agenda.collectors.ical import parse_ical
from agenda.errors import ParseError

DATA = Path(__file__).parent.parent / "data" / "ics"
PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
WINDOW = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))


def parse(name: str, *, default_tz=PARIS, window=WINDOW):
    return parse_ical((DATA / name).read_bytes(), default_tz=default_tz, window=window)


def by_uid(result, uid: str, recurrence_id: str = ""):
    return next(e for e in result.events if e.key == (uid, recurrence_id))


def event_in(name: str, uid: str, recurrence_id: str = ""):
    return by_uid(parse(name), uid, recurrence_id)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def starts(record) -> list[datetime]:
    return [occurrence.start for occurrence in record.occurrences]


# --- times -----------------------------------------------------------------------------------


def test_x_wr_timezone_weekly_google_event_stays_at_18h_after_october_clock_change():
    result = parse("x_wr_timezone_utc_times.ics")
    series = by_uid(result, "5h2k9d0repaircafe@google.com")
    local = [start.astimezone(PARIS) for start in starts(series)]
    assert [start.date() for start in local] == [
        date(2024, 10, 1), date(2024, 10, 8), date(2024, 10, 15), date(2024, 10, 22),
        date(2024, 10, 29), date(2024, 11, 5), date(2024, 11, 12),
    ]
    assert {(start.hour, start.minute) for start in local} == {(18, 0)}
    assert series.timezone == "Europe/Paris"


def test_x_wr_timezone_single_event_is_read_in_the_calendar_zone():
    event = by_uid(parse("x_wr_timezone_utc_times.ics"), "8j3l0e1assemblee@google.com")
    assert event.start == paris(2024, 11, 5, 10, 0)
    assert event.timezone == "Europe/Paris"


def test_unknown_x_wr_timezone_is_ignored_with_a_warning():
    result = parse("x_wr_timezone_unknown.ics")
    event = result.events[0]
    assert event.start == paris(2024, 10, 3, 18, 0)  # floating, so read in the default zone
    assert event.location.department == "18"
    assert result.warnings == [
        "The calendar time zone 'Europe/Vierzon' is unknown; it was ignored."
    ]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Cayenne"])
def test_floating_times_are_read_in_the_default_zone(zone):
    default_tz = ZoneInfo(zone)
    event = by_uid(
        parse("floating_times.ics", default_tz=default_tz),
        "ressourcerie-braderie-2024@ressourcerie-berry.fr",
    )
    assert event.start == datetime(2024, 6, 12, 14, 0, tzinfo=default_tz)
    assert event.end == datetime(2024, 6, 12, 18, 0, tzinfo=default_tz)
    assert event.timezone == zone


def test_floating_weekly_series_keeps_its_wall_clock_time_across_the_clock_change():
    series = event_in("floating_times.ics", "ressourcerie-atelier-couture@ressourcerie-berry.fr")
    assert starts(series) == [
        paris(2024, 10, 16, 18), paris(2024, 10, 23, 18), paris(2024, 10, 30, 18),
        paris(2024, 11, 6, 18),
    ]


def test_floating_series_is_placed_in_the_window_by_its_local_time():
    # 2024-10-23 18:00-20:00 Paris is 16:00-18:00 UTC: it overlaps a window ending at 16:30 UTC.
    window = (datetime(2024, 10, 23, 8, 0, tzinfo=UTC), datetime(2024, 10, 23, 16, 30, tzinfo=UTC))
    result = parse("floating_times.ics", window=window)
    series = by_uid(result, "ressourcerie-atelier-couture@ressourcerie-berry.fr")
    assert starts(series) == [paris(2024, 10, 23, 18)]


def test_utc_times_stay_utc():
    event = parse("utc_times.ics").events[0]
    assert event.start == datetime(2024, 6, 12, 12, 0, tzinfo=UTC)
    assert event.start.utcoffset() == timedelta(0)
    assert event.timezone == "UTC"


def test_vtimezone_with_windows_tzid_is_honoured_and_its_name_kept():
    result = parse("vtimezone_tzid.ics")
    outlook = by_uid(result, "040000008200E00074C5B7101A82E00800000000COOPCHARTRES")
    assert outlook.start == datetime(2024, 12, 3, 13, 30, tzinfo=UTC)
    assert outlook.end == datetime(2024, 12, 3, 15, 30, tzinfo=UTC)
    assert outlook.timezone == "Romance Standard Time"
    iana = by_uid(result, "forum-emploi-ess-2024@blois-ess.fr")
    assert iana.start == datetime(2024, 7, 10, 7, 30, tzinfo=UTC)
    assert iana.timezone == "Europe/Paris"


def test_all_day_multi_day_event_keeps_dates_and_an_exclusive_end():
    event = event_in(
        "all_day_multi_day.ics", "festisol-chateauroux-2024@festivaldessolidarites.org"
    )
    assert (event.start, event.end, event.all_day) == (date(2024, 11, 15), date(2024, 11, 18), True)
    assert event.timezone is None
    assert [(o.start, o.end, o.all_day) for o in event.occurrences] == [
        (date(2024, 11, 15), date(2024, 11, 18), True)
    ]


def test_all_day_event_without_dtend_lasts_one_day():
    event = by_uid(parse("all_day_multi_day.ics"), "mois-ess-lancement-2024@cress-centre.org")
    assert (event.start, event.end) == (date(2024, 11, 1), date(2024, 11, 2))


def test_duration_instead_of_dtend():
    event = event_in(
        "duration_instead_of_dtend.ics", "epicerie-formation-benevoles@epicerie-orleans.fr"
    )
    assert (event.start, event.end) == (paris(2024, 9, 18, 9, 30), paris(2024, 9, 18, 12, 0))
    assert event.occurrences[0].end == paris(2024, 9, 18, 12, 0)


def test_timed_event_without_dtend_ends_at_its_start():
    event = by_uid(parse("duration_instead_of_dtend.ics"), "epicerie-collecte@epicerie-orleans.fr")
    assert event.end == event.start == paris(2024, 9, 21, 10, 0)


def test_end_before_start_uses_the_start_and_warns():
    result = parse("end_before_start.ics")
    event = result.events[0]
    assert event.end == event.start == paris(2024, 10, 3, 18, 0)
    assert any("end is before the start" in warning for warning in result.warnings)


# --- series ----------------------------------------------------------------------------------


def test_rrule_with_exdate_and_moved_override_gives_exact_starts():
    result = parse("rrule_exdate_override.ics")
    master = by_uid(result, "amap-distribution@amap-vendome.fr")
    moved = by_uid(result, "amap-distribution@amap-vendome.fr", "2024-09-23T16:00:00+00:00")
    assert starts(master) == [
        paris(2024, 9, 2, 18), paris(2024, 9, 9, 18), paris(2024, 9, 30, 18),
        paris(2024, 10, 7, 18),
    ]
    assert [(o.start, o.end) for o in moved.occurrences] == [
        (paris(2024, 9, 25, 20), paris(2024, 9, 25, 21, 30))
    ]
    assert master.rrule == "FREQ=WEEKLY;COUNT=6;BYDAY=MO"
    assert master.exdate == ("2024-09-16T16:00:00+00:00",)
    assert master.recurrence_id == ""
    assert moved.title == "Distribution des paniers (décalée au mercredi)"


def test_series_occurrences_are_limited_to_the_window():
    window = (datetime(2024, 9, 8, tzinfo=UTC), datetime(2024, 10, 1, tzinfo=UTC))
    result = parse("rrule_exdate_override.ics", window=window)
    master = by_uid(result, "amap-distribution@amap-vendome.fr")
    assert starts(master) == [paris(2024, 9, 9, 18), paris(2024, 9, 30, 18)]


def test_single_events_keep_their_occurrence_outside_the_window_but_series_do_not():
    future = (datetime(2030, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC))
    result = parse("broken_series_fallback.ics", window=future)
    assert starts(by_uid(result, "unique@exemple.fr")) == [paris(2024, 10, 2, 14)]
    assert by_uid(result, "serie-saine@exemple.fr").occurrences == []


def test_cancelled_override_is_its_own_cancelled_record_with_its_occurrence():
    result = parse("cancelled_override.ics")
    master = by_uid(result, "cafe-associatif-jeux@cafe-dreux.fr")
    cancelled = by_uid(result, "cafe-associatif-jeux@cafe-dreux.fr", "2024-10-11T17:00:00+00:00")
    assert master.status == "confirmed"
    assert starts(master) == [
        paris(2024, 10, 4, 19), paris(2024, 10, 18, 19), paris(2024, 10, 25, 19)
    ]
    assert cancelled.status == "cancelled"
    assert starts(cancelled) == [paris(2024, 10, 11, 19)]


def test_a_series_that_cannot_be_expanded_does_not_sink_the_others():
    result = parse("broken_series_fallback.ics")
    broken = by_uid(result, "serie-cassee@exemple.fr")
    assert starts(broken) == [paris(2024, 10, 1, 10)]  # its first date only
    healthy = by_uid(result, "serie-saine@exemple.fr")
    assert starts(healthy) == [
        paris(2024, 10, 1, 14), paris(2024, 10, 8, 14), paris(2024, 10, 15, 14)
    ]
    assert starts(by_uid(result, "unique@exemple.fr")) == [paris(2024, 10, 2, 14)]
    assert result.skipped == 0
    assert [w for w in result.warnings if "cannot be computed" in w] == [
        "Event 'Série dont les dates ne se calculent pas': its repetitions cannot be computed; "
        "only its first date is kept."
    ]


def test_unreadable_rules_keep_the_first_date_and_absurd_ones_are_cut_to_the_budget():
    result = parse("unreadable_rules.ics")
    unreadable = by_uid(result, "regle-illisible@exemple.fr")
    assert starts(unreadable) == [paris(2024, 10, 1, 10)]
    assert unreadable.rrule == "FREQ=SOMETIMES;BYDAY=MO"
    every_minute = starts(by_uid(result, "regle-minute@exemple.fr"))
    assert len(every_minute) == 1000  # max_occurrences_per_series, the soonest ones
    assert every_minute[:2] == [paris(2024, 10, 1, 10), paris(2024, 10, 1, 10, 1)]
    assert any("more than 1000 repetitions" in warning for warning in result.warnings)
    assert any("repeat rule cannot be read" in warning for warning in result.warnings)


def test_an_unreadable_exdate_is_left_out_and_the_series_still_expands():
    result = parse("unreadable_rules.ics")
    series = by_uid(result, "exdate-illisible@exemple.fr")
    assert starts(series) == [
        paris(2024, 10, 1, 10), paris(2024, 10, 2, 10), paris(2024, 10, 3, 10)
    ]
    assert series.exdate == ()
    assert "Event 'Exclusion illisible': EXDATE cannot be read and was ignored." in result.warnings


def test_occurrences_per_series_are_capped_with_a_warning(monkeypatch):
    monkeypatch.setattr(ical_expand, "MAX_OCCURRENCES_PER_SERIES", 3)
    result = parse("rrule_exdate_override.ics")
    series = [e for e in result.events if e.source_uid == "amap-distribution@amap-vendome.fr"]
    all_starts = sorted(start for record in series for start in starts(record))
    assert all_starts == [paris(2024, 9, 2, 18), paris(2024, 9, 9, 18), paris(2024, 9, 25, 20)]
    assert any("more than 3 repetitions" in warning for warning in result.warnings)


# --- fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uid", "status"),
    [
        ("ess-indre-cancelled@ess36.fr", "cancelled"),
        ("ess-indre-tentative@ess36.fr", "tentative"),
        ("ess-indre-confirmed@ess36.fr", "confirmed"),
        ("ess-indre-no-status@ess36.fr", "confirmed"),
    ],
)
def test_status(uid, status):
    event = by_uid(parse("status_cancelled.ics"), uid)
    assert event.status == status
    assert len(event.occurrences) == 1  # a cancelled event still has its date


def test_alt_desc_html_loses_its_script_and_keeps_its_formatting():
    event = by_uid(parse("alt_desc_html_with_script.ics"), "scic-portes-ouvertes@scic-loches.fr")
    html = event.description_html
    dangerous_bits = ("<script", "alert", "onclick", "onmouseover", "javascript:", "<style", "red")
    for dangerous in dangerous_bits:
        assert dangerous not in html
    assert "<b>découvrir</b>" in html
    assert '<a href="https://scic-loches.fr/portes-ouvertes"' in html
    assert event.description_text == "Venez découvrir notre coopérative.\nProgramme sur le site."


def test_html_description_is_sanitised():
    event = event_in("alt_desc_html_with_script.ics", "scic-html-in-description@scic-loches.fr")
    assert event.description_html == "<p>Inscription <strong>obligatoire</strong></p>"
    assert event.description_text == "Inscription obligatoire"


def test_plain_description_is_escaped_into_paragraphs_and_title_stays_plain_text():
    event = by_uid(parse("alt_desc_html_with_script.ics"), "scic-plain-description@scic-loches.fr")
    assert event.description_html == (
        "<p>Ligne 1 &lt; ligne 2</p><p>Nouveau paragraphe &amp; fin.</p>"
    )
    assert event.description_text == "Ligne 1 < ligne 2\n\nNouveau paragraphe & fin."
    assert event.title == "Atelier <menuiserie> & réparation"


def test_geo_categories_organizer_and_url():
    event = by_uid(parse("geo_categories_organizer.ics"), "ess-loiret-forum@ess45.fr")
    location = event.location
    assert (location.name, location.address) == ("Centre de conférences", "9 place du 6 Juin 1944")
    assert (location.postcode, location.city, location.department) == ("45000", "Orléans", "45")
    assert (location.lat, location.lon) == (47.9029, 1.9093)
    assert event.categories == (
        "Économie sociale", "Emploi", "Solidarité", "Coopération, mutualisation"
    )
    assert event.organizer == "Collectif ESS Loiret"
    assert event.url == "https://ess45.fr/forum-2024"


def test_organizer_without_name_multi_line_location_apple_geo_and_unsafe_url():
    event = by_uid(parse("geo_categories_organizer.ics"), "ess-loiret-apero@ess45.fr")
    assert event.organizer == "benevoles@ess45.fr"
    assert event.location.name == "Le 108"
    assert event.location.department == "45"
    assert (event.location.lat, event.location.lon) == (47.9006, 1.913)
    assert event.url is None  # javascript: is not a link


@pytest.mark.parametrize(
    ("uid", "online_url", "image_url"),
    [
        ("tiers-lieux-visio@tierslieux-cvl.fr", "https://visio.tierslieux-cvl.fr/b/reseau",
         "https://tierslieux-cvl.fr/img/visio.png"),
        ("tiers-lieux-zoom@tierslieux-cvl.fr", "https://us02web.zoom.us/j/123456789",
         "https://tierslieux-cvl.fr/img/formation.jpg"),
    ],
)
def test_conference_link_and_image(uid, online_url, image_url):
    event = by_uid(parse("conference_and_image.ics"), uid)
    assert (event.online_url, event.image_url) == (online_url, image_url)


def test_video_link_in_the_description_is_the_online_url():
    assert parse("utc_times.ics").events[0].online_url == "https://meet.jit.si/ess-financement-cvl"


@pytest.mark.parametrize(
    ("name", "department"),
    [
        ("floating_times.ics", "18"), ("vtimezone_tzid.ics", "28"), ("all_day_multi_day.ics", "36"),
        ("x_wr_timezone_utc_times.ics", "37"), ("rrule_exdate_override.ics", "41"),
        ("duration_instead_of_dtend.ics", "45"),
    ],
)
def test_department_comes_from_the_postcode(name, department):
    assert parse(name).events[0].location.department == department


def test_events_without_uid_get_stable_distinct_uids():
    first, second = parse("no_uid.ics"), parse("no_uid.ics")
    uids = [event.source_uid for event in first.events]
    assert uids == [event.source_uid for event in second.events]
    assert len(set(uids)) == 3
    assert uids[1] == uids[0] + "-2"  # same link and start: told apart in file order


def test_missing_or_unreadable_dtstart_skips_the_item_not_the_document():
    result = parse("missing_dtstart_item_skipped.ics")
    assert [event.source_uid for event in result.events] == ["bonne-date@asso-montargis.fr"]
    assert result.skipped == 2
    assert result.warnings == [
        "Skipped event 'Réunion (date à venir)': it has no readable start date.",
        "Skipped event 'Réunion du 31 février': it has no readable start date.",
    ]


# --- documents -------------------------------------------------------------------------------


def test_zero_events_is_a_valid_empty_result():
    result = parse("no_events.ics")
    assert (result.format, result.events, result.skipped) == ("ics", [], 0)


def test_several_calendars_in_one_file():
    titles = [event.title for event in parse("several_calendars.ics").events]
    assert titles == ["Conférence sur les communs", "Soirée monnaie locale", "Marché des créateurs"]


def test_bare_vevent_without_vcalendar_is_read():
    assert [event.source_uid for event in parse("bare_vevent_without_vcalendar.ics").events] == [
        "seul@exemple.fr"
    ]


def test_utf8_bom_is_ignored():
    assert (DATA / "bom_utf8.ics").read_bytes().startswith(b"\xef\xbb\xbf")
    event = parse("bom_utf8.ics").events[0]
    assert event.title == "Marché de producteurs à Châteaudun"


def test_windows_1252_bytes_and_lf_line_endings():
    body = (DATA / "windows_1252_lf_line_endings.ics").read_bytes()
    assert b"\r\n" not in body
    result = parse("windows_1252_lf_line_endings.ics")
    event = result.events[0]
    assert event.title == "Fête de l'économie sociale et solidaire – entrée libre"
    assert event.location.city == "Issoudun"
    assert result.warnings == ["Some lines are not valid UTF-8; they were read as Windows-1252."]


def test_utf16_with_bom_is_decoded():
    body = (DATA / "bom_utf8.ics").read_bytes()[3:].decode("utf-8").encode("utf-16")
    result = parse_ical(body, default_tz=PARIS, window=WINDOW)
    assert result.events[0].title == "Marché de producteurs à Châteaudun"


@pytest.mark.parametrize(
    "body",
    [
        (DATA / "html_page_instead_of_calendar.ics").read_bytes(),
        b"",
        b"   \r\n",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Collectif ESS\r\nEND:VCARD\r\n",
        b'{"events": []}',
    ],
    ids=["html", "empty", "blank", "vcard", "json"],
)
def test_not_icalendar(body):
    with pytest.raises(ParseError) as caught:
        parse_ical(body, default_tz=PARIS, window=WINDOW)
    assert caught.value.code == "parse.not_ical"
    assert str(caught.value) == "This is not an iCalendar file."


def test_truncated_calendar():
    with pytest.raises(ParseError) as caught:
        parse("truncated_no_end_vcalendar.ics")
    assert caught.value.code == "parse.truncated"
    assert str(caught.value) == "The calendar is cut short: END:VCALENDAR is missing."


def test_syntax_error_names_the_line():
    with pytest.raises(ParseError) as caught:
        parse("syntax_error_line_number.ics")
    error = caught.value
    assert error.code == "parse.syntax"
    assert str(error) == "Parse error at line 9: Offset must be less than 24 hours, was +9900."
    assert error.data["line"] == 9


def test_a_cut_second_calendar_is_dropped_with_a_warning():
    body = (DATA / "several_calendars.ics").read_bytes().rsplit(b"END:VCALENDAR", 1)[0]
    result = parse_ical(body, default_tz=PARIS, window=WINDOW)
    assert [event.source_uid for event in result.events] == ["tours-1@exemple.fr"]
    assert any("cut short" in warning for warning in result.warnings)


def test_naive_window_is_read_in_the_default_zone():
    window = (datetime(2024, 9, 8), datetime(2024, 10, 1))
    result = parse("rrule_exdate_override.ics", window=window)
    master = by_uid(result, "amap-distribution@amap-vendome.fr")
    assert starts(master) == [paris(2024, 9, 9, 18), paris(2024, 9, 30, 18)]
