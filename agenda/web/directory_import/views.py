"""``/admin/directory-import``: staff import a directory of actors or initiatives (the CRESS's
lists, CSV or XLSX) or a GoGoCarto map export (JSON), in three steps.

1. Upload (POST, CSRF, size-capped): the file is kept in the ``uploads`` table and the browser
   goes to its page.
2. ``/admin/directory-import/<token>``: what the file lists (actors or initiatives, changeable),
   the columns as guessed (a select each), the first rows as they will be read and what will
   be flagged, the rows refused; "Show again" reads the file again with the choices made.
3. "Import": every row is stored (``services.directory_import``), the action is audited, and
   the report says what was created, updated, unchanged, flagged (and why) and refused.

A file that cannot be imported at all is said on the page (400), never a crash.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user

from agenda.imports.category_themes import category_table
from agenda.imports.gogocarto import map_key
from agenda.imports.problems import SpreadsheetError
from agenda.region import cached_region
from agenda.services.directory_import import (
    DirectoryPrepared,
    import_directory,
    prepare_directory,
)
from agenda.store.uploads import delete_upload, get_upload
from agenda.text_clean import clean_line
from agenda.web import db_session, state
from agenda.web.directory_import.display import (
    FORMATS,
    KINDS,
    chosen_mapping,
    column_options,
    field_choices,
    flagged_list,
    preview_rows,
    refused_list,
)
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc
from agenda.web.shared.uploads import add_upload_handlers, file_problem, receive_upload

bp = Blueprint("directory_import", __name__, url_prefix="/admin/directory-import")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED = (".csv,.xlsx,.json,.txt,text/csv,application/json,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("")
@staff_required
def upload():
    return _upload_page()


@bp.post("")
@staff_required
def receive():
    return receive_upload(max_bytes=MAX_UPLOAD_BYTES, check=prepare_directory,
                          upload_page=_upload_page,
                          no_file=gettext("Choose a CSV, XLSX or JSON file to send."),
                          preview_endpoint="directory_import.preview")


@bp.route("/<token>", methods=["GET", "POST"])
@staff_required
def preview(token: str):
    upload_row = get_upload(db_session(), token, now=now_utc())
    if upload_row is None:
        abort(404)
    try:
        prepared = _prepared(upload_row)
    except SpreadsheetError as error:  # read fine at the upload; kept for safety
        return _upload_page(problem=file_problem(error), filename=upload_row.filename), 400
    if request.method == "POST" and request.form.get("action") == "import" and \
            prepared.lines.rows:
        return _import(token, prepared)
    return render_template(
        "directory_import/preview.html", upload=upload_row, prepared=prepared,
        kinds=KINDS, file_format=gettext(FORMATS[prepared.file_format]),
        fields=field_choices(prepared) if prepared.table else [],
        columns=column_options(prepared.table.headers) if prepared.table else [],
        preview=preview_rows(prepared), refused=refused_list(prepared.lines.refused))


def _prepared(upload_row) -> DirectoryPrepared:
    """The file read with the choices of the form (what it lists, its columns, the map's
    name), or as guessed on the first visit."""
    form = request.form if request.method == "POST" else {}
    map_name = clean_line(form.get("map", ""))[:200] or None
    kind = form.get("kind") if form.get("kind") in KINDS else None
    prepared = prepare_directory(upload_row.content, upload_row.filename, kind=kind,
                                 map_name=map_name)
    if prepared.table is not None and form and kind == prepared.kind and \
            form.get("mapped") == prepared.kind:
        prepared = prepare_directory(upload_row.content, upload_row.filename, kind=kind,
                                     mapping=chosen_mapping(form, prepared))
    return prepared


def _import(token: str, prepared: DirectoryPrepared):
    report = import_directory(db_session(), prepared,
                              region=cached_region(state().settings.region_file),
                              now=now_utc(), who=current_user.email, user_id=current_user.id,
                              categories=category_table(state().settings.region_file))
    delete_upload(db_session(), token)
    db_session().commit()
    return render_template("directory_import/report.html", report=report, kinds=KINDS,
                           flagged=flagged_list(report), refused=refused_list(report.refused),
                           map_name=prepared.map_name)


def _upload_page(*, problem: str | None = None, filename: str | None = None,
                 too_large: bool = False) -> str:
    return render_template("directory_import/upload.html", problem=problem, filename=filename,
                           too_large=too_large, max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
                           accepted=ACCEPTED, map_example=map_key("https://carteco-ess.org/"))


add_upload_handlers(bp, _upload_page)
