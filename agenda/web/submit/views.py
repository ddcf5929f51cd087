"""The public proposal forms: an event (``/submit``), an initiative (``/submit/initiative``), an
actor (``/submit/actor``), and
the submitter's secret link to see, edit or cancel a proposal (``/submit/manage/<secret>``).

A valid proposal is stored (pending) and committed before anything else; then the search index
is brought in line (a trusted actor is published at once), the link is e-mailed when SMTP is
configured, and the browser is redirected to a confirmation that shows the link, and can show it
again in the same browser for an hour (``agenda.web.submit.receipt``); a lost link can be sent
again to the private address (``agenda.web.submit.lost_link``).  A
proposal that names a trusted actor from an address not proved yet also gets a one-time link
e-mailed to that address (``/submit/confirm/<token>``, see ``agenda.web.submit.confirmation``).

Defences: CSRF (an expired form is shown again with its input and a 400), a honeypot field (a
filled one gets the same thank-you page and nothing is stored), a rate limit on every POST of
this blueprint shared by its forms (429), capped request sizes (413), and every field checked.
Pages that carry the secret are never cached and send no Referer.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from agenda.errors import ProposalError
from agenda.models import Submission
from agenda.services.mailer import send_secret_link
from agenda.services.publication import index_events
from agenda.services.submissions import (
    cancel_by_submitter,
    edit_by_submitter,
    find_by_secret,
    submit,
)
from agenda.web import db_session, state
from agenda.web.campaigns.preselect import preselect_campaign
from agenda.web.extensions import limiter
from agenda.web.public.listing import current_region
from agenda.web.shared.dates import now_utc, time_label
from agenda.web.shared.i18n import current_language
from agenda.web.submit.actor_form import ActorProposalForm, actor_data, actor_defaults
from agenda.web.submit.confirmation import (
    add_confirmation_routes,
    check_mailbox_message,
    confirmation_page,
    keep_sender,
    send_confirmation,
    sender_key,
)
from agenda.web.submit.context import proposal_context
from agenda.web.submit.forms import CancelForm, EventForm
from agenda.web.submit.initiative_form import InitiativeForm
from agenda.web.submit.lost_link import add_lost_link_routes, lost_link_page, manage_link
from agenda.web.submit.pages import cancel_page, form_page
from agenda.web.submit.proposal_data import (
    event_data,
    event_defaults,
    initiative_data,
    initiative_defaults,
)
from agenda.web.submit.receipt import forget_receipt, keep_receipt, read_receipt
from agenda.web.submit.summary import summary

log = logging.getLogger(__name__)

bp = Blueprint("submit", __name__, url_prefix="/submit")

BODY_LIMIT = 8 * 1024 * 1024  # a 5 MB image and the form's fields
FIELDS_LIMIT = 4 * 1024 * 1024  # a 1 MB description (even percent-encoded) gets a form error
FORMS = {"event": (EventForm, event_defaults), "initiative": (InitiativeForm, initiative_defaults),
         "actor": (ActorProposalForm, actor_defaults)}
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                   "X-Robots-Tag": "noindex"}

post_limit = limiter.shared_limit(lambda: state().settings.submit_rate_limit, scope="submit",
                                  methods=["POST"])
add_confirmation_routes(bp, post_limit)  # /submit/confirm/<token>, /submit/confirmed
add_lost_link_routes(bp, post_limit)  # /submit/lost-link, /submit/lost-link/sent


@bp.record_once
def limit_body_sizes(setup_state) -> None:
    """Bodies larger than BODY_LIMIT are refused (413) before they are read."""
    config = setup_state.app.config
    config["MAX_CONTENT_LENGTH"] = config.get("MAX_CONTENT_LENGTH") or BODY_LIMIT
    config["MAX_FORM_MEMORY_SIZE"] = max(config.get("MAX_FORM_MEMORY_SIZE") or 0, FIELDS_LIMIT)


@bp.route("", methods=["GET", "POST"])
@post_limit
def event():
    form = EventForm(proposal_context())
    preselect_campaign(form)
    if form.is_submitted():
        if form.is_spam:
            return spam_answer()
        if form.validate():
            return receive("event", event_data(form.data, campaign_id=form.campaign_id()),
                           form.contact_email.data)
    return form_page(form, "event")


@bp.route("/initiative", methods=["GET", "POST"])
@post_limit
def initiative():
    form = InitiativeForm(proposal_context())
    if form.is_submitted():
        if form.is_spam:
            return spam_answer()
        if form.validate():
            return receive("initiative", initiative_data(form.data), form.contact_email.data)
    return form_page(form, "initiative")


@bp.route("/actor", methods=["GET", "POST"])
@post_limit
def actor():
    """Propose an organisation for the actors' directory (published once moderated)."""
    form = ActorProposalForm(proposal_context())
    if form.is_submitted():
        if form.is_spam:
            return spam_answer()
        if form.validate():
            return receive("actor", actor_data(form.data), form.contact_email.data)
    return form_page(form, "actor")


