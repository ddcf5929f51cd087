"""Importing directories of actors and initiatives (CSV, XLSX, GoGoCarto): rows become actors
"to check" with their themes and commune; invalid numbers are flagged on the record, never
dropped; a row finds its record again (importing twice changes nothing; a changed row
updates); initiatives are linked to their lead actor."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Actor, Initiative, InitiativeActor
from agenda.region import cached_region
from agenda.services.directory_import import import_directory, prepare_directory

DATA = Path(__file__).resolve().parents[1] / "data" / "directory"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def run(factory, settings, name: str, content: bytes | None = None, **given):
    content = content if content is not None else (DATA / name).read_bytes()
    prepared = prepare_directory(content, name, **given)
    with transaction(factory) as session:
        return import_directory(session, prepared, region=cached_region(settings.region_file),
                                now=NOW, who="test")


def actors(factory) -> dict[str, Actor]:
    with transaction(factory) as session:
        found = {a.name: a for a in session.scalars(select(Actor))}
        session.expunge_all()
        return found


def test_a_csv_of_actors_lands_to_check_with_themes_and_commune(factory, settings):
    report = run(factory, settings, "acteurs-cress.csv")
    assert (report.kind, report.created, report.updated) == ("actors", 3, 0)
    assert sorted((p.line, p.code) for p in report.refused) == [
        (5, "directory.no_name"), (6, "directory.duplicate")]
    found = actors(factory)
    val = found["Ressourcerie du Val (test)"]
    assert (val.status, val.origin, val.siren, val.structure) == (
        "to_check", "import", "748526050", "association")
    assert val.themes == ["reemploi"] and val.approvals == ["ESUS"]
    assert (val.commune_name, val.department, val.postcode) == ("Tours", "37", "37000")
    assert val.website == "https://ressourcerie-val.example"
    assert val.origin_key == "import:siren:748526050"
    coop = found["Coop des Champs (test)"]
    assert coop.structure == "cooperative" and coop.approvals == ["ESUS", "ACI"]
    assert "script" not in coop.description_html and "coopérative" in coop.description_text
    assert coop.department == "18"


def test_an_invalid_siren_is_flagged_on_the_record_not_dropped(factory, settings):
    report = run(factory, settings, "acteurs-cress.csv")
    coop = actors(factory)["Coop des Champs (test)"]
    assert coop.siren is None
    assert coop.flags == [{"field": "siren", "value": "123456789", "code": "siren.invalid"}]
    flagged = {row.label: [p.code for p in row.problems] for row in report.flagged}
    assert flagged["Coop des Champs (test)"] == ["siren.invalid"]
    assert "not a valid number" in next(r for r in report.flagged
                                        if r.label.startswith("Coop")).problems[0].message


def test_importing_again_changes_nothing_and_a_changed_row_updates(factory, settings):
    run(factory, settings, "acteurs-cress.csv")
    before = {name: (a.id, a.updated_at) for name, a in actors(factory).items()}
    again = run(factory, settings, "acteurs-cress.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert {name: (a.id, a.updated_at) for name, a in actors(factory).items()} == before
    changed = (DATA / "acteurs-cress.csv").read_text().replace(
        "02 47 00 00 00", "02 47 99 99 99").encode()
    third = run(factory, settings, "acteurs-cress.csv", changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    val = actors(factory)["Ressourcerie du Val (test)"]
    assert val.contact_phone == "02 47 99 99 99" and val.id == before[val.name][0]


def test_an_xlsx_of_actors_is_read_like_the_csv(factory, settings):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "SIREN number", "Legal form", "Topics", "Postcode", "City"])
    sheet.append(["Garage solidaire (test)", 275253094, "Association", "mobilité", 28000,
                  "Chartres"])
    sheet.append(["Habitat partagé (test)", "999999999", "SCIC", "logement", "41000", "Blois"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(factory, settings, "annuaire.xlsx", buffer.getvalue())
    assert (report.created, len(report.flagged)) == (2, 1)
    found = actors(factory)
    garage = found["Garage solidaire (test)"]
    assert (garage.siren, garage.themes, garage.department) == ("275253094", ["mobilite"], "28")
    assert found["Habitat partagé (test)"].flags[0]["code"] == "siren.invalid"
    again = run(factory, settings, "annuaire.xlsx", buffer.getvalue())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_initiatives_are_linked_to_their_lead_actor_by_name_or_siren(factory, settings):
    run(factory, settings, "acteurs-cress.csv")
    report = run(factory, settings, "initiatives-cress.csv")
    assert (report.kind, report.created) == ("initiatives", 3)
    assert [(p.line, p.code) for p in report.refused] == [(5, "directory.no_title")]
    codes = {row.label: [p.code for p in row.problems] for row in report.flagged}
    assert codes["Jardin partagé (test)"] == ["directory.bad_date", "directory.no_porteur"]
    with transaction(factory) as session:
        val = session.scalar(select(Actor).where(Actor.siren == "748526050"))
        found = {i.title: i for i in session.scalars(select(Initiative))}
        workshop = found["Atelier de réparation mobile (test)"]
        assert workshop.actor_id == val.id and workshop.status == "active"  # name in capitals
        assert (workshop.starts_on, workshop.commune_name) == (date(2026, 3, 1), "Tours")
        assert workshop.themes == ["reemploi"]
        assert workshop.origin_key.startswith("import:")
        grocery = found["Épicerie itinérante (test)"]
        assert (grocery.actor_id, grocery.status) == (val.id, "project")
        assert found["Jardin partagé (test)"].status == "ended"
        assert found["Jardin partagé (test)"].actor_id is None
        listed = {row.initiative_id for row in session.scalars(
            select(InitiativeActor).where(InitiativeActor.actor_id == val.id))}
        assert listed == {workshop.id, grocery.id}
    again = run(factory, settings, "initiatives-cress.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_gogocarto_map_imports_its_actors_and_again_changes_nothing(factory, settings):
    report = run(factory, settings, "carte-test.gogocarto.json", map_name="carteco-ess.org")
    assert (report.created, len(report.refused)) == (3, 2)
    found = actors(factory)
    repair = found["Le Repair des Bords de Loire (test)"]
    assert (repair.origin, repair.status) == ("gogocarto", "to_check")
    assert repair.origin_key == "gogocarto:carteco-ess.org:a1"
    assert repair.themes == ["reemploi"] and repair.commune_name == "Tours"
    assert "script" not in repair.description_html and "<b>ensemble</b>" in \
        repair.description_html
    assert found["Épicerie solidaire du Berry (test)"].themes == ["alimentation"]
    before = {name: (a.id, a.updated_at) for name, a in found.items()}
    again = run(factory, settings, "carte-test.gogocarto.json", map_name="carteco-ess.org")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert {name: (a.id, a.updated_at) for name, a in actors(factory).items()} == before


@pytest.mark.parametrize("name", ["carte.json", "export"])
def test_a_json_file_is_read_as_a_map_whatever_its_name(name):
    prepared = prepare_directory(b'[{"id": 1, "name": "A (test)"}]', name)
    assert (prepared.file_format, prepared.kind, len(prepared.lines.rows)) == (
        "gogocarto", "actors", 1)


def test_two_organisations_of_one_name_are_two_actors(factory, settings):
    sheet = ("Nom;SIREN;Code postal\nLa Ruche (test);748526050;37000\n"
             "La Ruche (test);747938090;45000\n").encode()
    report = run(factory, settings, "ruches.csv", sheet)
    assert (report.created, report.updated) == (2, 0)
    assert sorted(actors(factory)) == ["La Ruche (test)", "La Ruche (test) (747938090)"]


def test_a_map_category_the_region_file_names_gives_its_theme(factory, settings):
    from agenda.imports.category_themes import category_table

    table = category_table(settings.region_file)
    assert table["se nourrir"] == ("alimentation",)
    content = b'[{"id": 1, "name": "Cantine (test)", "categories": ["Se nourrir", "Autre"]}]'
    prepared = prepare_directory(content, "carte.json", map_name="carte")
    with transaction(factory) as session:
        import_directory(session, prepared, region=cached_region(settings.region_file), now=NOW,
                         who="test", categories=table)
    assert actors(factory)["Cantine (test)"].themes == ["alimentation"]


def test_a_region_file_without_the_table_maps_nothing(tmp_path):
    from agenda.imports.category_themes import category_table

    path = tmp_path / "region.toml"
    path.write_text("[region]\nname = 'x'\n")
    assert category_table(path) == {}
    assert category_table(tmp_path / "missing.toml") == {}
