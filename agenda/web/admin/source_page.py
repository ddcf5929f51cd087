"""A source's page for the staff (``/admin/sources/<id>``): its problem, since when, what its
owner can do and whether they were told, the feed doctor's diagnosis, its latest collections,
and the actions on it.  The dashboard and the sources list link each source here."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext

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
KINDS = {"auto": N_("detected at each collection"),
         "ics": N_("iCalendar file"), "feed": N_("RSS or Atom feed"),
         "jsonld": N_("web pages with schema.org events"), "openagenda": N_("OpenAgenda agenda"),
         "tribe": N_("WordPress site (The Events Calendar)"),
         "form": N_("proposals sent through the form"), "import": N_("spreadsheet imports"),
         "initiatives": N_("feed of projects (initiatives)")}


def kind_label(source) -> str:
    """The source's kind in words; an ``auto`` source says what it was last found to be."""
    if source.kind == "auto" and source.detected_format in KINDS:
        return gettext("%(kind)s (detected)", kind=gettext(KINDS[source.detected_format]))
    return gettext(KINDS[source.kind]) if source.kind in KINDS else source.kind


def source_health(source_id: int):
    try:
        source = get_source(db_session(), source_id)
    except NotFound:
        abort(404)
    initiatives = None
    if source.kind == "initiatives":
        from agenda.store.initiative_sync import initiative_count
        initiatives = initiative_count(db_session(), source.id)
    return render_template("admin/source.html", source=source, initiatives=initiatives,
                           since=failing_since(db_session(), source),
                           runs=recent_runs(db_session(), source.id, limit=RUNS_SHOWN),
                           states=STATES, outcomes=OUTCOMES, kinds=KINDS, kind_label=kind_label,
                           diagnosis=source.diagnosis)
