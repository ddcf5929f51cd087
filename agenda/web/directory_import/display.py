"""What the directory import pages show: the mapping's choices, the first rows as they will be
read, and every sentence in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from agenda.imports.directory_mapping import LABELS, REQUIRED, fields_of, mapping_from_choices
from agenda.imports.directory_rows import RowProblem
from agenda.imports.line_cells import column_letter
from agenda.records.identifiers import check_numbers
from agenda.services.directory_import import DirectoryPrepared
from agenda.web.shared.i18n import N_

PREVIEW_ROWS = 10
SHOWN_PROBLEMS = 500
KINDS = {"actors": N_("Actors"), "initiatives": N_("Initiatives")}
FORMATS = {"csv": N_("CSV text"), "xlsx": N_("Excel workbook (.xlsx)"),
           "gogocarto": N_("GoGoCarto map export (JSON)")}


def problem_text(problem: RowProblem) -> str:
    """The sentence of a refused or flagged row, in the page's language."""
    template = gettext(problem.template)
    return template % {"value": "", **problem.params} if "%(" in template else template


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    required: bool
    column: int | None


def field_choices(prepared: DirectoryPrepared) -> list[FieldChoice]:
    return [FieldChoice(f, gettext(LABELS[f]), f == REQUIRED[prepared.kind],
                        prepared.mapping.get(f)) for f in fields_of(prepared.kind)]


def column_options(headers: list[str]) -> list[tuple[int, str]]:
    """Each column as the select shows it: 'C · Commune'."""
    return [(index, f"{column_letter(index)} · {header}" if header else column_letter(index))
            for index, header in enumerate(headers)]


def chosen_mapping(form, prepared: DirectoryPrepared) -> dict[str, int]:
    choices = {f: form.get(f"map-{f}", "") for f in fields_of(prepared.kind)}
    return mapping_from_choices(choices, prepared.kind, len(prepared.table.headers))


@dataclass(frozen=True)
class PreviewRow:
    line: int | str
    label: str
    numbers: str  # SIREN / RNA as read, or the lead actor of an initiative
    place: str
    themes: str
    notes: list[str]


def preview_rows(prepared: DirectoryPrepared) -> list[PreviewRow]:
    """The first rows as they will be imported, with what will be flagged."""
    shown = []
    for row in prepared.lines.rows[:PREVIEW_ROWS]:
        values = row.values
        notes = [problem_text(p) for p in row.flags]
        if prepared.kind == "actors":
            _, problems = check_numbers(siren_value=values.get("siren"),
                                        siret_value=values.get("siret"),
                                        rna_value=values.get("rna"))
            notes += [problem_text(RowProblem(row.line, p["code"], {"value": p["value"]}))
                      for p in problems]
            numbers = " · ".join(v for v in (values.get("siren"), values.get("rna")) if v)
            place = " ".join(v for v in (values.get("postcode"), values.get("city")) if v)
        else:
            numbers = values.get("porteur") or values.get("porteur_siren") or ""
            place = values.get("territory", "")
        shown.append(PreviewRow(row.line, row.label, numbers, place,
                                ", ".join(values.get("themes", [])), notes))
    return shown


def refused_list(problems: list[RowProblem]) -> list[tuple[int | str, str]]:
    return [(p.line, problem_text(p)) for p in problems[:SHOWN_PROBLEMS]]


def flagged_list(report) -> list[tuple[int | str, str, list[str]]]:
    return [(row.line, row.label, [problem_text(p) for p in row.problems])
            for row in report.flagged[:SHOWN_PROBLEMS]]
