"""`agenda import-directory FILE`: spreadsheets of actors and GoGoCarto exports imported from
the command line, the report row by row, exit 0 / 1 (rows refused) / 2 (nothing imported)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agenda.cli import main
from agenda.db import transaction
from agenda.models import Actor
from tests.cli_env import cli_env

DATA = Path(__file__).resolve().parent / "data" / "directory"


@pytest.fixture
def agenda(settings, engine):
    env = cli_env(settings)

    def run(*args):
        return CliRunner().invoke(main, ["import-directory", *map(str, args)], env=env,
                                  catch_exceptions=False)
    return run


def keys(factory) -> set[str]:
    with transaction(factory) as session:
        return set(session.scalars(select(Actor.origin_key)))


def test_a_map_is_imported_keyed_by_its_name_and_again_changes_nothing(agenda, factory):
    result = agenda(DATA / "carte-test.gogocarto.json", "--map", "https://carteco-ess.org/")
    assert result.exit_code == 1, result.output  # two elements refused
    assert "3 created, 0 updated, 0 unchanged, 1 flagged, 2 refused" in result.output
    assert "row a4: refused: This element has no name." in result.output
    assert "gogocarto:carteco-ess.org:a1" in keys(factory)
    again = agenda(DATA / "carte-test.gogocarto.json", "--map", "https://carteco-ess.org/")
    assert "0 created, 0 updated, 3 unchanged" in again.output


def test_a_sheet_of_actors_says_what_was_flagged(agenda, factory):
    result = agenda(DATA / "acteurs-cress.csv")
    assert result.exit_code == 1
    assert "(Coop des Champs (test)): The SIREN “123456789” is not a valid number" in \
        result.output
    assert "import:siren:748526050" in keys(factory)


def test_a_dry_run_stores_nothing_and_a_bad_file_exits_2(agenda, factory, tmp_path):
    assert "dry run" in agenda(DATA / "acteurs-cress.csv", "--dry-run").output
    assert keys(factory) == set()
    bad = tmp_path / "carte.json"
    bad.write_text("{not json")
    result = agenda(bad)
    assert result.exit_code == 2 and "gogocarto.not_export" in result.output
