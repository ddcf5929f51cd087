"""The upload step shared by the staff's import pages (events from a spreadsheet, a directory of
actors or initiatives): the file is read with a size cap, checked by the page's reader, kept in
the ``uploads`` table, and the browser goes to its preview. Every answer is ``no-store``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from agenda.imports.problems import SpreadsheetError
from agenda.store.uploads import save_upload
from agenda.text_clean import clean_line
from agenda.web import db_session
from agenda.web.shared.dates import now_utc

UploadPage = Callable[..., str]


def file_problem(error: SpreadsheetError) -> str:
    """Why a file cannot be imported at all, in the page's language."""
    return gettext(error.template) % error.data if error.data else gettext(error.template)


def add_upload_handlers(bp: Blueprint, upload_page: UploadPage) -> None:
    """Staff pages are never cached; a request over Flask's own size limit shows the upload
    page with its "too large" sentence."""
    bp.after_request(_no_store)
    bp.register_error_handler(413, lambda _error: (upload_page(too_large=True), 413))


def receive_upload(*, max_bytes: int, check: Callable[[bytes, str], object],
                   upload_page: UploadPage, no_file: str, preview_endpoint: str):
    """The POST of an upload page: the file sent, refused with the page (400 or 413) when it is
    missing, too large or unreadable by ``check``, else kept and previewed (303)."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return upload_page(problem=no_file), 400
    content = sent.stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        return upload_page(too_large=True), 413
    filename = clean_line(sent.filename).replace("/", "_").replace("\\", "_")[:200] or "import"
    try:
        check(content, filename)
    except SpreadsheetError as error:
        return upload_page(problem=file_problem(error), filename=filename), 400
    saved = save_upload(db_session(), filename=filename, content=content,
                        user_id=current_user.id, now=now_utc())
    db_session().commit()
    return redirect(url_for(preview_endpoint, token=saved.id), 303)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
