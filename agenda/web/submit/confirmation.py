"""The web side of proved addresses (``agenda.services.address_proofs``): the submitter's browser
key, the confirmation e-mail, and the page behind its one-time link, ``/submit/confirm/<token>``.

The link's GET only shows the proposal and a button: mail scanners that fetch every link confirm
nothing.  The button's POST (CSRF, rate-limited like every proposal POST) confirms.  An unknown,
used or expired link is a page with a sentence (404, 410), never a 500; the proposal then simply
stays in the moderation queue.  These pages, like the secret link's, are never cached and send no
Referer; the token is cut out of the access logs (``agenda.web.shared.log_redaction``).

The browser key is a random value in a cookie, set on the proposal forms' answers: a proved
address is remembered for the browser its proposal came from, not for whoever types it later.
"""

from __future__ import annotations

import logging
import re
import secrets

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext

from agenda.errors import ProposalError
from agenda.models import Submission
from agenda.services.address_proofs import confirm, pending_confirmation
from agenda.services.mailer import send_confirmation_link
from agenda.services.publication import index_events
from agenda.web import db_session, state
from agenda.web.shared.dates import now_utc
from agenda.web.shared.i18n import current_language

log = logging.getLogger(__name__)

SENDER_COOKIE = "agenda_sender"
SENDER_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_SENDER_SHAPE = re.compile(r"[\w-]{32,64}")
CONFIRMED = "submit_confirmed"  # the session key of the one-time "confirmed" page
STATUSES = {"confirmation.unknown": 404, "confirmation.used": 410,
            "confirmation.expired": 410, "confirmation.void": 409}


def add_confirmation_routes(bp, post_limit) -> None:
    """The link's page (``submit.confirm``) and the page after it (``submit.confirmed``)."""
    bp.add_url_rule("/confirm/<token>", "confirm", post_limit(confirmation_page),
                    methods=["GET", "POST"])
    bp.add_url_rule("/confirmed", "confirmed", confirmed_page)


def check_mailbox_message() -> str:
    return gettext("We have sent a confirmation link to the contact address: open it within "
                   "24 hours to publish your proposal at once. Otherwise the regional team "
                   "will check it as usual.")


def sender_key() -> str:
    """This browser's key (from its cookie, or a new one that ``keep_sender`` will set)."""
    known = request.cookies.get(SENDER_COOKIE, "")
    if _SENDER_SHAPE.fullmatch(known):
        return known
    if "agenda_new_sender" not in request.environ:
        request.environ["agenda_new_sender"] = secrets.token_urlsafe(32)
    return request.environ["agenda_new_sender"]


def keep_sender(response):
    """Set the cookie of a browser key made during this request."""
    new = request.environ.get("agenda_new_sender")
    if new:
        response.set_cookie(SENDER_COOKIE, new, max_age=SENDER_MAX_AGE, path="/submit",
                            httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def send_confirmation(submission: Submission, token: str) -> bool:
    """E-mail the one-time link to the proposal's contact address (after the commit)."""
    settings = state().settings
    link = settings.public_url.rstrip("/") + url_for("submit.confirm", token=token)
    actor = submission.actor.name if submission.actor else ""
    return send_confirmation_link(settings, to=submission.contact_email,
                                  reference=submission.reference, link=link,
                                  title=submission.data.get("title", ""), actor=actor,
                                  language=current_language())


def confirmation_page(token: str, *, expired_form: bool = False):
    """GET: the proposal and the button; POST: confirm, then the one-time 'confirmed' page."""
    db = db_session()
    try:
        confirmation = pending_confirmation(db, token, now=now_utc())
        if request.method == "POST" and not expired_form:
            return _confirmed(token)
    except ProposalError as error:
        db.rollback()
        return _refused(error)
    submission = db.get(Submission, confirmation.submission_id)
    return render_template("submit/confirm.html", submission=submission, token=token,
                           expired=expired_form), 400 if expired_form else 200


def confirmed_page():
    info = session.pop(CONFIRMED, None)
    return render_template("submit/confirmed.html", info=info)


def _confirmed(token: str):
    db, settings = db_session(), state().settings
    done = confirm(db, token, now=now_utc(), settings=settings)
    db.commit()
    index_events(state().search, db, done.published_ids)
    log.info("proposal %s: contact address confirmed%s", done.submission.reference,
             ", published" if done.published_ids else "")
    session[CONFIRMED] = {"reference": done.submission.reference,
                          "published": done.submission.status == "approved",
                          "event_id": done.submission.event_id}
    return redirect(url_for("submit.confirmed"))


def _refused(error: ProposalError):
    status = STATUSES.get(error.code, 400)
    return render_template("error.html", status=status, message=gettext(error.message),
                           heading=gettext("Confirmation of a proposal")), status
