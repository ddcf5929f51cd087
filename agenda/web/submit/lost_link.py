"""“Lost your link?” (``/submit/lost-link``): new secret links e-mailed to a proposal's private
address, when e-mail is set up on this site.

The page answers the same whatever the address (``/submit/lost-link/sent``): nobody learns from
it who proposed what; only the mailbox receives the links (``agenda.services.lost_links``).
The e-mail is handed to the SMTP server by a background thread, so that the answer takes as
long whether or not there was anything to send (its time would otherwise tell).  Posts are
rate-limited per client address, besides the limit shared by every proposal form.
Without SMTP, the page says that the link cannot be sent and whom to ask.  Neither the address
nor the links are logged.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired

from agenda.services.lost_links import new_links_for
from agenda.services.mailer import send_lost_links
from agenda.web import db_session, state
from agenda.web.extensions import limiter
from agenda.web.shared.dates import now_utc
from agenda.web.shared.i18n import current_language
from agenda.web.submit.fields import EMAIL_MAX, PlainText, email_address, max_length, strip_text

log = logging.getLogger(__name__)

LOST_LINK_LIMIT = "5 per hour"  # per client address
_MAIL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lost-link-mail")


class LostLinkForm(FlaskForm):
    email = EmailField(_l("The e-mail address you gave with your proposal"),
                       filters=[strip_text],
                       validators=[DataRequired(message=_l("Give your e-mail address.")),
                                   max_length(EMAIL_MAX), PlainText(), email_address])


def add_lost_link_routes(bp, post_limit) -> None:
    """``submit.lost_link`` (the form) and ``submit.lost_link_sent`` (the one answer)."""
    limited = limiter.limit(LOST_LINK_LIMIT, methods=["POST"], scope="lost-link")
    bp.add_url_rule("/lost-link", "lost_link", post_limit(limited(lost_link_page)),
                    methods=["GET", "POST"])
    bp.add_url_rule("/lost-link/sent", "lost_link_sent", lost_link_sent)


def manage_link(secret: str) -> str:
    """The full address of a secret link (on the site's public address, never the Host's)."""
    base = state().settings.public_url.rstrip("/")
    return base + url_for("submit.manage", secret=secret)


def lost_link_page(*, expired: bool = False):
    settings = state().settings
    form = LostLinkForm()
    if settings.smtp_host and not expired and form.validate_on_submit():
        send_new_links(form.email.data)
        return redirect(url_for("submit.lost_link_sent"))
    failed = form.is_submitted() and bool(form.email.errors)
    status = 400 if expired else 422 if failed else 200
    return render_template("submit/lost_link.html", form=form, mail=bool(settings.smtp_host),
                           team_email=settings.team_email, expired=expired,
                           failed=failed or expired), status


def lost_link_sent():
    return render_template("submit/lost_link_sent.html", team_email=state().settings.team_email)


def send_new_links(email: str) -> None:
    """New links for the proposals of ``email`` (committed), then e-mailed to it."""
    db = db_session()
    links = new_links_for(db, email, now=now_utc())
    db.commit()
    log.info("lost link asked for: %d proposal(s) get a new link", len(links))
    if links:
        _MAIL.submit(send_lost_links, state().settings, to=email, language=current_language(),
                     links=[(new.submission.data.get("title", ""), new.submission.reference,
                             manage_link(new.secret)) for new in links])


def wait_for_mail() -> None:
    """Return once the e-mails asked for so far have been handed over (or failed): the one
    thread sends them in order."""
    _MAIL.submit(lambda: None).result()
