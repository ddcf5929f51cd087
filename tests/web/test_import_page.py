"""Staff import a spreadsheet from /admin/import: upload, the guessed mapping as selects, the
first lines as they will be read, the line errors, then the import and its report (audited)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agenda.db import transaction
from agenda.models import AuditEntry, Event, Source, Upload
from tests.web.staff import STAFF, accounts, csrf_token, form_values, sign_in

__all__ = ["accounts"]

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def send(client, name: str, content: bytes | None = None):
    token = csrf_token(client, "/admin/import")
    body = content if content is not None else (DATA / name).read_bytes()
    return client.post("/admin/import?lang=en", data={
        "csrf_token": token, "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data")


def uploaded(client, name: str, content: bytes | None = None) -> str:
    """The preview page's path after sending the file."""
    answer = send(client, name, content)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return answer.headers["Location"]


def submit(client, path: str, html: str, action: str, **changes):
    values = form_values(html, path)
    values.update(action=action, **changes)
    return client.post(path + "?lang=en", data=values)


def published(factory) -> list[str]:
    with transaction(factory) as session:
        return sorted(session.scalars(select(Event.title).where(Event.removed_at.is_(None))))


@pytest.fixture
def staff(client, accounts):
    sign_in(client)
    return client


def test_the_staff_menu_links_to_the_import_page(staff):
    page = staff.get("/admin/?lang=fr").get_data(as_text=True)
    assert re.search(r'<a href="/admin/import"[^>]*>Importer un tableur</a>', page) or \
        '<a href="/admin/import"' in page


def test_anonymous_visitors_are_sent_to_the_login_page(client, accounts):
    assert "/admin/login" in client.get("/admin/import").headers["Location"]
    assert client.post("/admin/import").status_code in (400, 401)


def test_the_preview_shows_the_guessed_mapping_and_the_first_lines(staff):
    path = uploaded(staff, "french-sheet.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    values = form_values(page, path)
    assert values["map-title"] == "1" and values["map-start_date"] == "2"
    assert values["map-start_time"] == "3" and values["map-uid"] == "0"
    assert values["map-online_url"] == ""  # no such column: not imported
    assert "CSV text in UTF-8, separated by semicolons" in page
    assert "Repair café du Mois de l&#39;ESS" in page and "Line\u00a02" in page
    assert "Thursday, November 12, 2026, 2:30 PM – 5:00 PM" in " ".join(
        page.replace("\u202f", " ").split())
    assert 'id="ready-count">4<' in page


def test_importing_stores_the_events_audits_and_reports(staff, factory):
    path = uploaded(staff, "french-sheet.csv")
    page = staff.get(path).get_data(as_text=True)
    report = submit(staff, path, page, "import")
    text = report.get_data(as_text=True)
    assert report.status_code == 200
    assert "4 events imported into" in text and "4</strong> new events" in text
    assert len(published(factory)) == 4
    with transaction(factory) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "spreadsheet_import")).one()
        assert entry.who == STAFF and entry.detail["new"] == 4
        assert session.scalar(select(func.count()).select_from(Upload)) == 0  # let go
        assert session.scalars(select(Source.kind)).one() == "import"


def test_the_audit_log_says_what_an_import_did_in_words(staff):
    path = uploaded(staff, "french-sheet.csv")
    submit(staff, path, staff.get(path).get_data(as_text=True), "import")
    log = " ".join(staff.get("/admin/audit").get_data(as_text=True).split())
    assert "File: french-sheet.csv" in log and "New events: 4" in log
    assert "Lines refused: 0" in log


def test_importing_the_same_file_again_changes_nothing(staff, factory):
    for _ in range(2):
        path = uploaded(staff, "french-sheet.csv")
        report = submit(staff, path, staff.get(path).get_data(as_text=True), "import")
    text = report.get_data(as_text=True)
    assert "0</strong> new events" in text and "4</strong> events unchanged" in text
    assert len(published(factory)) == 4


def test_a_changed_mapping_is_read_again_before_importing(staff, factory):
    path = uploaded(staff, "custom-headers.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert 'id="mapping-problem"' in page  # "Quand" is not a header we know
    again = submit(staff, path, page, "preview", **{"map-start_date": "1"})
    assert again.status_code == 200 and 'id="mapping-problem"' not in again.get_data(as_text=True)
    report = submit(staff, path, again.get_data(as_text=True), "import")
    assert "1 event imported" in report.get_data(as_text=True)
    assert published(factory) == ["Conférence gesticulée"]


def test_without_title_or_start_column_nothing_can_be_imported(staff, factory):
    path = uploaded(staff, "missing-column.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert 'id="mapping-problem"' in page and 'value="import"' not in page
    refused = submit(staff, path, page, "import")
    assert refused.status_code == 400 and published(factory) == []


def test_line_errors_are_listed_and_the_good_lines_imported(staff, factory):
    path = uploaded(staff, "line-errors.csv")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert "7 lines refused" in page
    assert "Line 5:</strong> The end (18/11/2026) comes before the start (20/11/2026)." in page
    report = submit(staff, path, page, "import").get_data(as_text=True)
    assert 'id="removal-skipped"' in report and "Line 9:" in report
    assert published(factory) == ["Autre bonne ligne", "Bonne ligne"]


@pytest.mark.parametrize("name, content, words", [
    ("not-really.xlsx", None, "is not an Excel workbook"),
    ("ancien.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old Excel file"),
    ("vide.csv", b"", "This file is empty."),
])
def test_a_file_that_is_not_a_table_is_refused_with_a_sentence(staff, name, content, words):
    answer = send(staff, name, content)
    assert answer.status_code == 400
    assert words in answer.get_data(as_text=True)


def test_a_file_too_large_is_refused(staff, monkeypatch):
    from agenda.web.imports import views

    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 100)
    answer = send(staff, "french-sheet.csv")
    assert answer.status_code == 413 and "larger than" in answer.get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(staff, factory):
    answer = staff.post("/admin/import", data={
        "file": (io.BytesIO((DATA / "french-sheet.csv").read_bytes()), "f.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 400
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Upload)) == 0


def test_an_unknown_or_expired_upload_is_not_found(staff):
    assert staff.get("/admin/import/0123456789abcdef0123456789abcdef").status_code == 404


def test_a_long_list_of_errors_is_cut_and_says_how_many_are_left(staff, monkeypatch):
    from agenda.web.imports import display

    monkeypatch.setattr(display, "SHOWN_ERRORS", 3)
    page = staff.get(uploaded(staff, "line-errors.csv") + "?lang=en").get_data(as_text=True)
    assert "And 4 more errors, not listed" in page and "Line 6:" not in page


def test_a_workbook_with_formulas_shows_the_cells_to_fix(staff, factory):
    path = uploaded(staff, "formulas.xlsx")
    page = staff.get(path + "?lang=en").get_data(as_text=True)
    assert "Excel workbook (.xlsx), sheet “Sheet”" in page
    assert "Line 3:</strong> The cell B3 holds a formula whose result was not saved" in page
    assert "Line 4:</strong> The cell D4 holds a formula" in page
    submit(staff, path, page, "import")
    assert published(factory) == ["Formule ailleurs", "Sans formule"]
