"""Who is signed in: Flask-Login around our ``User`` model, and the guard of every staff page.

``staff_required`` refuses anonymous visitors (a redirect to the login page for pages, 401 for
anything else) and deactivated accounts; ``admin_required`` also needs the admin role.  Every
request checks that its session still stands (the account's session version, the idle time and
the lifetime: ``agenda.web.shared.staff_session``); one that does not is emptied.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from agenda.models import User
from agenda.web.extensions import login_manager
from agenda.web.shared.dates import now_utc
from agenda.web.shared.staff_session import (
    SessionLimits,
    session_refusal,
    session_stamps,
    touch_session,
)


class StaffUser:
    """The signed-in account as Flask-Login sees it (the model itself stays free of Flask)."""

    is_anonymous = False

    def __init__(self, user: User):
        self.user = user
        self.id = user.id
        self.email = user.email
        self.role = user.role

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def get_id(self) -> str:
        return str(self.id)


def init_auth(app) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from agenda.web import db_session

        try:
            user = db_session().get(User, int(user_id))
        except ValueError:
            user = None
        if user is None or not user.active or not session_stands(user):
            session.clear()  # the cookie is rewritten empty: nothing left to replay
            return None
        touch_session(session, now_utc())
        return StaffUser(user)

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(401)


def session_stands(user: User) -> bool:
    """Whether this request's session still stands for ``user`` (see agenda.web.shared.staff_session)."""
    from agenda.web import state

    limits = SessionLimits.from_settings(state().settings)
    return session_refusal(session, version=user.session_version, now=now_utc(),
                           limits=limits) is None


def start_session(user: User) -> None:
    """Stamp the signed-in session with the account's version and the instant."""
    session.update(session_stamps(user.session_version, now_utc()))


def staff_required(view):
    """The view is for signed-in staff (or admins) only."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return guarded


def admin_required(view):
    """The view is for signed-in admins only (staff get 403)."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return guarded
