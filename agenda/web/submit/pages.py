"""The pages of the proposal forms: a form with its input and its errors, the cancel page."""

from __future__ import annotations

from flask import render_template

from agenda.models import Submission


def form_page(form, kind: str, *, submission: Submission | None = None,
              secret: str | None = None, status: int | None = None, expired: bool = False):
    """The form, with its input and its errors next to each field (422 when it has errors)."""
    if status is None:
        status = 422 if form.is_submitted() and any(f.errors for f in form) else 200
    return render_template(f"submit/{kind}.html", form=form, submission=submission,
                           secret=secret, expired=expired), status


def cancel_page(form, submission: Submission, secret: str, *, status: int | None = None,
                expired: bool = False):
    if status is None:
        status = 422 if form.errors else 200
    return render_template("submit/cancel.html", form=form, submission=submission,
                           secret=secret, expired=expired), status
