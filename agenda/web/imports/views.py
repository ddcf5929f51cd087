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

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user

from agenda.imports.mapping import guess_mapping, missing_required
from agenda.imports.rows import ReadLines, read_lines
from agenda.imports.table import read_table
from agenda.services.spreadsheet_import import Prepared, import_spreadsheet
from agenda.store.import_sources import default_import_name, import_source_names
from agenda.store.uploads import delete_upload, get_upload
from agenda.text_clean import clean_line
from agenda.web import db_session, state
from agenda.web.imports.display import (
    column_options,
    error_list,
    field_choices,
    format_label,
    header_examples,
    mapping_from_form,
    preview_lines,
)
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc
from agenda.web.shared.uploads import add_upload_handlers, receive_upload

bp = Blueprint("imports", __name__, url_prefix="/admin/import")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED = ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("")
@staff_required
def upload():
    return _upload_page()


@bp.post("")
@staff_required
def receive():
    return receive_upload(max_bytes=MAX_UPLOAD_BYTES, check=read_table, upload_page=_upload_page,
                          no_file=_no_file(), preview_endpoint="imports.preview")


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


add_upload_handlers(bp, _upload_page)
