"""Who is signed in: Flask-Login around our ``User`` model, and the guard of every staff page.

``staff_required`` refuses anonymous visitors (a redirect to the login page for pages, 401 for
anything else) and deactivated accounts; ``admin_required`` also needs the admin role.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from agenda.models import User
from agenda.web.extensions import login_manager


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
            return None
        return StaffUser(user) if user is not None and user.active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(401)


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
