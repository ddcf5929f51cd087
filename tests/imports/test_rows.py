"""Lines -> events: French and English dates and times, Excel dates, ends, places, links,
and the line errors (a line with an error gives no event); identities stable across imports."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from agenda.imports.cell_dates import read_date, read_time, read_time_range
from agenda.imports.mapping import guess_mapping
from agenda.imports.rows import column_letter, read_lines, read_row
from agenda.imports.table import Table, TableRow, Unreadable

PARIS = ZoneInfo("Europe/Paris")
HEADERS = ["Identifiant", "Titre", "Date de début", "Heure", "Date de fin", "Heure de fin",
           "Lieu", "Adresse", "Code postal", "Ville", "Lien", "Catégories"]
MAPPING = guess_mapping(HEADERS)


def line(**cells):
    """A row with the given cells by field name (the others empty)."""
    values = dict.fromkeys(range(len(HEADERS)), "")
    for field, value in cells.items():
        values[MAPPING[field]] = value
    return TableRow(2, tuple(values[i] for i in range(len(HEADERS))))


def record_of(**cells):
    record, errors = read_row(line(**cells), MAPPING, tz=PARIS, width=len(HEADERS))
    assert errors == [], [e.message for e in errors]
    return record


def errors_of(**cells) -> list[str]:
    record, errors = read_row(line(**cells), MAPPING, tz=PARIS, width=len(HEADERS))
    assert record is None
    return [e.code for e in errors]


@pytest.mark.parametrize("text, day, moment", [
    ("12/11/2026", date(2026, 11, 12), None), ("12/11/26", date(2026, 11, 12), None),
    ("12.11.2026", date(2026, 11, 12), None), ("2026-11-12", date(2026, 11, 12), None),
    ("12 novembre 2026", date(2026, 11, 12), None),
    ("jeudi 12 novembre 2026", date(2026, 11, 12), None),
    ("1er décembre 2026", date(2026, 12, 1), None), ("12 nov. 2026", date(2026, 11, 12), None),
    ("12 Février 2027", date(2027, 2, 12), None), ("November 12, 2026", date(2026, 11, 12), None),
    ("12/11/2026 14:30", date(2026, 11, 12), time(14, 30)),
    ("12/11/2026 à 14h30", date(2026, 11, 12), time(14, 30)),
    ("2026-11-12T09:05:00", date(2026, 11, 12), time(9, 5)),
    ("46338", date(2026, 11, 12), None),  # an Excel date written as its number
    (46338.75, date(2026, 11, 12), time(18, 0)),
    (datetime(2026, 11, 12), date(2026, 11, 12), None),
    (datetime(2026, 11, 12, 18, 0), date(2026, 11, 12), time(18, 0)),
])
def test_dates_as_people_write_them(text, day, moment):
    assert read_date(text) == (day, moment)


@pytest.mark.parametrize("text", ["31/02/2026", "le 31 février", "demain", "12/13/2026",
                                  "2026-11-12 vers midi", "", True])
def test_what_is_not_a_date_is_said_so(text):
    assert read_date(text) is None


@pytest.mark.parametrize("text, moment", [
    ("14h30", time(14, 30)), ("14 h 30", time(14, 30)), ("14H30", time(14, 30)),
    ("14h", time(14, 0)), ("14:30", time(14, 30)), ("14:30:00", time(14, 30)),
    ("9h05", time(9, 5)), ("2 pm", time(14, 0)), ("8:30 am", time(8, 30)),
    (time(14, 30), time(14, 30)), (0.604166666, time(14, 30)), ("14\u202fh\u202f30", time(14, 30)),
])
def test_times_as_people_write_them(text, moment):
    assert read_time(text) == moment


@pytest.mark.parametrize("text", ["25h", "14h75", "midi", "vers 14h", 3])
def test_what_is_not_a_time_is_said_so(text):
    assert read_time(text) is None


@pytest.mark.parametrize("text, start, end", [
    ("14h - 16h30", time(14), time(16, 30)), ("de 14h à 16h", time(14), time(16)),
    ("2pm to 4pm", time(14), time(16)), ("14h30", time(14, 30), None),
])
def test_a_time_cell_may_hold_a_range(text, start, end):
    assert read_time_range(text) == (start, end)


def test_a_timed_line_is_read_in_the_region_zone():
    record = record_of(uid="a1", title="Repair café", start_date="12/11/2026",
                       start_time="14h30", end_time="17h", place="Tiers-lieu",
                       postcode="45000", city="Orléans", url="https://example.org/a1",
                       categories="Réemploi, Mois de l'ESS; réemploi")
    assert (record.source_uid, record.title, record.all_day) == ("a1", "Repair café", False)
    assert record.start == datetime(2026, 11, 12, 14, 30, tzinfo=PARIS)
    assert record.end == datetime(2026, 11, 12, 17, 0, tzinfo=PARIS)
    assert record.timezone == "Europe/Paris"
    assert (record.location.name, record.location.department) == ("Tiers-lieu", "45")
    assert record.categories == ("Réemploi", "Mois de l'ESS", "réemploi")
    assert record.occurrences[0].start == record.start


def test_a_line_without_time_is_an_all_day_event_until_its_last_day():
    record = record_of(title="Festival", start_date="19/11/2026", end_date="22/11/2026")
    assert record.all_day and record.start == date(2026, 11, 19)
    assert record.occurrences[0].end == date(2026, 11, 23)  # exclusive, as in iCalendar


def test_a_range_in_the_time_cell_gives_the_end():
    record = record_of(title="Atelier", start_date="12/11/2026", start_time="14h - 16h")
    assert record.end == datetime(2026, 11, 12, 16, 0, tzinfo=PARIS)


def test_an_end_time_before_the_start_time_is_the_next_morning():
    record = record_of(title="Concert", start_date="12/11/2026", start_time="22h",
                       end_time="2h")
    assert record.end == datetime(2026, 11, 13, 2, 0, tzinfo=PARIS)


def test_an_address_with_its_postcode_gives_the_town_and_department():
    record = record_of(title="Forum", start_date="12/11/2026",
                       address="Salle des fêtes, 3 rue des Halles, 37000 Tours")
    location = record.location
    assert (location.postcode, location.city, location.department) == ("37000", "Tours", "37")


def test_a_postcode_that_lost_its_leading_zero_in_the_sheet_gets_it_back():
    assert record_of(title="A", start_date="12/11/2026", postcode=1000).location.postcode == "01000"


@pytest.mark.parametrize("cells, code", [
    ({"title": "", "start_date": "12/11/2026"}, "import.no_title"),
    ({"title": "A", "start_date": ""}, "import.no_start"),
    ({"title": "A", "start_date": "31/02/2026"}, "import.bad_date"),
    ({"title": "A", "start_date": "12/11/2026", "start_time": "vers midi"}, "import.bad_time"),
    ({"title": "A", "start_date": "12/11/2026", "end_time": "18h"}, "import.end_time_alone"),
    ({"title": "A", "start_date": "20/11/2026", "end_date": "18/11/2026"},
     "import.end_before_start"),
    ({"title": "A", "start_date": "20/11/2026", "start_time": "14h", "end_date": "20/11/2026",
      "end_time": "12h"}, "import.end_before_start"),
    ({"title": "A", "start_date": "12/11/2026", "postcode": "4500A"}, "import.bad_postcode"),
    ({"title": "A", "start_date": "12/11/2026", "url": "www.example.org"}, "import.bad_url"),
    ({"title": "A", "start_date": "12/11/2026", "url": "javascript:alert(1)"},
     "import.bad_url"),
    ({"title": "A" * 301, "start_date": "12/11/2026"}, "import.too_long"),
])
def test_a_line_with_an_error_gives_no_event(cells, code):
    assert code in errors_of(**cells)


def test_every_error_of_a_line_is_reported_at_once():
    assert errors_of(title="", start_date="31/02/2026", url="ftp://x") == [
        "import.no_title", "import.bad_date", "import.bad_url"]


def test_a_formula_cell_is_a_line_error_naming_the_cell():
    row = TableRow(7, ("", "A", Unreadable("import.formula", "=DATE(2026,11,13)")))
    _, errors = read_row(row, MAPPING, tz=PARIS)
    assert [(e.code, e.params["cell"]) for e in errors] == [("import.formula", "C7")]
    assert "C7 holds a formula" in errors[0].message


@pytest.mark.parametrize("cells, code", [
    (("a", "A", "12/11/2026"), "import.short_line"),
    (("a", "A", "12/11/2026", *[""] * 9, "shifted"), "import.long_line"),
])
def test_a_csv_line_with_a_cell_too_few_or_too_many_is_refused(cells, code):
    _, errors = read_row(TableRow(3, cells), MAPPING, tz=PARIS, width=len(HEADERS))
    assert [e.code for e in errors] == [code]


def table(*rows) -> Table:
    return Table("csv", HEADERS, [TableRow(n, r) for n, r in enumerate(rows, start=2)])


def row(*cells):
    return tuple(cells) + ("",) * (len(HEADERS) - len(cells))


def test_lines_without_identifier_keep_the_same_identity_from_one_import_to_the_next():
    mapping = {k: v for k, v in MAPPING.items() if k != "uid"}
    first = read_lines(table(row("", "Repair café", "12/11/2026", "14h", "", "", "Tiers-lieu")),
                       mapping, tz=PARIS)
    again = read_lines(table(row("", "Repair café", "12/11/2026", "14h", "", "", "Tiers-lieu",
                                 "", "", "", "https://example.org/new-link")), mapping, tz=PARIS)
    assert first.records[0][1].source_uid == again.records[0][1].source_uid
    assert first.records[0][1].source_uid.startswith("line-")


def test_a_repeated_identifier_or_line_is_an_error_of_the_later_line():
    lines = read_lines(table(row("a1", "A", "12/11/2026"), row("a1", "B", "13/11/2026"),
                             row("a3", "C", "14/11/2026")), MAPPING, tz=PARIS)
    assert [n for n, _ in lines.records] == [2, 4]
    assert [(e.line, e.code, e.params) for e in lines.errors] == [
        (3, "import.duplicate_id", {"value": "a1", "other": 2})]
    mapping = {k: v for k, v in MAPPING.items() if k != "uid"}
    lines = read_lines(table(row("", "A", "12/11/2026"), row("", "A", "12/11/2026")), mapping,
                       tz=PARIS)
    assert [(e.line, e.code) for e in lines.errors] == [(3, "import.duplicate_line")]


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_columns_are_named_as_spreadsheets_name_them(index, letters):
    assert column_letter(index) == letters


def test_a_line_that_breaks_the_reader_is_refused_alone(monkeypatch):
    from agenda.imports import rows

    real = rows.read_row

    def breaks_on_line_3(row, *args, **kwargs):
        if row.line == 3:
            raise ValueError("a value no one foresaw")
        return real(row, *args, **kwargs)

    monkeypatch.setattr(rows, "read_row", breaks_on_line_3)
    lines = read_lines(table(row("a1", "A", "12/11/2026"), row("a2", "B", "13/11/2026")),
                       MAPPING, tz=PARIS)
    assert [n for n, _ in lines.records] == [2]
    assert [(e.line, e.code) for e in lines.errors] == [(3, "import.unreadable_line")]
