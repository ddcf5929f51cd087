"""Reading the file: encodings, separators, XLSX values, formulas never computed, and files
that are not tables refused with a code and a sentence (never a crash)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest

from agenda.imports import table as table_module
from agenda.imports.problems import SpreadsheetError
from agenda.imports.table import Unreadable, read_table

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def read(name: str):
    return read_table((DATA / name).read_bytes(), name)


def test_windows_1252_keeps_its_accents():
    table = read("windows-1252.csv")
    assert table.encoding == "windows-1252"
    assert table.headers[1] == "Date de début"
    assert table.rows[0].cells[0] == "Fête de la récup"
    assert table.rows[0].cells[4] == "Châteauroux"


def test_utf8_with_a_byte_order_mark_loses_the_mark():
    content = "\ufeffTitre;Date\nA;12/11/2026\n".encode("utf-8")
    table = read_table(content, "bom.csv")
    assert (table.encoding, table.headers) == ("utf-8", ["Titre", "Date"])


def test_utf16_as_excel_saves_unicode_text():
    content = "Titre\tDate\nÉté\t12/11/2026\n".encode("utf-16")
    table = read_table(content, "unicode.txt")
    assert (table.delimiter, table.rows[0].cells) == ("\t", ("Été", "12/11/2026"))


@pytest.mark.parametrize("name, delimiter", [
    ("semicolons.csv", ";"), ("english-sheet.csv", ","), ("tabs.csv", "\t"),
])
def test_the_separator_is_told_from_the_header(name, delimiter):
    assert read(name).delimiter == delimiter


def test_commas_inside_semicolon_separated_texts_stay_in_their_cell():
    table = read("semicolons.csv")
    assert table.rows[0].cells[0] == "Assemblée générale, ouverte à tous"
    assert len(table.rows[0].cells) == 5


def test_lines_are_numbered_as_the_spreadsheet_shows_them():
    content = b"\n\nTitre;Date\nA;12/11/2026\n;\nB;13/11/2026\n"
    table = read_table(content, "blank-lines.csv")
    assert [row.line for row in table.rows] == [4, 6]


def test_xlsx_values_come_as_the_workbook_saved_them():
    table = read("french-sheet.xlsx")
    assert (table.kind, table.sheet) == ("xlsx", "Programme")
    first = table.rows[0]
    assert first.line == 2
    assert first.cells[:5] == (101, "Repair café", datetime(2026, 11, 12), time(14, 30),
                               time(17, 0))


def test_a_formula_without_saved_result_is_never_computed():
    table = read("formulas.xlsx")
    cells = {row.line: row.cells for row in table.rows}
    assert cells[3][1] == Unreadable("import.formula", "=DATE(2026,11,13)")
    assert isinstance(cells[4][3], Unreadable)
    assert cells[2][1] == datetime(2026, 11, 12)


def test_a_formula_with_its_saved_result_gives_that_result():
    content = _with_saved_result((DATA / "formulas.xlsx").read_bytes(), "B3", "46339")
    cells = {row.line: row.cells for row in read_table(content, "saved.xlsx").rows}
    assert cells[3][1] == 46339  # the number saved (no date format on that cell)


def _with_saved_result(content: bytes, cell: str, value: str) -> bytes:
    """The workbook as a spreadsheet program saves it: the formula's result beside it."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v ?/>'.encode(),
                              rb"\1<v>" + value.encode() + b"</v>", data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_spreadsheet_error_value_is_unreadable():
    book = openpyxl.Workbook()
    book.active.append(["Titre", "Date"])
    book.active.append(["A", "#DIV/0!"])
    book.active["B2"].data_type = "e"
    saved = io.BytesIO()
    book.save(saved)
    cells = read_table(saved.getvalue(), "errors.xlsx").rows[0].cells
    assert cells[1] == Unreadable("import.error_value", "#DIV/0!")


@pytest.mark.parametrize("name, content, code", [
    ("not-really.xlsx", None, "import.not_xlsx"),
    ("broken.xlsx", b"PK\x03\x04" + b"\0" * 200, "import.not_xlsx"),
    ("zipped-text.xlsx", None, "import.not_xlsx"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "import.old_excel"),
    ("table.ods", b"PKnot really", "import.unknown_format"),
    ("empty.csv", b"", "import.empty"),
    ("blank.csv", b"\n ; ;\n\n", "import.empty"),
    ("binary.csv", b"Titre\x00\x01\x02", "import.not_text"),
])
def test_a_file_that_is_not_a_table_is_a_clear_error(name, content, code):
    if name == "zipped-text.xlsx":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        content = out.getvalue()
    with pytest.raises(SpreadsheetError) as raised:
        read_table(content if content is not None else (DATA / name).read_bytes(), name)
    assert raised.value.code == code and raised.value.message


def test_a_workbook_that_unzips_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(table_module, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(SpreadsheetError) as raised:
        read("french-sheet.xlsx")
    assert raised.value.code == "import.too_large"


def test_too_many_lines_is_refused_before_reading_them_all(monkeypatch):
    monkeypatch.setattr(table_module, "MAX_LINES", 3)
    content = "Titre;Date\n" + "A;12/11/2026\n" * 4
    with pytest.raises(SpreadsheetError) as raised:
        read_table(content.encode(), "many.csv")
    assert raised.value.code == "import.too_many_lines"
