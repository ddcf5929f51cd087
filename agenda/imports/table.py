"""Read a spreadsheet file into a table: its header and its lines, numbered as the spreadsheet
program shows them.

CSV: the encoding is told from the bytes (UTF-8 with or without BOM, UTF-16 with BOM, else
Windows-1252, what Excel writes in France) and the separator from the header (``;`` ``,`` or
tab).  XLSX: read with openpyxl in read-only mode, values as the file saved them; a formula
is never computed: a formula cell without a saved result becomes an ``Unreadable`` cell (a
line error later), as does a cell holding a spreadsheet error (#DIV/0!...).  A file that is
neither is a ``SpreadsheetError``, never a crash.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from agenda.imports.problems import SpreadsheetError
from agenda.messages import N_

MAX_LINES = 50_000
MAX_COLUMNS = 200
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX that unzips to more is refused (zip bomb)
DELIMITERS = (";", ",", "\t")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be used: a formula without saved result, an error value."""

    code: str  # import.formula | import.error_value
    text: str


@dataclass(frozen=True)
class TableRow:
    line: int  # as the spreadsheet program numbers it (the header is usually line 1)
    cells: tuple


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_table(content: bytes, filename: str = "") -> Table:
    """The table of an uploaded file; ``SpreadsheetError`` when it is not a readable one."""
    name = filename.lower()
    if content.startswith(_ZIP):
        return read_xlsx(content)
    if content.startswith(_OLE) or name.endswith(".xls"):
        raise SpreadsheetError(N_("This is an old Excel file (.xls): save it as .xlsx or as "
                                  "CSV, then send it again."), code="import.old_excel")
    if name.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(N_("This file is named .xlsx but is not an Excel workbook (it "
                                  "may be damaged, or another kind of file renamed)."),
                               code="import.not_xlsx")
    if name.endswith((".ods", ".numbers", ".pdf", ".doc", ".docx")):
        raise SpreadsheetError(N_("Only CSV and XLSX files can be imported: save the table in "
                                  "one of these formats."), code="import.unknown_format")
    return read_csv(content)


# --- CSV -------------------------------------------------------------------------------------

def read_csv(content: bytes) -> Table:
    text, encoding = decode_text(content)
    if "\x00" in text:
        raise SpreadsheetError(N_("This file is not a text table (CSV) nor an Excel workbook."),
                               code="import.not_text")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(number, tuple(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SpreadsheetError(N_("The CSV file cannot be read near line %(line)s (a quote "
                                  "left open, or a text too long?)."),
                               code="import.csv_unreadable", line=reader.line_num) from error
    table = _table("csv", lines)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def decode_text(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(content, "utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding), "windows-1252" if encoding == "cp1252" else "utf-8"
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1"), "iso-8859-1"  # every byte is a character there


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        raise SpreadsheetError(N_("The text of this file cannot be read (its encoding is "
                                  "damaged)."), code="import.bad_encoding") from error


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first non-empty line into the most cells (";" on a tie:
    French spreadsheets write it, and commas are common inside French texts)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ";", 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([first], delimiter=delimiter), []))
        if count > most:
            best, most = delimiter, count
    return best


# --- XLSX ------------------------------------------------------------------------------------

def read_xlsx(content: bytes) -> Table:
    """The first sheet's saved values; a second, formula-revealing pass only when some sheet
    holds formulas (openpyxl shows either the saved values or the formulas, not both)."""
    with_formulas = _holds_formulas(content)  # first: it also refuses zip bombs
    books = [_open_book(content, True)]
    try:
        if with_formulas:
            books.append(_open_book(content, False))
        values = books[0].worksheets[0]
        formulas = books[-1].worksheets[0].iter_rows() if len(books) > 1 else None
        table = _table("xlsx", _sheet_lines(values.iter_rows(), formulas))
        table.sheet = values.title
        return table
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet inside a valid zip
        raise _not_xlsx() from error
    finally:
        for book in books:
            book.close()


def _holds_formulas(content: bytes) -> bool:
    """Whether any worksheet of the workbook has a formula element (checked on its XML; also
    refuses a workbook that unzips to too much, a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
                raise SpreadsheetError(N_("This workbook is too large to import once unzipped: "
                                          "split it into smaller files."),
                                       code="import.too_large")
            return any(_FORMULA.search(archive.read(info)) for info in members
                       if info.filename.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _not_xlsx() from error


def _open_book(content: bytes, data_only: bool):
    import openpyxl  # only when a workbook comes: the CLI starts faster without it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _not_xlsx() from error
    if not book.worksheets:
        book.close()
        raise _not_xlsx()
    return book


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(N_("This file is not a readable Excel workbook (.xlsx): it may be "
                               "damaged, or another kind of file renamed."),
                            code="import.not_xlsx")


def _sheet_lines(value_rows, formula_rows=None):
    """(line number, cells) of the sheet, each cell its saved value or an Unreadable (the
    formula rows, when given, run beside the value rows: the same rows of the same XML)."""
    formula_rows = formula_rows if formula_rows is not None else _no_formulas()
    for number, (values, formulas) in enumerate(zip(value_rows, formula_rows), start=1):
        cells = tuple(_cell_value(v, f) for v, f in zip(values, formulas or _nothing(values)))
        line = getattr(values[0], "row", None) if values else None
        yield line or number, cells


def _no_formulas():
    while True:
        yield None


def _nothing(values):
    return (None,) * len(values)


def _cell_value(value_cell, formula_cell):
    value = value_cell.value
    if getattr(value_cell, "data_type", None) == "e":
        return Unreadable("import.error_value", str(value))
    if value is None and getattr(formula_cell, "data_type", None) == "f":
        return Unreadable("import.formula", str(formula_cell.value)[:60])
    return value


# --- Both ------------------------------------------------------------------------------------

def _table(kind: str, lines) -> Table:
    """The first non-blank line is the header; blank lines after it are skipped (numbers kept)."""
    headers, rows = None, []
    for number, cells in lines:
        if not any(_filled(cell) for cell in cells):
            continue
        if headers is None:
            headers = [_header_text(cell) for cell in _trimmed(cells)]
            if len(headers) > MAX_COLUMNS:
                raise SpreadsheetError(N_("This table has more than %(limit)s columns."),
                                       code="import.too_many_columns", limit=MAX_COLUMNS)
            continue
        if len(rows) >= MAX_LINES:
            raise _too_many_lines()
        rows.append(TableRow(number, tuple(cells)))
    if headers is None:
        raise SpreadsheetError(N_("This file is empty."), code="import.empty")
    return Table(kind, headers, rows)


def _too_many_lines() -> SpreadsheetError:
    return SpreadsheetError(N_("This table has more than %(limit)s lines: split it into "
                               "smaller files."), code="import.too_many_lines",
                            limit=MAX_LINES)


def _filled(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _trimmed(cells: tuple) -> tuple:
    """The cells without the empty ones at the end (spreadsheets pad their rows)."""
    end = len(cells)
    while end and not _filled(cells[end - 1]):
        end -= 1
    return cells[:end]


def _header_text(cell) -> str:
    if isinstance(cell, Unreadable) or cell is None:
        return ""
    return " ".join(str(cell).split())
