"""The orchestrator: the good lines of a workbook stored in its import source with the region's
themes, searchable at once; formulas without saved results refuse their line only; a file with
refused lines removes nothing."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.models import Event
from agenda.search import open_search
from agenda.services.spreadsheet_import import import_spreadsheet, prepare_import

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
WINDOW = (datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))


def run(factory, settings, name: str, content: bytes | None = None, source: str = "Tableur"):
    prepared = prepare_import(content if content is not None else (DATA / name).read_bytes(),
                              name, settings=settings)
    return import_spreadsheet(factory, settings, prepared, source_name=source, now=NOW,
                              who="command line")


def events(factory) -> dict[str, Event]:
    with transaction(factory) as session:
        found = {e.title: e for e in session.scalars(select(Event).where(
            Event.removed_at.is_(None)))}
        session.expunge_all()
        return found


def test_a_workbook_is_stored_with_themes_and_searchable(factory, settings):
    report = run(factory, settings, "french-sheet.xlsx")
    assert (report.new, report.refused) == (3, 0)
    stored = events(factory)
    repair = stored["Repair café"]
    assert (repair.source_uid, repair.postcode, repair.department) == ("101", "45000", "45")
    assert repair.start_at == datetime(2026, 11, 12, 13, 30, tzinfo=timezone.utc)
    assert repair.themes == ["reemploi"]  # the region's theme its category names
    games = stored["Soirée jeux"]  # a date and a time written as Excel numbers
    assert games.start_at == datetime(2026, 11, 16, 18, 30, tzinfo=timezone.utc)
    assert (games.postcode, games.department) == ("01000", "01")
    found = open_search(settings).event_ids(Filters(q="recyclerie"), window=WINDOW)
    assert found == [stored["Visite de la recyclerie"].id]


def test_formulas_without_saved_results_refuse_their_line_only(factory, settings):
    report = run(factory, settings, "formulas.xlsx")
    assert [(e.line, e.code, e.params["cell"]) for e in report.errors] == [
        (3, "import.formula", "B3"), (4, "import.formula", "D4")]
    assert sorted(events(factory)) == ["Formule ailleurs", "Sans formule"]


def test_a_file_with_refused_lines_removes_nothing_a_clean_one_does(factory, settings):
    run(factory, settings, "french-sheet.csv")
    lines = (DATA / "french-sheet.csv").read_bytes().splitlines(keepends=True)
    with_error = lines[0] + lines[1] + b"x;;12/11/2026;;;;;;;;;;;\n"
    report = run(factory, settings, "french-sheet.csv", with_error)
    assert (report.unchanged, report.removed, report.refused) == (1, 0, 1)
    assert len(events(factory)) == 4
    report = run(factory, settings, "french-sheet.csv", lines[0] + lines[1])
    assert (report.unchanged, report.removed) == (1, 3)
    assert list(events(factory)) == ["Repair café du Mois de l'ESS"]


def test_two_sources_keep_their_own_events(factory, settings):
    run(factory, settings, "french-sheet.csv", source="Mois de l'ESS à Orléans")
    report = run(factory, settings, "french-sheet.csv", source="Mois de l'ESS à Tours")
    assert (report.new, report.removed) == (4, 0)
    assert len(events(factory)) == 4  # same titles, 8 events
    with transaction(factory) as session:
        assert len(session.scalars(select(Event)).all()) == 8
