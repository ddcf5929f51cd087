"""Moderation of the proposals by the staff (``/admin/moderation``): the queue, a proposal with
everything about it (the private contact e-mail included, and what changed since the approved
version), approve, reject with a reason, edit.

Every action goes through ``agenda.services.moderation`` (which writes the audit log), is
committed, and only then are the events it published or withdrew re-indexed, so that the
listing, the search and the feeds show an approved event right after the click.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from agenda.errors import NotFound
from agenda.models import Submission
from agenda.services import moderation
from agenda.services.moderation import MAX_REASON
from agenda.services.proposals import FIELDS, diff_proposals
from agenda.store.audit import list_audit
from agenda.store.submissions import get_submission, pending_queue, recent_submissions
from agenda.web import db_session, state
from agenda.web.admin.display import audit_rows
from agenda.web.admin.views import staff_headers
from agenda.web.moderation.display import (
    KINDS,
    STATUSES,
    field_label,
    label_of,
    organiser_name,
    preview_image_url,
    queue_when,
    show_value,
    when_summary,
)
from agenda.web.moderation.lookalike_links import lookalikes_of, queue_lookalikes
from agenda.web.moderation.staff_edit import act, edit_proposal
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("moderation", __name__, url_prefix="/admin/moderation")
bp.after_request(staff_headers)
bp.add_url_rule("/<int:submission_id>/edit", "edit", staff_required(edit_proposal),
                methods=["GET", "POST"])

RECENT = 20
ALREADY = {
    "approved": _l("This proposal has already been approved: there is nothing waiting to be "
                   "decided."),
    "rejected": _l("This proposal has already been rejected."),
    "cancelled": _l("This proposal was cancelled by its submitter: it can no longer be "
                    "approved or rejected."),
}


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the refusal (the submitter will read it)"),
                           validators=[InputRequired(_l("Give the reason for the refusal.")),
                                       Length(max=MAX_REASON)])


class ApproveForm(FlaskForm):
    """Nothing but the CSRF token."""


@bp.context_processor
def moderation_functions() -> dict:
    return {"kind_label": lambda kind: label_of(KINDS, kind),
            "status_label": lambda status: label_of(STATUSES, status),
            "when_summary": when_summary, "queue_when": queue_when,
            "organiser_name": organiser_name, "preview_image_url": preview_image_url,
            "field_label": field_label,
            "show_value": lambda field, value: show_value(db_session(), field, value)}


@bp.get("/")
@staff_required
def queue():
    decided = [s for s in recent_submissions(db_session(), limit=RECENT + 50)
               if s.status != "pending"][:RECENT]
    waiting = pending_queue(db_session())
    return render_template("moderation/queue.html", queue=waiting, decided=decided,
                           lookalikes=queue_lookalikes(waiting))


@bp.get("/<int:submission_id>")
@staff_required
def proposal(submission_id: int):
    return render_proposal(find(submission_id), RejectForm())


def render_proposal(submission: Submission, reject_form: RejectForm, status: int = 200):
    changes = (diff_proposals(submission.published_data, submission.data)
               if submission.status == "pending" else [])
    return render_template(
        "moderation/proposal.html", submission=submission, fields=FIELDS[submission.kind],
        changes=changes, reject_form=reject_form, approve_form=ApproveForm(),
        lookalikes=lookalikes_of(submission) if submission.status == "pending" else [],
        history=audit_rows(db_session(), list_audit(db_session(),
                                                    submission_id=submission.id)),
    ), status


@bp.post("/<int:submission_id>/approve")
@staff_required
def approve(submission_id: int):
    submission = find(submission_id)
    if not ApproveForm().validate_on_submit():
        abort(400)
    if submission.status != "pending":
        return refuse(submission)
    return act(submission, lambda: moderation.approve(
        db_session(), submission, user=current_user.user, now=now_utc(),
        settings=state().settings), gettext("Approved: %(reference)s is published.",
                                            reference=submission.reference))


@bp.post("/<int:submission_id>/reject")
@staff_required
def reject(submission_id: int):
    submission = find(submission_id)
    form = RejectForm()
    if submission.status != "pending":
        return refuse(submission)
    if not form.validate_on_submit() or not form.reason.data.strip():
        if not form.reason.errors:
            form.reason.errors = [gettext("Give the reason for the refusal.")]
        return render_proposal(submission, form, status=400)
    message = (gettext("Changes refused: %(reference)s keeps its approved version.",
                       reference=submission.reference) if submission.published_data is not None
               else gettext("Rejected: %(reference)s.", reference=submission.reference))
    return act(submission, lambda: moderation.reject(
        db_session(), submission, user=current_user.user, reason=form.reason.data,
        now=now_utc()), message)


def refuse(submission: Submission):
    """An action on a proposal that is no longer waiting: say so, change nothing."""
    flash(str(ALREADY.get(submission.status, ALREADY["rejected"])), "error")
    return redirect(url_for("moderation.proposal", submission_id=submission.id))


def find(submission_id: int) -> Submission:
    try:
        return get_submission(db_session(), submission_id)
    except NotFound:
        abort(404)
