"""The staff review of possible duplicates (``/admin/matches``): the pairs of events that
matching found alike but not surely one (the likeliest first, 50 a page), each side by side
with why; "the same event" merges them, "not the same" is remembered and never asked again.
Below, the latest merges (automatic or confirmed), each with a button that splits it.

Every action is a POST with the CSRF token, for staff only; ``agenda.services.merging`` writes
the audit line, the view commits and only then re-indexes the events touched.  A pair already
decided, or unknown, says so and changes nothing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from agenda.models import Event, MatchPair
from agenda.services.merging import confirm_pair, refuse_pair, split_copy
from agenda.services.publication import index_events
from agenda.store.match_pairs import count_pending, get_pair, merged_pairs, pending_pairs
from agenda.store.merges import heads_of, members_of
from agenda.web import db_session, state
from agenda.web.admin.audit_sentences import person
from agenda.web.admin.match_display import pair_card
from agenda.web.admin.views import staff_headers
from agenda.web.public.listing import Pager
from agenda.web.public.pages import page_links
from agenda.web.shared.auth import staff_required
from agenda.web.shared.dates import now_utc
from agenda.web.shared.i18n import N_

bp = Blueprint("admin_matches", __name__, url_prefix="/admin/matches")
bp.after_request(staff_headers)

PER_PAGE = 50
RECENT_MERGES = 20
MAX_PAGE = 10_000
EVENT_ID_MAX = 32
ALREADY = {"merged": N_("These two announcements were already merged: nothing was changed."),
           "refused": N_("These two announcements were already said not to be the same event: "
                         "nothing was changed.")}
UNKNOWN = N_("This pair of announcements does not exist (any more): nothing was changed.")


@bp.app_context_processor
def matches_functions() -> dict:
    """The number of pairs waiting, for the dashboard (asked only where it is shown)."""
    return {"matches_waiting": lambda: count_pending(db_session())}


@bp.get("")
@staff_required
def queue():
    session, tz = db_session(), state().settings.tz
    page = _requested_page()
    pager = Pager(page, PER_PAGE, count_pending(session))
    views = pending_pairs(session, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    merges = merged_pairs(session, limit=RECENT_MERGES)
    return render_template(
        "admin/matches.html", cards=[pair_card(v.pair, v.first, v.second, tz) for v in views],
        pager=pager, page_urls=page_links(page, pager.pages, _page_url),
        merges=[(pair_card(v.pair, v.first, v.second, tz), _split_target(v.first, v.second))
                for v in merges], who=person)


@bp.post("/<int:pair_id>/confirm")
@staff_required
def confirm(pair_id: int):
    touched = confirm_pair(db_session(), pair_id, who=current_user.email, now=now_utc(),
                           user_id=current_user.id)
    if touched is None:
        return _not_pending(pair_id)
    _commit_and_index(touched)
    flash(gettext("Merged: the two announcements are now one event, listed once with both "
                  "origins."), "success")
    return redirect(_back_to_queue())


@bp.post("/<int:pair_id>/refuse")
@staff_required
def refuse(pair_id: int):
    if not refuse_pair(db_session(), pair_id, who=current_user.email, now=now_utc(),
                       user_id=current_user.id):
        return _not_pending(pair_id)
    db_session().commit()
    flash(gettext("Noted: these two announcements are different events. They will not be "
                  "proposed again."), "success")
    return redirect(_back_to_queue())


@bp.post("/split/<event_id>")
@staff_required
def split(event_id: str):
    """Take one announcement out of its merged event; then the page of what remains (or the
    queue, when the split was asked from there)."""
    session = db_session()
    others = _cluster_others(event_id) if len(event_id) <= EVENT_ID_MAX else []
    touched = split_copy(session, event_id, who=current_user.email, now=now_utc(),
                         user_id=current_user.id) if others else None
    if touched is None:
        session.rollback()
        flash(gettext("This announcement is not merged with another one: there is nothing to "
                      "split."), "error")
        return redirect(_back_to_queue())
    _commit_and_index(touched)
    flash(gettext("Split: this announcement is a separate event again, and will not be merged "
                  "with the others again."), "success")
    if request.form.get("back") == "queue":
        return redirect(_back_to_queue())
    remaining = heads_of(session, others[:1]).get(others[0], others[0])
    return redirect(url_for("public.event", event_id=remaining))


def _cluster_others(event_id: str) -> list[str]:
    """The other events of the event's merged cluster (none when it is not merged)."""
    head = heads_of(db_session(), [event_id]).get(event_id)
    if head is None:
        return []
    return [m.copy.event_id for m in members_of(db_session(), [head]).get(head, [])
            if m.copy.event_id != event_id]


def _split_target(first: Event, second: Event) -> str | None:
    """Which event of a merged pair a split takes out: the one that is a copy (None when the
    two are no longer in one merged event)."""
    if (first.duplicate_of or first.id) != (second.duplicate_of or second.id):
        return None
    return first.id if second.duplicate_of is None else second.id


def _not_pending(pair_id: int):
    db_session().rollback()
    pair: MatchPair | None = get_pair(db_session(), pair_id)
    message = ALREADY.get(pair.state, UNKNOWN) if pair is not None else UNKNOWN
    flash(gettext(message), "error")
    return redirect(_back_to_queue())


def _commit_and_index(event_ids: set[str]) -> None:
    db_session().commit()
    index_events(state().search, db_session(), sorted(event_ids))


def _requested_page() -> int:
    value = request.args.get("page", "1").strip() or "1"
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        abort(400)
    return int(value)


def _page_url(page: int) -> str:
    return url_for("admin_matches.queue", **({"page": page} if page > 1 else {}))


def _back_to_queue() -> str:
    """The queue, at the page the action was sent from."""
    page = request.form.get("page", "")
    return _page_url(int(page)) if page.isdigit() and 1 <= int(page) <= MAX_PAGE \
        else _page_url(1)
