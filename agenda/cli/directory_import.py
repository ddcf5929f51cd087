"""``agenda import-directory FILE [--map NAME] [--kind actors|initiatives] [--dry-run]``:
import a directory of actors or initiatives (CSV or XLSX, French or English headers) or a
GoGoCarto map export (JSON), and say row by row what was refused or flagged.

Exit codes: 0 every row imported, 1 some rows were refused (the others were imported), 2 the
file cannot be used (nothing imported).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from sqlalchemy.orm import Session

from agenda.cli.import_files import prepared_or_exit, print_report, read_import_file
from agenda.cli.runtime import Runtime, pass_runtime
from agenda.db import transaction
from agenda.imports.category_themes import category_table
from agenda.region import cached_region
from agenda.services.directory_import import (
    DirectoryPrepared,
    DirectoryReport,
    import_directory,
    prepare_directory,
)
from agenda.text_clean import printable


@click.command("import-directory")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))
@click.option("--map", "map_name", help="GoGoCarto export: the map's name or address "
                                        "(keys its elements; default: the file's name).")
@click.option("--kind", type=click.Choice(["actors", "initiatives"]),
              help="What a spreadsheet lists (default: told from its headers).")
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing.")
@pass_runtime
def import_directory_command(rt: Runtime, path: Path, map_name: str | None, kind: str | None,
                             dry_run: bool) -> None:
    """Import actors or initiatives from a CSV/XLSX file or a GoGoCarto JSON export.  Exit 0
    if every row was imported, 1 if some were refused, 2 if the file cannot be imported."""
    prepared = prepared_or_exit(lambda: prepare_directory(
        read_import_file(path), path.name, kind=kind, map_name=map_name))
    with transaction(rt.factory) as session:
        report = run_import(session, rt, prepared, now=rt.now())
        if dry_run:
            session.rollback()
    print_report(report_lines(report, dry_run=dry_run), refused=bool(report.refused))


def run_import(session: Session, rt: Runtime, prepared: DirectoryPrepared, *,
               now: datetime) -> DirectoryReport:
    return import_directory(session, prepared, region=cached_region(rt.settings.region_file),
                            now=now, who="command line",
                            categories=category_table(rt.settings.region_file))


def report_lines(report: DirectoryReport, *, dry_run: bool = False) -> list[str]:
    """One line per refused or flagged row, then the summary."""
    lines = [f"row {p.line}: refused: {printable(p.message)}" for p in report.refused]
    for row in report.flagged:
        lines += [f"row {row.line} ({printable(row.label)}): {printable(p.message)}"
                  for p in row.problems]
    lines.append(f"{printable(report.filename)}: {report.rows} {report.kind} rows read, "
                 f"{report.created} created, {report.updated} updated, {report.unchanged} "
                 f"unchanged, {len(report.flagged)} flagged, {len(report.refused)} refused"
                 + (" (dry run: nothing stored)" if dry_run else "") + ".")
    return lines
