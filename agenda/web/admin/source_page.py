"""A source's health for the staff (``/admin/sources/<id>``): its problem, since when, and its
latest collections.  The dashboard links each source in trouble here."""

from __future__ import annotations

from flask import abort, render_template

from agenda.errors import NotFound
from agenda.store.runs import recent_runs
from agenda.store.source_health import failing_since
from agenda.store.sources import get_source
from agenda.web import db_session
from agenda.web.shared.i18n import N_

RUNS_SHOWN = 15
STATES = {"never": N_("not collected yet"), "ok": N_("working"), "error": N_("in error"),
          "broken": N_("broken")}
OUTCOMES = {"ok": N_("collection succeeded"),
            "not_modified": N_("not modified since the last collection"),
            "unchanged": N_("unchanged since the last collection"), "error": N_("collection failed")}


def source_health(source_id: int):
    try:
        source = get_source(db_session(), source_id)
    except NotFound:
        abort(404)
    return render_template("admin/source.html", source=source,
                           since=failing_since(db_session(), source),
                           runs=recent_runs(db_session(), source.id, limit=RUNS_SHOWN),
                           states=STATES, outcomes=OUTCOMES)