@bp.get("/received")
def received():
    """The confirmation: the secret link, shown again in this browser for an hour (after that,
    or in another browser, the thanks only)."""
    info = read_receipt()
    # On the page, the address the visitor is on; in the e-mail, the site's public address
    # (never taken from the request's Host header).
    link = url_for("submit.manage", secret=info["secret"], _external=True) if info else None
    settings = state().settings
    until = time_label(info["until"], settings.tz) if info else None
    return render_template("submit/received.html", info=info, link=link, until=until,
                           mail=bool(settings.smtp_host))


@bp.get("/manage/<secret>")
def manage(secret: str):
    submission = submission_or_404(secret)
    return render_template("submit/manage.html", submission=submission, secret=secret,
                           details=summary(submission, current_region()))


@bp.route("/manage/<secret>/edit", methods=["GET", "POST"])
@post_limit
def edit(secret: str):
    submission = submission_or_404(secret)
    if submission.status == "cancelled":
        return cancelled_answer(secret)
    form_class, defaults = FORMS[submission.kind]
    context = proposal_context(editing=True, keep_campaign=submission.campaign_id)
    form = form_class(context, data=defaults(submission.data))
    if form.is_submitted() and not form.is_spam and form.validate():
        return save_edit(submission, secret, form)
    return form_page(form, submission.kind, submission=submission, secret=secret)


@bp.route("/manage/<secret>/cancel", methods=["GET", "POST"])
@post_limit
def cancel(secret: str):
    submission = submission_or_404(secret)
    if submission.status == "cancelled":
        return redirect(url_for("submit.manage", secret=secret))
    form = CancelForm()
    if form.validate_on_submit():
        ids = cancel_by_submitter(db_session(), submission, now=now_utc())
        commit_and_index(ids)
        log.info("proposal %s cancelled by its submitter", submission.reference)
        flash(gettext("Your proposal is cancelled: it will not be published."), "success")
        return redirect(url_for("submit.manage", secret=secret))
    return cancel_page(form, submission, secret)


# --- Steps ---------------------------------------------------------------------------------

def receive(kind: str, data: dict, contact_email: str):
    """Store the proposal (committed), index what a trusted actor published, e-mail the link,
    and redirect to the confirmation."""
    settings, db = state().settings, db_session()
    got = submit(db, kind=kind, data=data, contact_email=contact_email, now=now_utc(),
                 settings=settings, sender_key=sender_key())
    reference, secret = got.submission.reference, got.secret
    published = got.submission.status == "approved"
    commit_and_index(got.published_ids)
    log.info("proposal %s received (%s%s)", reference, kind, ", published" if published else "")
    sent = send_secret_link(settings, to=contact_email, reference=reference,
                            link=manage_link(secret), title=data["title"],
                            language=current_language())
    confirming = bool(got.confirmation) and send_confirmation(got.submission, got.confirmation)
    return keep_receipt(redirect(url_for("submit.received")), {
        "reference": reference, "secret": secret, "kind": kind, "published": published,
        "sent": sent, "confirming": confirming})


