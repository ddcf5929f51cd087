"""What the staff pages show: the audit log as readable rows, and the page functions they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import format_datetime, gettext
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import AuditEntry
from agenda.store.submissions import get_submission
from agenda.web.moderation.display import field_label
from agenda.web.shared.i18n import N_

ACTIONS = {
    "submit": N_("Proposal sent"),
    "edit_by_submitter": N_("Edited by the submitter"),
    "cancel_by_submitter": N_("Cancelled by the submitter"),
    "approve": N_("Approved"),
    "edit": N_("Edited by staff"),
    "reject": N_("Rejected"),
    "publish_trusted": N_("Published at once (trusted actor)"),
    "address_confirm": N_("Contact address confirmed"),
    "campaign_create": N_("Campaign created"),
    "campaign_update": N_("Campaign changed"),
    "actor_trust": N_("Actor trust changed"),
    "user_add": N_("Account created"),
    "sessions_end": N_("Signed out everywhere"),
}
WHO = {"submitter": N_("the submitter"), "system": N_("the system"),
       "command line": N_("the command line")}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    who: str
    action: str
    submission_id: int | None
    reference: str | None
    reason: str | None
    details: list[str]


def audit_rows(session: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    references = _references(session, {e.submission_id for e in entries if e.submission_id})
    return [AuditRow(at=e.at, who=gettext(WHO[e.who]) if e.who in WHO else e.who,
                     action=gettext(ACTIONS[e.action]) if e.action in ACTIONS else e.action,
                     submission_id=e.submission_id, reference=references.get(e.submission_id),
                     reason=(e.detail or {}).get("reason"), details=audit_details(e))
            for e in entries]


PROOFS = {"link": N_("its contact address confirmed it by the e-mailed link"),
          "remembered": N_("from a contact address and browser already confirmed")}


def _proof_details(detail: dict) -> list[str]:
    """How a trusted publication was proved, and what revoking a trust forgot."""
    lines = []
    if detail.get("proof") in PROOFS:
        lines.append(gettext(PROOFS[detail.pop("proof")]))
    if "forgotten_confirmations" in detail:
        lines.append(gettext("Confirmed addresses forgotten: %(count)s",
                             count=detail.pop("forgotten_confirmations")))
    return lines


def audit_details(entry: AuditEntry) -> list[str]:
    """The entry's detail in words: changed fields, the actor trusted, the account created..."""
    detail = dict(entry.detail or {})
    detail.pop("reason", None)
    lines = []
    if "changed" in detail:
        fields = detail.pop("changed") or []
        lines.append(gettext("Changed: %(fields)s", fields=", ".join(map(field_label, fields)))
                     if fields else gettext("Nothing changed"))
    if "refused_changes" in detail:
        fields = [c.get("field", "") for c in detail.pop("refused_changes") or []]
        lines.append(gettext("Changes refused: %(fields)s",
                             fields=", ".join(map(field_label, fields))))
    if entry.action == "actor_trust" and "actor" in detail:
        name = detail.pop("actor")
        lines.append(gettext("Trusted: %(name)s", name=name) if detail.pop("trusted", False)
                     else gettext("No longer trusted: %(name)s", name=name))
    if "actor" in detail:
        lines.append(gettext("Actor: %(name)s", name=detail.pop("actor")))
    lines += _proof_details(detail)
    lines += [f"{key}: {_plain(value)}" for key, value in sorted(detail.items())]
    return lines


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _references(session: Session, ids: set[int]) -> dict[int, str]:
    found = {}
    for submission_id in ids:
        try:
            found[submission_id] = get_submission(session, submission_id).reference
        except NotFound:  # removed since: the entry keeps its id only
            continue
    return found


def staff_page_functions() -> dict:
    """What the staff templates call (on top of the public pages' functions)."""
    return {"instant": instant, "staff_nav": staff_nav}


def instant(moment: datetime | None) -> str:
    """An instant in the region's zone: '21/11/2026 10:00'."""
    return format_datetime(moment, "short") if moment else "—"


def staff_nav() -> list[tuple[str, str, str]]:
    """The staff menu: (endpoint, url, label), the pages another part may not provide left out."""
    items = [("admin.dashboard", N_("Dashboard")), ("moderation.queue", N_("Moderation queue")),
             ("admin.actors", N_("Actors")), ("campaign_admin.index", N_("Campaigns")),
             ("admin.audit", N_("Audit log"))]
    return [(endpoint, url_for(endpoint), gettext(label)) for endpoint, label in items
            if endpoint in current_app.view_functions]
