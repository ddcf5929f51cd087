"""The lines of a directory (actors or initiatives) read into rows of values, and what can be
said of a line: refused (nothing of it is imported) or flagged (imported, with what could not
be accepted as it was kept aside for staff).  Pure.

A row's ``values`` are texts cleaned of control characters (``agenda.text_clean``), lists for
approvals and themes' words, floats for coordinates, dates for an initiative's dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from agenda.collectors.normalize import valid_point
from agenda.imports.cell_dates import read_date
from agenda.imports.directory_mapping import DirectoryMapping, header_key
from agenda.imports.line_cells import text_of
from agenda.imports.table import Table, Unreadable
from agenda.messages import N_
from agenda.text_clean import clean_line, clean_text

TEXT_MAX = {"name": 200, "title": 300, "description": 10_000, "address": 500,
            "website": 2000, "url": 2000, "contact_email": 254, "contact_phone": 40,
            "postcode": 10, "city": 200, "territory": 200, "porteur": 200}
LIST_FIELDS = ("approvals", "themes")
_LIST_SPLIT = re.compile(r"\s*[;,|/\n]\s*")

SENTENCES = {
    # refused: nothing of the line is imported
    "directory.no_name": N_("The name is empty."),
    "directory.no_title": N_("The title is empty."),
    "directory.duplicate": N_("Same actor or initiative as line %(other)s (same SIREN, RNA "
                              "number, or name and postcode): only the first was imported."),
    "gogocarto.not_object": N_("This element is not a record of the map."),
    "gogocarto.no_name": N_("This element has no name."),
    # flagged: imported, the value kept aside
    "siren.invalid": N_("The SIREN “%(value)s” is not a valid number (nine digits with a "
                        "check digit): kept on the record for staff to check."),
    "siret.invalid": N_("The SIRET “%(value)s” is not a valid number (fourteen digits with a "
                        "check digit): kept on the record for staff to check."),
    "rna.invalid": N_("The RNA number “%(value)s” is not valid (W and nine characters): kept "
                      "on the record for staff to check."),
    "siret.other_siren": N_("The SIRET “%(value)s” is not one of the SIREN given: kept on the "
                            "record for staff to check."),
    "directory.bad_date": N_("“%(value)s” is not a date: left empty."),
    "directory.bad_point": N_("The coordinates “%(value)s” are not a point on Earth: left "
                              "empty."),
    "directory.no_porteur": N_("No known actor is called “%(value)s”: the initiative has no "
                               "lead actor yet."),
    # what the actors' door (``services.actors.save_actor``) left aside
    "website.invalid": N_("The website “%(value)s” is not a web address starting with "
                          "https:// or http://: left empty."),
    "contact_email.invalid": N_("The e-mail address “%(value)s” is not valid: left empty."),
    "structure.unknown": N_("The kind of structure “%(value)s” is not known: left empty."),
    "theme.unknown": N_("The theme “%(value)s” is not one of the region's: left out."),
    "lat.invalid": N_("The latitude “%(value)s” is not valid: left empty."),
    "lon.invalid": N_("The longitude “%(value)s” is not valid: left empty."),
    "name.taken": N_("Another actor is already called “%(value)s”: the name was not "
                     "changed."),
    "siren.taken": N_("Another actor already has the SIREN “%(value)s”: kept on the record "
                      "for staff to check."),
    "rna.taken": N_("Another actor already has the RNA number “%(value)s”: kept on the "
                    "record for staff to check."),
}
UNKNOWN = N_("“%(value)s” could not be accepted as it was.")


@dataclass(frozen=True)
class RowProblem:
    """What is said of one line (its number in the sheet, or an element's id on a map)."""

    line: int | str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return SENTENCES.get(self.code, UNKNOWN)

    @property
    def message(self) -> str:
        return self.template % {"value": "", **self.params} if "%(" in self.template \
            else self.template


@dataclass
class DirectoryRow:
    line: int | str
    values: dict
    flags: list[RowProblem] = field(default_factory=list)
    label: str = ""  # its name or title, for the report


@dataclass
class DirectoryLines:
    rows: list[DirectoryRow] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)


def read_directory_rows(table: Table, kind: str, mapping: DirectoryMapping) -> DirectoryLines:
    """Every line of ``table`` read with ``mapping``; a line without its name (actors) or
    title (initiatives) is refused."""
    lines = DirectoryLines()
    required = "name" if kind == "actors" else "title"
    for row in table.rows:
        values, flags = _row_values(row.cells, mapping, row.line)
        if not values.get(required):
            lines.refused.append(RowProblem(row.line, f"directory.no_{required}"))
            continue
        lines.rows.append(DirectoryRow(row.line, values, flags, values[required]))
    return lines


def _row_values(cells: tuple, mapping: DirectoryMapping, line: int) -> tuple[dict, list]:
    values: dict = {}
    flags: list[RowProblem] = []
    for field_name, column in mapping.items():
        cell = cells[column] if column < len(cells) else None
        if isinstance(cell, Unreadable) or cell is None:
            continue
        if field_name in ("starts_on", "ends_on"):
            day = _day(cell)
            if day is None and text_of(cell).strip():
                flags.append(RowProblem(line, "directory.bad_date",
                                        {"value": clean_line(text_of(cell))[:40]}))
            values[field_name] = day
        elif field_name in ("lat", "lon"):
            values[field_name] = number_of(cell)
        else:
            values[field_name] = field_value(field_name, text_of(cell))
    _check_point(values, flags, line)
    return {k: v for k, v in values.items() if v not in (None, "", [])}, flags


def field_value(field_name: str, text: str):
    """A cell's text as the field wants it: a list of words, a postcode, a line of text."""
    if field_name in LIST_FIELDS:
        return [w for w in (clean_line(p)[:100] for p in _LIST_SPLIT.split(text or "")) if w]
    if field_name == "description":
        return clean_text(text or "").strip()[:TEXT_MAX["description"]]
    value = clean_line(text or "")
    if field_name == "postcode" and value.isdigit() and len(value) == 4:
        value = "0" + value  # a spreadsheet ate its leading zero
    return value[:TEXT_MAX.get(field_name, 200)]


def number_of(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None


def _day(cell) -> date | None:
    found = read_date(cell)
    return found[0] if found else None


def _check_point(values: dict, flags: list, line) -> None:
    lat, lon = values.get("lat"), values.get("lon")
    if lat is None and lon is None:
        return
    checked = valid_point(lat, lon)
    if checked[0] is None:
        flags.append(RowProblem(line, "directory.bad_point", {"value": f"{lat}, {lon}"}))
    values["lat"], values["lon"] = checked


def actor_key(values: dict, numbers: dict) -> str:
    """What identifies an actor of an import: its SIREN, else its RNA number, else its
    name and postcode (folded: "Le Grenier" and "LE GRENIER" are one)."""
    if numbers.get("siren"):
        return f"siren:{numbers['siren']}"
    if numbers.get("rna"):
        return f"rna:{numbers['rna']}"
    return f"name:{header_key(values.get('name', ''))}:{values.get('postcode', '')}"
