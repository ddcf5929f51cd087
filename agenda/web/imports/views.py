"""``/admin/import``: staff import a spreadsheet of events in three steps.

1. Upload (POST, CSRF, size-capped): the file is kept in the ``uploads`` table (every web
   machine reads the same row) and the browser goes to its page.
2. ``/admin/import/<token>``: the columns as guessed (each an editable select), the first lines
   as they will be read, and every line error with its line number; "Show again" reads the
   file again with the mapping chosen.
3. "Import": the good lines are stored into the import source named on the page, the action
   is audited, and the report says what was new, changed, unchanged, removed and refused.

A file that cannot be imported at all is said on the page (400), never a crash.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from agenda.imports.mapping import guess_mapping, missing_required
from agenda.imports.problems import SpreadsheetError
from agenda.imports.rows import ReadLines, read_lines
from agenda.imports.table import read_table
from agenda.services.spreadsheet_import import Prepared, import_spreadsheet
from agenda.store.import_sources import default_import_name, import_source_names
from agenda.store.uploads import delete_upload, get_upload, save_upload
from agenda.text_clean import clean_line
from agenda.web import db_session, state
from agenda.web.imports.display import (
    column_options,
    error_list,
    field_choices,
    file_problem,
    format_label,
    header_examples,
    mapping_from_form,
    preview_lines,
)
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("imports", __name__, url_prefix="/admin/import")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED = ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def staff_headers(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(413)
def too_large(_error):
    return _upload_page(too_large=True), 413


@bp.get("")
@staff_required
def upload():
    return _upload_page()


@bp.post("")
@staff_required
def receive():
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _upload_page(problem=_no_file()), 400
    content = sent.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        return _upload_page(too_large=True), 413
    filename = clean_line(sent.filename).replace("/", "_").replace("\\", "_")[:200] or "import"
    try:
        read_table(content, filename)
    except SpreadsheetError as error:
        return _upload_page(problem=file_problem(error), filename=filename), 400
    saved = save_upload(db_session(), filename=filename, content=content,
                        user_id=current_user.id, now=now_utc())
    db_session().commit()
    return redirect(url_for("imports.preview", token=saved.id), 303)


@bp.route("/<token>", methods=["GET", "POST"])
@staff_required
def preview(token: str):
    upload_row = get_upload(db_session(), token, now=now_utc())
    if upload_row is None:
        abort(404)
    table = read_table(upload_row.content, upload_row.filename)  # read fine at the upload
    mapping = (mapping_from_form(request.form, table) if request.method == "POST"
               else guess_mapping(table.headers))
    missing = missing_required(mapping)
    lines = ReadLines() if missing else read_lines(table, mapping, tz=state().settings.tz)
    source_name = clean_line(request.form.get("source", ""))[:200] or \
        default_import_name(upload_row.filename)
    if request.method == "POST" and request.form.get("action") == "import" and not missing:
        prepared = Prepared(upload_row.filename, table, mapping, lines)
        return _import(token, prepared, source_name)
    return render_template(
        "imports/preview.html", upload=upload_row, table=table, lines=lines,
        fields=field_choices(mapping), columns=column_options(table), missing=missing,
        preview=preview_lines(table, lines, state().settings.tz), errors=error_list(lines),
        file_format=format_label(table), source_name=source_name,
        source_names=import_source_names(db_session()),
    ), 400 if missing and request.method == "POST" else 200


def _import(token: str, prepared: Prepared, source_name: str):
    report = import_spreadsheet(state().session_factory, state().settings, prepared,
                                source_name=source_name, now=now_utc(),
                                who=current_user.email, user_id=current_user.id)
    delete_upload(db_session(), token)
    db_session().commit()
    return render_template("imports/report.html", report=report,
                           errors=error_list(prepared.lines))


def _upload_page(*, problem: str | None = None, filename: str | None = None,
                 too_large: bool = False) -> str:
    return render_template("imports/upload.html", problem=problem, filename=filename,
                           too_large=too_large, max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
                           accepted=ACCEPTED, header_examples=header_examples())


def _no_file() -> str:
    return gettext("Choose a CSV or XLSX file to send.")