def save_edit(submission: Submission, secret: str, form):
    data = (event_data(form.data, campaign_id=form.campaign_id()) if submission.kind == "event"
            else actor_data(form.data, actor_id=submission.data.get("actor_id"))
            if submission.kind == "actor" else initiative_data(form.data))
    try:
        outcome = edit_by_submitter(
            db_session(), submission, data, now=now_utc(), settings=state().settings,
            contact_email=form.contact_email.data or submission.contact_email,
            sender_key=sender_key())
    except ProposalError:
        db_session().rollback()
        return cancelled_answer(secret)
    published = submission.status == "approved"
    commit_and_index(outcome.published_ids)
    log.info("proposal %s changed by its submitter", submission.reference)
    confirming = bool(outcome.confirmation) and send_confirmation(submission,
                                                                  outcome.confirmation)
    flash(gettext("Your changes are saved and published.") if published else
          gettext("Your changes are saved. The proposal goes back to the regional team, who "
                  "will check it again before it is published."), "success")
    if confirming:
        flash(check_mailbox_message(), "success")
    return redirect(url_for("submit.manage", secret=secret))


def commit_and_index(event_ids: list[str]) -> None:
    db = db_session()
    db.commit()
    index_events(state().search, db, event_ids)


def spam_answer():
    """A filled honeypot: thank the robot as if all went well; nothing is stored."""
    log.warning("proposal refused on %s: the hidden field was filled in (spam)",
                request.endpoint)
    return forget_receipt(redirect(url_for("submit.received")))


def cancelled_answer(secret: str):
    flash(gettext("This proposal was cancelled: it can no longer be changed."), "error")
    return redirect(url_for("submit.manage", secret=secret))


def submission_or_404(secret: str) -> Submission:
    submission = find_by_secret(db_session(), secret)
    if submission is None:
        abort(404)
    return submission


# --- Errors --------------------------------------------------------------------------------

@bp.errorhandler(CSRFError)
def expired_form(_error: CSRFError):
    """A missing or stale CSRF token: the same form again, with what was typed (400)."""
    endpoint = request.endpoint
    if endpoint == "submit.confirm":
        return confirmation_page(request.view_args["token"], expired_form=True)
    if endpoint == "submit.lost_link":
        return lost_link_page(expired=True)
    if endpoint == "submit.event":
        return form_page(EventForm(proposal_context()), "event", status=400, expired=True)
    if endpoint == "submit.initiative":
        return form_page(InitiativeForm(proposal_context()), "initiative", status=400,
                         expired=True)
    if endpoint == "submit.actor":
        return form_page(ActorProposalForm(proposal_context()), "actor", status=400,
                         expired=True)
    secret = (request.view_args or {}).get("secret", "")
    submission = find_by_secret(db_session(), secret)
    if submission is None:  # (abort() cannot be called from an error handler)
        return render_template("error.html", status=404), 404
    if submission.status == "cancelled":
        return redirect(url_for("submit.manage", secret=secret))
    if endpoint == "submit.edit":
        form_class, _defaults = FORMS[submission.kind]
        form = form_class(proposal_context(editing=True, keep_campaign=submission.campaign_id))
        return form_page(form, submission.kind, submission=submission, secret=secret,
                         status=400, expired=True)
    return cancel_page(CancelForm(), submission, secret, status=400, expired=True)


@bp.errorhandler(413)
def too_large(_error):
    return render_template("submit/too_large.html"), 413


@bp.errorhandler(429)
def too_many(_error):
    message = gettext("You have sent many forms in a short time. Please wait a few minutes "
                      "before trying again: nothing you sent before is lost.")
    return render_template("error.html", status=429, message=message), 429


@bp.after_request
def private_pages(response):
    """The secret link never leaks through a cache or a Referer (the other security headers
    are added app-wide, agenda.web.shared.headers)."""
    response.headers.update(PRIVATE_HEADERS)
    return keep_sender(response)
