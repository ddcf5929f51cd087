"""What the staff pages show: the audit log as readable rows, and the page functions they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import AuditEntry
from agenda.store.campaigns import get_campaign
from agenda.store.submissions import get_submission
from agenda.web.admin.audit_details import audit_details
from agenda.web.admin.audit_sentences import Subject, audit_sentence
from agenda.web.shared.dates import stamp_label
from agenda.web.shared.i18n import N_


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    sentence: Markup
    reason: str | None
    details: list[str]


def audit_rows(session: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    """The entries as the audit tables show them: a sentence each, with its reason and details."""
    titles = _titles(session, {e.submission_id for e in entries if e.submission_id})
    names = _campaign_names(session, {(e.detail or {}).get("campaign_id") for e in entries})
    return [AuditRow(at=e.at, sentence=audit_sentence(e, Subject(
                         titles.get(e.submission_id), e.submission_id if e.submission_id in titles
                         else None, names.get((e.detail or {}).get("campaign_id")))),
                     reason=(e.detail or {}).get("reason"), details=audit_details(e))
            for e in entries]


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    found = {}
    for submission_id in ids:
        try:
            submission = get_submission(session, submission_id)
        except NotFound:  # removed since: the entry keeps its id only
            continue
        found[submission_id] = (submission.data or {}).get("title") or submission.reference
    return found


def _campaign_names(session: Session, ids: set) -> dict[int, str]:
    found = {}
    for campaign_id in ids:
        try:
            found[campaign_id] = get_campaign(session, int(campaign_id)).name
        except (NotFound, TypeError, ValueError):
            continue
    return found


def staff_page_functions() -> dict:
    """What the staff templates call (on top of the public pages' functions)."""
    return {"instant": instant, "staff_nav": staff_nav}


def instant(moment: datetime | None) -> str:
    """An instant in the region's zone: '21 novembre 2026, 10 h' / 'Nov 21, 2026, 10:00 AM'."""
    return stamp_label(moment)


def staff_nav() -> list[tuple[str, str, str]]:
    """The staff menu: (endpoint, url, label), the pages another part may not provide left out."""
    items = [("admin.dashboard", N_("Dashboard")), ("moderation.queue", N_("Moderation queue")),
             ("admin.sources", N_("Sources")), ("admin_matches.queue", N_("Duplicates")),
             ("admin_actors.actors", N_("Actors")),
             ("campaign_admin.index", N_("Campaigns")),
             ("directory_import.upload", N_("Import a directory")),
             ("territory.overview", N_("Territory")),
             ("admin.audit", N_("Audit log"))]
    return [(endpoint, url_for(endpoint), gettext(label)) for endpoint, label in items
            if endpoint in current_app.view_functions]
