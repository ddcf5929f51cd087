"""What the import pages show: sentences in the page's language, the preview lines, the
mapping's choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask_babel import gettext

from agenda.imports.mapping import FIELDS, LABELS, REQUIRED, Mapping
from agenda.imports.problems import COLUMN_WORDS, LineError
from agenda.imports.rows import ReadLines, column_letter
from agenda.imports.table import Table
from agenda.web.shared.dates import when_text

PREVIEW_LINES = 10
SHOWN_ERRORS = 500


def error_sentence(error: LineError) -> str:
    values = {k: gettext(COLUMN_WORDS[v]) if k == "column" and v in COLUMN_WORDS else v
              for k, v in error.params.items()}
    return gettext(error.template) % values


@dataclass(frozen=True)
class PreviewLine:
    line: int
    title: str
    when: str
    place: str
    errors: list[str]


def preview_lines(table: Table, lines: ReadLines, tz: ZoneInfo) -> list[PreviewLine]:
    """The first lines of the file as they will be read: the event, or why it is refused."""
    records = dict(lines.records)
    errors: dict[int, list[str]] = {}
    for error in lines.errors:
        errors.setdefault(error.line, []).append(error_sentence(error))
    shown = []
    for row in table.rows[:PREVIEW_LINES]:
        record = records.get(row.line)
        if record is None:
            shown.append(PreviewLine(row.line, "", "", "", errors.get(row.line, [])))
            continue
        place = ", ".join(p for p in (record.location.name, record.location.city) if p)
        shown.append(PreviewLine(row.line, record.title, _when(record.occurrences[0], tz),
                                 place, []))
    return shown


def _when(occurrence, tz: ZoneInfo) -> str:
    """The date as the event page will say it."""
    if occurrence.all_day:
        start, end = occurrence.start, occurrence.end
        return when_text(SimpleNamespace(all_day=True, start_date=start, end_date=end,
                                         start_at=_midnight(start, tz),
                                         end_at=_midnight(end, tz)), tz)
    return when_text(SimpleNamespace(all_day=False, start_date=None, end_date=None,
                                     start_at=occurrence.start, end_at=occurrence.end), tz)


def _midnight(day, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def error_list(lines: ReadLines) -> list[tuple[int, str]]:
    return [(error.line, error_sentence(error)) for error in lines.errors[:SHOWN_ERRORS]]


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    required: bool
    column: int | None  # the column chosen, None: not imported


def field_choices(mapping: Mapping) -> list[FieldChoice]:
    return [FieldChoice(f, gettext(LABELS[f]), f in REQUIRED, mapping.get(f)) for f in FIELDS]


def column_options(table: Table) -> list[tuple[int, str]]:
    """Each column as the select shows it: 'C · Heure' (its letter, then its header)."""
    return [(index, f"{column_letter(index)} · {header}" if header
             else column_letter(index)) for index, header in enumerate(table.headers)]


def mapping_from_form(form, table: Table) -> Mapping:
    """The mapping the staff chose (a column that is not in the table is ignored)."""
    mapping = {}
    for field_name in FIELDS:
        value = form.get(f"map-{field_name}", "")
        if value.isdigit() and int(value) < len(table.headers):
            mapping[field_name] = int(value)
    return mapping


def format_label(table: Table) -> str:
    """'CSV, Windows-1252, separated by semicolons' / 'Excel workbook, sheet “Feuil1”'."""
    if table.kind == "xlsx":
        return gettext("Excel workbook (.xlsx), sheet “%(sheet)s”", sheet=table.sheet or "")
    separators = {";": gettext("semicolons"), ",": gettext("commas"), "\t": gettext("tabs")}
    return gettext("CSV text in %(encoding)s, separated by %(separator)s",
                   encoding=_ENCODINGS.get(table.encoding, table.encoding),
                   separator=separators.get(table.delimiter, table.delimiter))


_ENCODINGS = {"utf-8": "UTF-8", "windows-1252": "Windows-1252", "utf-16": "UTF-16",
              "iso-8859-1": "ISO-8859-1"}



HEADER_EXAMPLES = {  # headers as people write them (data: the same in every language)
    "title": "Titre, Intitulé, Nom de l’évènement, Title",
    "start_date": "Date de début, Début, Date, Start date",
    "start_time": "Heure, Heure de début, Horaire, Start time",
    "end_date": "Date de fin, Fin, End date",
    "end_time": "Heure de fin, End time",
    "place": "Lieu, Salle, Venue",
    "address": "Adresse, Address",
    "postcode": "Code postal, CP, Postcode",
    "city": "Ville, Commune, City",
    "organizer": "Organisateur, Structure, Organizer",
    "description": "Description, Présentation, Résumé",
    "url": "Lien, Site web, URL, Link",
    "categories": "Catégories, Thèmes, Mots-clés, Tags",
    "uid": "Identifiant, Référence, ID, UID",
    "image": "Image, Photo, Visuel",
    "online_url": "En ligne, Lien visio, Online link",
}


def header_examples() -> list[tuple[str, str]]:
    return [(gettext(LABELS[f]), HEADER_EXAMPLES[f]) for f in FIELDS]
