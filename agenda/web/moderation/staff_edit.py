"""Staff edit a proposal (``/admin/moderation/<id>/edit``) with the same forms as the public
(``agenda.web.submit.forms``): the same checks, the same data shape.  The private contact
e-mail is not the staff's to change and the honeypot is not shown.  A published proposal is
published again at once with the corrections (``agenda.services.moderation.edit_by_staff``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from agenda.errors import NotFound, ProposalError
from agenda.models import Submission
from agenda.services.moderation import edit_by_staff
from agenda.services.publication import index_events
from agenda.store.actors import list_actors
from agenda.store.campaigns import campaign_covering, list_campaigns
from agenda.store.submissions import get_submission
from agenda.web import db_session, state
from agenda.web.public.listing import current_region
from agenda.web.shared.dates import now_utc
from agenda.web.submit.actor_form import ActorProposalForm, actor_data, actor_defaults
from agenda.web.submit.forms import EventForm, ProposalContext
from agenda.web.submit.initiative_form import InitiativeForm
from agenda.web.submit.proposal_data import (
    event_data,
    event_defaults,
    initiative_data,
    initiative_defaults,
)

HIDDEN_FIELDS = {"csrf_token", "homepage", "contact_email"}


def edit_proposal(submission_id: int):
    try:
        submission = get_submission(db_session(), submission_id)
    except NotFound:
        abort(404)
    if submission.status == "cancelled":
        flash(gettext("This proposal was cancelled by its submitter: it can no longer be "
                      "changed."), "error")
        return redirect(url_for("moderation.proposal", submission_id=submission.id))
    form = staff_form(submission)
    if form.validate_on_submit():
        return save(submission, form)
    status = 400 if form.errors else 200
    return render_template("moderation/edit.html", submission=submission, form=form,
                           fields=[f for f in form if f.name not in HIDDEN_FIELDS]), status


def staff_form(submission: Submission):
    """The public form of this kind, filled with the proposal as it is now."""
    context = proposal_context()
    if submission.kind == "event":
        return EventForm(context, data=event_defaults(submission.data))
    if submission.kind == "actor":
        return ActorProposalForm(context, data=actor_defaults(submission.data))
    return InitiativeForm(context, data=initiative_defaults(submission.data))


def proposal_context() -> ProposalContext:
    session, settings = db_session(), state().settings
    return ProposalContext(
        region=current_region(), now=now_utc(), tz=settings.tz,
        actors=[(a.id, a.name) for a in list_actors(session)],
        campaigns=list_campaigns(session),
        covering=lambda day: campaign_covering(session, day), editing=True)


def form_data(submission: Submission, form) -> dict:
    if submission.kind == "event":
        return event_data(form.data, campaign_id=form.campaign_id())
    if submission.kind == "actor":
        return actor_data(form.data, actor_id=submission.data.get("actor_id"))
    return initiative_data(form.data)


def save(submission: Submission, form):
    return act(submission, lambda: edit_by_staff(
        db_session(), submission, form_data(submission, form), user=current_user.user,
        now=now_utc(), settings=state().settings),
        gettext("Changes saved: %(reference)s.", reference=submission.reference),
        then=url_for("moderation.proposal", submission_id=submission.id))


def act(submission: Submission, action, message: str, *, then: str | None = None):
    """Run a moderation service, commit, re-index what it published or withdrew, then go
    ``then`` (the queue by default); a refused step rolls back and says why."""
    try:
        ids = action()
    except ProposalError as error:
        db_session().rollback()
        flash(gettext(error.message), "error")
        return redirect(url_for("moderation.proposal", submission_id=submission.id))
    db_session().commit()
    index_events(state().search, db_session(), ids)
    flash(message, "success")
    return redirect(then or url_for("moderation.queue"))
