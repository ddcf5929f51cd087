"""The staff's actors (``/admin/actors``): the list (those to check first, searched by name or
number, filtered by status, their flags shown), a new actor, an actor's form (every field; an
invalid SIREN, SIRET or RNA number refused next to its field, the input kept), confirm, remove,
link two actors (a member of a network, partners) and unlink them, and trust (admins only:
a trusted actor's proposals are published without waiting once their address is proved).

Every action is a POST with the CSRF token, goes through ``agenda.services.actors`` (or
``moderation.set_actor_trusted``), which writes the audit log, and is committed here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm

from agenda.errors import NotFound
from agenda.models import Actor
from agenda.models.actor import ACTOR_RELATIONS, ACTOR_STATUSES
from agenda.services.actors import (
    ActorRefused,
    confirm_actor,
    link_actors,
    problem_sentence,
    remove_actor,
    save_actor,
    unlink_actors,
)
from agenda.services.moderation import set_actor_trusted
from agenda.store.actor_directory import staff_actors
from agenda.store.actors import get_actor, list_actors
from agenda.web import db_session, state
from agenda.web.actors.forms import ActorEditForm, actor_defaults, form_values
from agenda.web.actors.labels import (
    ACTOR_FIELDS,
    ORIGIN_LABELS,
    RELATION_LABELS,
    STATUS_LABELS,
    STRUCTURE_LABELS,
    label,
    own_words,
)
from agenda.web.admin.views import staff_headers
from agenda.web.public.listing import Pager, current_region
from agenda.web.public.pages import page_links
from agenda.web.shared.auth import admin_required, staff_required
from agenda.web.shared.dates import now_utc

bp = Blueprint("admin_actors", __name__, url_prefix="/admin/actors")
bp.after_request(staff_headers)

PER_PAGE = 50
MAX_PAGE = 10_000
ID_MAX = 2**31 - 1


class ActionForm(FlaskForm):
    """Nothing but the CSRF token (confirm, remove, link, unlink)."""


@bp.context_processor
def actor_admin_functions() -> dict:
    return {"structure_label": lambda v: label(STRUCTURE_LABELS, v), "own_words": own_words,
            "status_label": lambda v: label(STATUS_LABELS, v),
            "origin_label": lambda v: label(ORIGIN_LABELS, v),
            "field_name": lambda v: label(ACTOR_FIELDS, v),
            "relation_label": lambda v: label(RELATION_LABELS, v),
            "flag_sentence": lambda flag: gettext(problem_sentence(flag))}


@bp.get("")
@staff_required
def actors():
    search = request.args.get("q", "")[:200]
    status = request.args.get("status", "")
    removed = request.args.get("removed") == "1"
    page = request.args.get("page", "1")
    if status and status not in ACTOR_STATUSES or not page.isdigit() or not (
            1 <= int(page) <= MAX_PAGE):
        abort(400)
    page = int(page)
    found, total = staff_actors(db_session(), search=search, status=status or None,
                                removed=removed, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pager = Pager(page, PER_PAGE, total)
    args = {k: v for k, v in (("q", search), ("status", status),
                              ("removed", "1" if removed else "")) if v}
    # Without SMTP no address can be proved: trusted actors are moderated too (the page says so).
    return render_template(
        "actors/admin_list.html", actors=found, pager=pager, search=search, status=status,
        removed=removed, statuses=ACTOR_STATUSES, action_form=ActionForm(),
        page_urls=page_links(page, pager.pages, lambda n: url_for(
            "admin_actors.actors", **args, **({"page": n} if n > 1 else {}))),
        mail_configured=bool(state().settings.smtp_host))


@bp.post("/<int:actor_id>/trust")
@admin_required
def trust_actor(actor_id: int):
    wanted = request.form.get("trusted")
    if wanted not in ("1", "0"):
        abort(400)
    actor = find(actor_id)
    set_actor_trusted(db_session(), actor, wanted == "1", user=current_user.user, now=now_utc())
    db_session().commit()
    message = (gettext("%(name)s is now trusted: its proposals are published without waiting once "
                       "their contact address has confirmed them.",
                       name=actor.name) if actor.trusted else
               gettext("%(name)s is no longer trusted: its proposals wait for moderation.",
                       name=actor.name))
    flash(message, "success")
    return redirect(url_for("admin_actors.actors") + f"#actor-{actor.id}")


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = ActorEditForm(current_region())
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(gettext("%(name)s is added to the directory.", name=saved.name), "success")
            return redirect(url_for("admin_actors.edit", actor_id=saved.id))
    return _form_page(form, None)


@bp.route("/<int:actor_id>", methods=["GET", "POST"])
@staff_required
def edit(actor_id: int):
    actor = find(actor_id)
    form = ActorEditForm(current_region(), data=actor_defaults(actor))
    if form.validate_on_submit():
        if _save(form, actor) is not None:
            flash(gettext("Changes saved: %(name)s.", name=actor.name), "success")
            return redirect(url_for("admin_actors.edit", actor_id=actor.id))
    return _form_page(form, actor)


@bp.post("/<int:actor_id>/confirm")
@staff_required
def confirm(actor_id: int):
    actor = _acted_on(actor_id)
    if confirm_actor(db_session(), actor, by=current_user.user, now=now_utc()):
        db_session().commit()
        flash(gettext("%(name)s is confirmed.", name=actor.name), "success")
    return redirect(_back(actor))


@bp.post("/<int:actor_id>/remove")
@staff_required
def remove(actor_id: int):
    actor = _acted_on(actor_id)
    if remove_actor(db_session(), actor, by=current_user.user, now=now_utc()):
        db_session().commit()
        flash(gettext("%(name)s is removed from the directory.", name=actor.name), "success")
    return redirect(url_for("admin_actors.actors"))


@bp.post("/<int:actor_id>/link")
@staff_required
def link(actor_id: int):
    actor, other, relation = _link_request(actor_id)
    if link_actors(db_session(), actor.id, other.id, relation, by=current_user.user,
                   now=now_utc()):
        db_session().commit()
        flash(gettext("Linked: %(first)s %(relation)s %(second)s.", first=actor.name,
                      relation=label(RELATION_LABELS, relation), second=other.name), "success")
    else:
        flash(gettext("These two actors were already linked so: nothing was changed."), "error")
    return redirect(url_for("admin_actors.edit", actor_id=actor.id) + "#liens")


@bp.post("/<int:actor_id>/unlink")
@staff_required
def unlink(actor_id: int):
    actor, other, relation = _link_request(actor_id)
    # "has": the other actor is the member of this network (the link is written from it)
    first, second = (other, actor) if request.form.get("direction") == "has" else (actor, other)
    if unlink_actors(db_session(), first.id, second.id, relation, by=current_user.user,
                     now=now_utc()):
        db_session().commit()
        flash(gettext("Link removed between %(first)s and %(second)s.", first=actor.name,
                      second=other.name), "success")
    return redirect(url_for("admin_actors.edit", actor_id=actor.id) + "#liens")


# --- Steps ---------------------------------------------------------------------------------

def find(actor_id: int) -> Actor:
    if actor_id > ID_MAX:
        abort(404)
    try:
        return get_actor(db_session(), actor_id)
    except NotFound:
        abort(404)


def _acted_on(actor_id: int) -> Actor:
    actor = find(actor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return actor


def _link_request(actor_id: int) -> tuple[Actor, Actor, str]:
    actor = _acted_on(actor_id)
    other_id, relation = request.form.get("other", ""), request.form.get("relation", "")
    if relation not in ACTOR_RELATIONS or not other_id.isdigit() or int(other_id) == actor.id:
        abort(400)
    return actor, find(int(other_id)), relation


def _save(form: ActorEditForm, actor: Actor | None) -> Actor | None:
    """Save the form (a new actor when ``actor`` is None); None when refused (the problems are
    then next to their fields)."""
    try:
        saved, _problems = save_actor(
            db_session(), form_values(form.data), origin="staff",
            status=actor.status if actor is not None else "confirmed", by=current_user.user,
            actor=actor, region=current_region(), now=now_utc())
    except ActorRefused as refused:
        db_session().rollback()
        form.show_problems(refused.problems)
        return None
    db_session().commit()
    return saved


def _form_page(form: ActorEditForm, actor: Actor | None):
    from agenda.store.links import linked_actors

    status = 400 if form.errors else 200
    others = [(a.id, a.name) for a in list_actors(db_session())
              if actor is None or a.id != actor.id and a.removed_at is None]
    return render_template(
        "actors/admin_form.html", form=form, actor=actor, action_form=ActionForm(),
        links=linked_actors(db_session(), actor.id) if actor is not None else [],
        others=others, relations=ACTOR_RELATIONS), status


def _back(actor: Actor) -> str:
    target = request.form.get("back")
    return url_for("admin_actors.actors") if target == "list" else url_for(
        "admin_actors.edit", actor_id=actor.id)
