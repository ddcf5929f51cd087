"""``/search``: events, initiatives and actors found together, with their kinds, themes and
departments counted, and any result downloaded as CSV or XLSX (streamed: never held whole).

A filter a kind cannot have (the kind of structure is an actor's; each status one kind's) leaves
that kind out, and the page says so.  An impossible value is a 400 page with its sentence.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from agenda.finder.export import MAX_ROWS as MAX_EXPORT_ROWS
from agenda.finder.export import ExportContext, csv_chunks, file_chunks, row_batches, xlsx_file
from agenda.listing.filters import BadFilter
from agenda.text_clean import clean_text
from agenda.web import state
from agenda.web.finder.page import search_page_context
from agenda.web.finder.results import (
    current_finder,
    hit_url,
    request_query,
    window_of,
)
from agenda.web.public.listing import current_region
from agenda.web.shared.filter_errors import translate_filter_error

bp = Blueprint("finder", __name__)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/search")
def search():
    return render_template("finder/search.html", **search_page_context(request_query()))


@bp.get("/search.csv")
def search_csv():
    batches = _batches(request_query())
    return Response(stream_with_context(chunk.encode("utf-8") for chunk in csv_chunks(batches)),
                    content_type=CSV_TYPE, headers=_download("recherche.csv"))


@bp.get("/search.xlsx")
def search_xlsx():
    spool = xlsx_file(_batches(request_query()))
    return Response(file_chunks(spool), content_type=XLSX_TYPE,
                    headers=_download("recherche.xlsx"), direct_passthrough=True)


def _batches(query):
    """The rows of ``query``'s whole result, a batch at a time, read through a session of
    its own (it forgets each batch once written)."""
    window = window_of(query)
    session = state().session_factory()
    hits = current_finder().hits(session, query, window=window, search=state().search,
                                 limit=MAX_EXPORT_ROWS + 1)
    context = ExportContext(current_region(), state().settings.tz, window, page_addresses())
    try:
        yield from row_batches(session, hits, context, limit=MAX_EXPORT_ROWS)
    finally:
        session.close()


def page_addresses():
    """(kind, id) -> the page's absolute address, url_for called once per kind."""
    marks = {"event": "0f0f0f0f0f", "initiative": "0f0f0f0f0f", "actor": "2147483646"}
    templates = {kind: hit_url(kind, mark, external=True).rsplit(mark, 1)
                 for kind, mark in marks.items()}
    return lambda kind, record_id: record_id.join(templates[kind])


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store"}


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    """An impossible value: the sentence, and the search box with the words as typed."""
    words = clean_text(request.args.get("q", ""))[:200]
    return render_template("finder/bad_request.html", message=translate_filter_error(str(error)),
                           words=words), 400


def export_urls(args: dict) -> dict[str, str]:
    return {"csv": url_for("finder.search_csv", **args),
            "xlsx": url_for("finder.search_xlsx", **args),
            "json": url_for("directory_api.search", **args)}
