"""``agenda import FILE [--mapping FILE] [--source NAME] [--dry-run]``: import the events of a
CSV or XLSX spreadsheet into an import source, and say line by line what was refused.

Exit codes: 0 every line imported, 1 some lines were refused (the others were imported), 2 the
file or the mapping cannot be used (nothing imported).
"""

from __future__ import annotations

from pathlib import Path

import click

from agenda.cli.import_files import prepared_or_exit, print_report, read_import_file
from agenda.cli.runtime import Runtime, pass_runtime
from agenda.imports.mapping import FIELDS, read_mapping_file
from agenda.imports.table import read_table
from agenda.services.spreadsheet_import import (
    ImportReport,
    Prepared,
    import_spreadsheet,
    prepare_import,
)
from agenda.store.import_sources import default_import_name
from agenda.text_clean import printable


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path),
              help="JSON or TOML file: field = column header (or number from 1). "
                   f"Fields: {', '.join(FIELDS)}.")
@click.option("--source", "source_name", help="Import source to fill (created if new; "
                                               "default: “Import : FILE name”).")
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing.")
@pass_runtime
def import_(rt: Runtime, path: Path, mapping_path: Path | None, source_name: str | None,
            dry_run: bool) -> None:
    """Import the events of a CSV or XLSX file.  Exit 0 if every line was imported, 1 if
    some lines were refused, 2 if the file cannot be imported at all."""
    prepared = prepared_or_exit(lambda: _prepare(rt, path, mapping_path))
    report = import_spreadsheet(rt.factory, rt.settings, prepared,
                                source_name=source_name or default_import_name(path.name),
                                now=rt.now(), who="command line", dry_run=dry_run)
    print_report(report_lines(report), refused=bool(report.errors))


def _prepare(rt: Runtime, path: Path, mapping_path: Path | None) -> Prepared:
    content = read_import_file(path)
    mapping = None
    if mapping_path is not None:
        headers = read_table(content, path.name).headers
        mapping = read_mapping_file(mapping_path.read_text(encoding="utf-8-sig"),
                                    mapping_path.name, headers)
    return prepare_import(content, path.name, settings=rt.settings, mapping=mapping)


def report_lines(report: ImportReport) -> list[str]:
    """The report for a terminal: one line per refused line, then the summary."""
    lines = [f"line {error.line}: {printable(error.message)}" for error in report.errors]
    verb = "would be" if report.dry_run else "were"
    lines.append(
        f"{printable(report.source_name)}: {report.lines} lines read, {report.imported} "
        f"imported ({report.new} new, {report.updated} updated, {report.unchanged} unchanged), "
        f"{report.refused} refused, {report.removed} events removed"
        + (" (dry run: nothing stored)" if report.dry_run else "") + ".")
    if report.removal_skipped:
        lines.append(f"Some lines were refused: the events missing from the file {verb} kept.")
    return lines
