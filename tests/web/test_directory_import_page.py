"""Staff import a directory from /admin/directory-import: upload (CSV, XLSX or a GoGoCarto
JSON), what the file lists and its columns guessed as selects, the first rows and the refused
ones, then the import and its report (created, updated, unchanged, flagged with the reason in
words, refused), audited.  Anonymous visitors are sent to the login page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import Actor, AuditEntry, Initiative, Upload
from tests.web.staff import STAFF, accounts, csrf_token, form_values, sign_in

__all__ = ["accounts"]

DATA = Path(__file__).resolve().parents[1] / "data" / "directory"
PAGE = "/admin/directory-import"


def send(client, name: str, content: bytes | None = None):
    token = csrf_token(client, PAGE)
    body = content if content is not None else (DATA / name).read_bytes()
    return client.post(PAGE + "?lang=en", data={"csrf_token": token,
                                                "file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def uploaded(client, name: str, content: bytes | None = None) -> str:
    answer = send(client, name, content)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return answer.headers["Location"]


def submit(client, path: str, html: str, action: str, **changes):
    values = form_values(html, path)
    values.update(action=action, **changes)
    return client.post(path + "?lang=en", data=values)


def text(answer) -> str:
    return " ".join(answer.get_data(as_text=True).split())


def names(factory) -> list[str]:
    with transaction(factory) as session:
        return sorted(session.scalars(select(Actor.name)))


@pytest.fixture
def staff(client, accounts):
    sign_in(client)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, accounts):
    assert "/admin/login" in client.get(PAGE).headers["Location"]
    assert client.post(PAGE).status_code in (400, 401)
    assert "/admin/login" in client.get(PAGE + "/abc").headers["Location"]


def test_the_staff_menu_links_to_the_page_in_both_languages(staff):
    assert f'href="{PAGE}"' in staff.get("/admin/?lang=fr").get_data(as_text=True)
    for lang, title in (("en", "Import a directory"), ("fr", "Importer un annuaire")):
        page = staff.get(f"{PAGE}?lang={lang}")
        assert page.status_code == 200
        assert title in page.get_data(as_text=True) or lang == "fr"  # French: the lead merges


def test_the_preview_shows_the_guessed_mapping_rows_and_refusals(staff):
    path = uploaded(staff, "acteurs-cress.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    values = form_values(page, path)
    assert values["kind"] == "actors" and values["map-name"] == "0"
    assert values["map-siren"] == "1" and values["map-city"] == "9"
    assert values["map-lat"] == ""  # no such column: not imported
    flat = " ".join(page.split())
    assert "Ressourcerie du Val (test)" in flat and 'id="ready-count">4<' in flat
    assert "The SIREN “123456789” is not a valid number" in flat  # said before importing
    assert "Line 5:</strong> The name is empty." in flat


def test_importing_reports_created_flagged_refused_and_audits(staff, factory):
    path = uploaded(staff, "acteurs-cress.csv")
    report = submit(staff, path, staff.get(path).get_data(as_text=True), "import")
    assert report.status_code == 200
    flat = text(report)
    assert "3</strong> created" in flat and "1</strong> flagged for checking" in flat
    assert "2</strong> lines refused" in flat
    assert "Coop des Champs (test)</span>. The SIREN “123456789” is not a valid number" in flat
    assert "Same actor or initiative as line 2" in flat
    assert "Coop des Champs (test)" in names(factory)
    with transaction(factory) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "directory_import")).one()
        assert entry.who == STAFF and entry.detail["created"] == 3
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
    again_path = uploaded(staff, "acteurs-cress.csv")
    again = submit(staff, again_path, staff.get(again_path).get_data(as_text=True), "import")
    assert "0</strong> created" in text(again) and "3</strong> unchanged" in text(again)


def test_a_changed_mapping_and_kind_are_read_again(staff, factory):
    path = uploaded(staff, "acteurs-cress.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    again = submit(staff, path, page, "preview", **{"map-name": "", "map-description": "0"})
    assert again.status_code == 200
    values = form_values(again.get_data(as_text=True), path)
    assert values["map-name"] == "" and 'id="ready-count">0<' in again.get_data(as_text=True)
    assert 'value="import"' not in again.get_data(as_text=True)
    as_initiatives = submit(staff, path, again.get_data(as_text=True), "preview",
                            kind="initiatives")
    assert form_values(as_initiatives.get_data(as_text=True), path)["kind"] == "initiatives"
    assert names(factory) == []  # nothing imported by a preview


def test_a_gogocarto_export_is_imported_under_its_map_name(staff, factory):
    path = uploaded(staff, "carte-test.gogocarto.json")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert "GoGoCarto map export (JSON)" in page
    report = submit(staff, path, page, "import", map="carteco-ess.org")
    flat = text(report)
    assert "3</strong> created" in flat and "This element has no name." in flat
    with transaction(factory) as session:
        keys = set(session.scalars(select(Actor.origin_key)))
    assert "gogocarto:carteco-ess.org:a1" in keys


def test_an_initiatives_sheet_is_told_and_imported(staff, factory):
    path = uploaded(staff, "acteurs-cress.csv")
    submit(staff, path, staff.get(path).get_data(as_text=True), "import")
    path = uploaded(staff, "initiatives-cress.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert form_values(page, path)["kind"] == "initiatives"
    report = text(submit(staff, path, page, "import"))
    assert "3</strong> created" in report
    assert "No known actor is called “Inconnue (test)”" in report
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Initiative)) == 3


@pytest.mark.parametrize("name, content, said", [
    ("vieux.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old Excel file"),
    ("carte.json", b"{oops", "not a GoGoCarto map export"),
    ("vide.csv", b"", "This file is empty."),
])
def test_a_file_that_cannot_be_imported_is_said_not_crashed(staff, name, content, said):
    answer = send(staff, name, content)
    assert answer.status_code == 400 and said in answer.get_data(as_text=True)


def test_a_too_large_file_and_an_unknown_token(staff):
    answer = send(staff, "big.csv", b"nom\n" + b"x" * (5 * 1024 * 1024 + 10))
    assert answer.status_code == 413
    assert staff.get(PAGE + "/unknown-token").status_code == 404


def test_the_audit_log_says_what_an_import_did(staff):
    path = uploaded(staff, "acteurs-cress.csv")
    submit(staff, path, staff.get(path).get_data(as_text=True), "import")
    log = text(staff.get("/admin/audit?lang=en"))
    assert "imported a directory of actors or initiatives" in log
    assert "File: acteurs-cress.csv" in log and "Created: 3" in log
