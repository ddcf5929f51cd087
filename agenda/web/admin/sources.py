"""The staff sources page (``/admin/sources``): every source with its kind, owner, state, last
success and error, next run, events and latest runs; changing one; and the actions on one:
collect now, pause, resume, reset errors.  Adding one (with discovery): ``source_add``.

Every action is a POST with the CSRF token, for staff only, and leaves a line in the audit log
(the API key's value never: only that it changed)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext

from agenda.collectors.refresh import refresh_source
from agenda.errors import NotFound
from agenda.models import Source
from agenda.services.publication import index_events
from agenda.services.source_priority import apply_priority
from agenda.store.source_admin import (
    KEY_KEEP,
    KEY_REMOVE,
    STATE_FILTERS,
    list_source_rows,
    pause_source,
    reset_errors,
    resume_source,
    update_source,
)
from agenda.store.sources import get_source
from agenda.web import db_session, state
from agenda.web.admin.source_add import source_new
from agenda.web.admin.source_audit import audit_source
from agenda.web.admin.source_forms import EditSourceForm
from agenda.web.admin.source_page import KINDS, STATES, kind_label, source_health
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc
from agenda.web.shared.i18n import N_
from agenda.web.shared.source_messages import say

NOT_FETCHED = ("form", "import")  # sources with no address to collect
FILTERS = {"ok": N_("working"), "error": N_("in error"), "broken": N_("broken"),
           "never": N_("not collected yet"), "paused": N_("paused")}
SHORT_OUTCOMES = {"ok": N_("succeeded"), "not_modified": N_("not modified"),
                  "unchanged": N_("unchanged"), "error": N_("failed")}


def register_source_pages(bp: Blueprint) -> None:
    """The sources pages and actions, on the staff blueprint."""
    bp.add_url_rule("/sources", "sources", staff_required(sources_list))
    bp.add_url_rule("/sources/new", "source_new", staff_required(source_new),
                    methods=["GET", "POST"])
    bp.add_url_rule("/sources/<int:source_id>", "source", staff_required(source_health))
    bp.add_url_rule("/sources/<int:source_id>/edit", "source_edit",
                    staff_required(source_edit), methods=["GET", "POST"])
    for action in ACTIONS:
        bp.add_url_rule(f"/sources/<int:source_id>/{action}", f"source_{action}",
                        staff_required(_action_view(action)), methods=["POST"])


def sources_list():
    wanted = request.args.get("state")
    wanted = wanted if wanted in STATE_FILTERS else None
    return render_template("admin/sources.html", rows=list_source_rows(db_session(), state=wanted),
                           wanted=wanted, filters=FILTERS, states=STATES, kinds=KINDS, kind_label=kind_label,
                           short_outcomes=SHORT_OUTCOMES)


def source_edit(source_id: int):
    source = _source_or_404(source_id)
    form = EditSourceForm(obj=source, owner=source.actor.name if source.actor else "")
    if form.validate_on_submit():
        key = KEY_REMOVE if form.remove_key.data else (form.api_key.data or KEY_KEEP)
        changed = update_source(db_session(), source, name=form.name.data, owner=form.owner.data,
                                contact_email=form.contact_email.data,
                                interval_minutes=form.interval_minutes.data, api_key=key,
                                priority=form.priority.data)
        if changed:
            audit_source(source, "source_edit", changed=changed)
        touched = apply_priority(db_session(), source.id, now=now_utc()) \
            if "priority" in changed else set()
        db_session().commit()
        index_events(state().search, db_session(), touched)
        flash(gettext("The source was saved.") if changed else gettext("Nothing was changed."),
              "success")
        return redirect(url_for("admin.source", source_id=source.id))
    form.api_key.data = ""  # never sent back to the browser
    if not source.api_key:
        form.api_key.label.text = gettext("API key")
        form.api_key.description = gettext("Only for OpenAgenda. It is never shown again.")
    return render_template("admin/source_form.html", form=form, source=source,
                           key_set=bool(source.api_key)), 400 if form.errors else 200


def collect_now(source: Source) -> tuple[str, str]:
    """Collect it here and now (bounded by the fetch policy's timeouts and size cap)."""
    settings = state().settings
    db_session().commit()  # the collection works in its own transactions
    outcome = refresh_source(state().session_factory, source.id, now=now_utc(),
                             settings=settings, worker="staff page")
    db_session().expire_all()
    audit_source(source, "source_collect", outcome=outcome.outcome)
    if outcome.error_code == "collect.busy":
        return "info", gettext("A worker is collecting this source right now: its result "
                                 "will show here in a moment.")
    if not outcome.ok:
        return "error", gettext("The collection failed: %(problem)s", problem=say(
            outcome.error_code, outcome.error_params, outcome.error))
    if outcome.outcome != "ok":
        return "success", gettext("Collected: nothing changed since the last collection.")
    return "success", ngettext("Collected: %(num)d event, %(new)s new, %(updated)s changed, "
                               "%(removed)s removed.",
                               "Collected: %(num)d events, %(new)s new, %(updated)s changed, "
                               "%(removed)s removed.",
                               outcome.new + outcome.updated, new=outcome.new,
                               updated=outcome.updated, removed=outcome.removed)


def pause(source: Source) -> tuple[str, str]:
    pause_source(db_session(), source)
    audit_source(source, "source_pause")
    return "success", gettext("The source is paused: it is no longer collected, and its events "
                              "stay published.")


def resume(source: Source) -> tuple[str, str]:
    resume_source(db_session(), source, now=now_utc())
    audit_source(source, "source_resume")
    return "success", gettext("The source is collected again, starting now.")


def reset(source: Source) -> tuple[str, str]:
    failures = source.consecutive_failures
    reset_errors(db_session(), source, now=now_utc())
    audit_source(source, "source_reset", failures=failures)
    return "success", gettext("Its errors are forgotten: the source will be tried again at "
                              "once.")


ACTIONS = {"collect": collect_now, "pause": pause, "resume": resume, "reset": reset}


def _action_view(name: str):
    act = ACTIONS[name]

    def view(source_id: int):
        source = _source_or_404(source_id)
        if source.kind in NOT_FETCHED:
            abort(400)
        category, message = act(source)
        db_session().commit()
        flash(message, category)
        return redirect(url_for("admin.source", source_id=source.id))

    view.__name__ = f"source_{name}"
    return view


def _source_or_404(source_id: int) -> Source:
    try:
        return get_source(db_session(), source_id)
    except NotFound:
        abort(404)
