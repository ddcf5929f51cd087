"""`agenda import FILE`: the report line by line, exit 0 / 1 (lines refused) / 2 (nothing
imported), --mapping, --source, --dry-run; importing again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.db import transaction
from agenda.models import Event, Source
from tests.cli_env import cli_env

DATA = Path(__file__).resolve().parent / "data" / "imports"


@pytest.fixture
def agenda(settings, engine):
    env = cli_env(settings)

    def run(*args):
        return CliRunner().invoke(main, ["import", *map(str, args)], env=env,
                                  catch_exceptions=False)
    return run


def titles(factory, *, removed: bool = False) -> list[str]:
    with transaction(factory) as session:
        query = select(Event.title).where(Event.removed_at.is_not(None) if removed
                                          else Event.removed_at.is_(None))
        return sorted(session.scalars(query))


def test_a_good_sheet_is_imported_and_exits_0(agenda, factory):
    result = agenda(DATA / "french-sheet.csv")
    assert result.exit_code == 0, result.output
    assert "4 lines read, 4 imported (4 new, 0 updated, 0 unchanged), 0 refused" in result.output
    assert len(titles(factory)) == 4
    with transaction(factory) as session:
        source = session.scalars(select(Source)).one()
        assert (source.kind, source.name, source.enabled) == (
            "import", "Import : french-sheet.csv", False)


def test_importing_the_same_file_again_changes_nothing(agenda, factory):
    agenda(DATA / "english-sheet.csv")
    with transaction(factory) as session:
        before = {e.id: (e.sequence, e.updated_at) for e in session.scalars(select(Event))}
    result = agenda(DATA / "english-sheet.csv")
    assert "(0 new, 0 updated, 2 unchanged)" in result.output
    with transaction(factory) as session:
        after = {e.id: (e.sequence, e.updated_at) for e in session.scalars(select(Event))}
    assert after == before


def test_refused_lines_are_listed_with_their_numbers_and_exit_1(agenda, factory):
    result = agenda(DATA / "line-errors.csv")
    assert result.exit_code == 1
    assert "line 3: The title is empty." in result.output
    assert "line 9: The identifier “a1” was already used on line 2." in result.output
    assert "7 refused" in result.output
    assert titles(factory) == ["Autre bonne ligne", "Bonne ligne"]


def test_a_new_version_of_the_file_removes_the_events_no_longer_in_it(agenda, factory, tmp_path):
    agenda(DATA / "french-sheet.csv", "--source", "Mois de l'ESS")
    shorter = tmp_path / "french-sheet.csv"
    shorter.write_text("".join((DATA / "french-sheet.csv").read_text().splitlines(True)[:3]))
    result = agenda(shorter, "--source", "Mois de l'ESS")
    assert "2 unchanged), 0 refused, 2 events removed" in result.output
    assert titles(factory, removed=True) == ["Festival des initiatives",
                                             "Marché des producteurs"]


def test_a_file_with_refused_lines_removes_nothing(agenda, factory, tmp_path):
    agenda(DATA / "line-errors.csv", "--source", "Essais")
    broken = tmp_path / "line-errors.csv"
    lines = (DATA / "line-errors.csv").read_text().splitlines(True)
    broken.write_text("".join(lines[:2] + lines[3:9]))  # a9 gone, the other errors kept
    result = agenda(broken, "--source", "Essais")
    assert result.exit_code == 1 and "0 events removed" in result.output
    assert "the events missing from the file were kept" in result.output
    assert titles(factory) == ["Autre bonne ligne", "Bonne ligne"]


@pytest.mark.parametrize("name, code", [
    ("missing-column.csv", "import.no_start_column"),
    ("not-really.xlsx", "import.not_xlsx"),
])
def test_a_file_that_cannot_be_imported_exits_2_and_imports_nothing(agenda, factory, name,
                                                                    code):
    result = agenda(DATA / name)
    assert result.exit_code == 2
    assert f"Error ({code}):" in result.output and "Nothing was imported." in result.output
    assert titles(factory) == []


@pytest.mark.parametrize("mapping", ["mapping.json", "mapping.toml"])
def test_a_mapping_file_names_the_columns(agenda, factory, mapping):
    assert agenda(DATA / "custom-headers.csv").exit_code == 2  # "Quand" is unknown
    result = agenda(DATA / "custom-headers.csv", "--mapping", DATA / mapping)
    assert result.exit_code == 0, result.output
    with transaction(factory) as session:
        event = session.scalars(select(Event)).one()
        assert (event.title, event.location_name) == ("Conférence gesticulée", "Salle Rabelais")


def test_a_bad_mapping_file_is_a_clear_error(agenda, tmp_path):
    mapping = tmp_path / "bad.json"
    mapping.write_text('{"titre": "Nom"}')
    result = agenda(DATA / "custom-headers.csv", "--mapping", mapping)
    assert result.exit_code == 2 and "“titre” is not a field" in result.output


def test_a_dry_run_stores_nothing(agenda, factory):
    result = agenda(DATA / "french-sheet.csv", "--dry-run")
    assert result.exit_code == 0 and "(4 new," in result.output and "dry run" in result.output
    assert titles(factory) == []
    with transaction(factory) as session:
        assert session.scalars(select(Source)).all() == []
