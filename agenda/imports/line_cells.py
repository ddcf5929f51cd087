"""The cells of one line by field, read as text, links or categories, and the errors found
while reading them (each with the line's number).  Pure."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from agenda.imports.mapping import Mapping
from agenda.imports.problems import LineError
from agenda.imports.table import TableRow, Unreadable
from agenda.text_clean import clean_line, clean_text

_CATEGORY_SPLIT = re.compile(r"[,;|\n]+")


class LineCells:
    """The cells of one line by field, and the errors found while reading them."""

    def __init__(self, row: TableRow, mapping: Mapping):
        self.row, self.mapping = row, mapping
        self.errors: list[LineError] = []
        self._failed: set[str] = set()

    def error(self, code: str, **params) -> None:
        self.errors.append(LineError(self.row.line, code, params))

    def failed(self, name: str) -> bool:
        return name in self._failed

    def check_width(self, width: int | None) -> bool:
        """Whether the line has a cell too few or too many (an error then)."""
        cells = self.row.cells
        if width is None or len(cells) == width:
            return False
        if len(cells) < width:
            self.error("import.short_line", cells=len(cells), columns=width)
        elif any(text_of(cell) for cell in cells[width:]):
            self.error("import.long_line", cells=len(cells), columns=width)
        return bool(self.errors)

    def fail(self, name: str) -> None:
        self._failed.add(name)

    def cell(self, name: str):
        """The raw value of the field's cell (None when unmapped or empty)."""
        index = self.mapping.get(name)
        if index is None or index >= len(self.row.cells):
            return None
        value = self.row.cells[index]
        if isinstance(value, Unreadable):
            self.fail(name)
            self.error(value.code, cell=f"{column_letter(index)}{self.row.line}",
                       value=value.text)
            return None
        return None if isinstance(value, str) and not value.strip() else value

    def text(self, name: str, limit: int, *, multiline: bool = False) -> str:
        value = text_of(self.cell(name))
        value = clean_text(value).strip() if multiline else clean_line(value)
        if len(value) > limit:
            self.error("import.too_long", column=name, length=len(value), limit=limit)
            return ""
        return value

    def url(self, name: str) -> str | None:
        value = clean_line(text_of(self.cell(name)))
        if value and not re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
            self.error("import.bad_url", column=name, value=excerpt(value))
            return None
        return value or None

    def categories(self) -> tuple[str, ...]:
        words = (clean_line(w) for w in _CATEGORY_SPLIT.split(text_of(self.cell("categories"))))
        return tuple(dict.fromkeys(w for w in words if w))


def text_of(value) -> str:
    """A cell as text: numbers without a useless '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def excerpt(text: str, limit: int = 40) -> str:
    text = clean_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
