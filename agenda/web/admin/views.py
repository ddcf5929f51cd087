"""The staff pages under ``/admin/``: sign in and out, the dashboard, the audit log (the actors:
``agenda.web.actors.admin``).

Everything here but the login page needs a signed-in account (``staff_required``): anonymous
visitors are sent to the login page (GET) or refused with 401 (any other method).  Staff
moderate; managing the accounts is for admins only.

Signing in: one message for every refusal (it never tells whether the e-mail has an account);
attempts are limited per client address (``login_rate_limit``) and per account (see
``agenda.services.accounts``); the session is cleared before the account enters it, so a
session fixed by someone else before the login is worth nothing after it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from agenda.errors import NotFound
from agenda.services.accounts import (
    MAX_PASSWORD_LENGTH,
    authenticate,
    end_sessions,
    sign_out_everywhere,
)
from agenda.store.audit import list_audit
from agenda.store.source_health import sources_in_trouble
from agenda.store.submissions import pending_queue
from agenda.store.users import get_user, list_users
from agenda.web import db_session, state
from agenda.web.admin.display import audit_rows, staff_page_functions
from agenda.web.admin.source_page import STATES
from agenda.web.admin.sources import register_source_pages
from agenda.web.extensions import limiter
from agenda.web.shared.auth import StaffUser, admin_required, staff_required, start_session
from agenda.web.shared.dates import now_utc

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.app_context_processor(staff_page_functions)  # for every staff page, campaigns' too
register_source_pages(bp)

AUDIT_PAGE_SIZE = 200


@bp.after_request
def staff_headers(response):
    """Staff pages show private data: never kept by a cache (the security headers every answer
    carries are added app-wide: agenda.web.shared.headers)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def login_rate_limit() -> str:
    return state().settings.login_rate_limit


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    next = HiddenField()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    target = local_target(form.next.data or request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target)
    form.next.data = target
    refusal = None
    if form.validate_on_submit():
        outcome = authenticate(db_session(), form.email.data, form.password.data, now=now_utc())
        db_session().commit()
        if outcome.accepted:
            sign_in(outcome.user)
            return redirect(target)
        refusal = "locked" if outcome.locked else "refused"
    status = 401 if refusal else 400 if form.errors else 200
    return render_template("admin/login.html", form=form, refusal=refusal), status


@bp.errorhandler(CSRFError)
def expired_form(_error: CSRFError):
    """A login form sent without its token (or one too old): the form again, with a word."""
    if request.endpoint != "admin.login":
        return render_template("error.html", status=400), 400
    form = LoginForm(formdata=None, next=local_target(request.form.get("next")),
                     email=request.form.get("email", "")[:254])
    return render_template("admin/login.html", form=form, expired=True), 400


def sign_in(user) -> None:
    """A fresh session (nothing from before the login survives it) with the account in it."""
    session.clear()
    login_user(StaffUser(user))
    start_session(user)
    flash(gettext("You are signed in."), "success")


def local_target(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    default = url_for("admin.dashboard")
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


@bp.post("/logout")
@staff_required
def logout():
    """Sign out: every session of the account ends, a copy of this cookie included."""
    end_sessions(db_session(), current_user.user)
    db_session().commit()
    return signed_out(gettext("You are signed out."))


@bp.post("/sessions/end")
@staff_required
def end_my_sessions():
    """Sign out everywhere: every session of one's own account ends, on every device."""
    sign_out_everywhere(db_session(), current_user.user, by=current_user.user, now=now_utc())
    db_session().commit()
    return signed_out(gettext("You are signed out on every device."))


def signed_out(message: str):
    logout_user()
    session.clear()
    flash(message, "success")
    return redirect(url_for("admin.login"))


@bp.get("/accounts")
@admin_required
def accounts():
    return render_template("admin/accounts.html", accounts=list_users(db_session()))


@bp.post("/accounts/<int:user_id>/sessions/end")
@admin_required
def end_account_sessions(user_id: int):
    """An admin signs another account (or their own) out everywhere."""
    if user_id == current_user.id:
        return end_my_sessions()
    try:
        account = get_user(db_session(), user_id)
    except NotFound:
        abort(404)
    sign_out_everywhere(db_session(), account, by=current_user.user, now=now_utc())
    db_session().commit()
    flash(gettext("Every session of %(email)s has ended.", email=account.email), "success")
    return redirect(url_for("admin.accounts"))


@bp.get("/")
@staff_required
def dashboard():
    return render_template(
        "admin/dashboard.html", pending=len(pending_queue(db_session())),
        troubled=sources_in_trouble(db_session()), states=STATES,
        campaigns_url=optional_url("campaign_admin.index"),
        recent=audit_rows(db_session(), list_audit(db_session(), limit=5)))


def optional_url(endpoint: str) -> str | None:
    """The URL of a page that another part of the app may not provide (None then)."""
    return url_for(endpoint) if endpoint in current_app.view_functions else None


@bp.get("/audit")
@staff_required
def audit():
    entries = list_audit(db_session(), limit=AUDIT_PAGE_SIZE)
    return render_template("admin/audit.html", rows=audit_rows(db_session(), entries),
                           limit=AUDIT_PAGE_SIZE)
