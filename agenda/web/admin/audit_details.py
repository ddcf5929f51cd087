"""What an audit entry adds to its sentence, in words: the fields changed, how a trusted
publication was proved, a campaign's old and new values.  What the sentence already says (the
actor, the account, the campaign's name) is not repeated; an unknown detail is shown as it is."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from agenda.models import AuditEntry
from agenda.web.moderation.display import field_label
from agenda.web.shared.dates import date_label
from agenda.web.shared.i18n import N_

PROOFS = {"link": N_("its contact address confirmed it by the e-mailed link"),
          "remembered": N_("from a contact address and browser already confirmed")}
CAMPAIGN_FIELDS = {"slug": N_("Web address"), "name": N_("Name"), "starts_on": N_("Start"),
                   "ends_on": N_("End"), "description": N_("Description")}
SOURCE_FIELDS = {"name": N_("Name"), "owner": N_("Owner"),
                 "contact_email": N_("Contact e-mail address"),
                 "interval_minutes": N_("Minutes between two collections"),
                 "api_key": N_("API key"), "priority": N_("Priority")}
# Said by the sentence, or ids the reader has no use for
# The counts of a spreadsheet import, in words
IMPORT_FIELDS = {"file": N_("File"), "lines": N_("Lines read"), "new": N_("New events"),
                 "updated": N_("Changed events"), "unchanged": N_("Unchanged events"),
                 "removed": N_("Removed events"), "refused": N_("Lines refused")}
SAID = ("reason", "actor", "trusted", "email", "role", "campaign_id", "campaign_name",
        "campaign", "event_id", "event_title", "title", "submission_id", "was", "source",
        "source_id", "first", "second", "actor_id", "other", "other_id", "relation")


def audit_details(entry: AuditEntry) -> list[str]:
    """The entry's detail in words, one line each."""
    detail = dict(entry.detail or {})
    lines = _changed_lines(entry.action, detail) + _proof_lines(detail)
    if entry.action.startswith("campaign"):
        lines += _campaign_lines(detail)
    if entry.action == "spreadsheet_import":
        lines += _import_lines(detail)
    for key in SAID:
        detail.pop(key, None)
    return lines + [f"{key.replace('_', ' ').capitalize()}{gettext(':')} {_plain(value)}"
                    for key, value in sorted(detail.items())]


def _changed_lines(action: str, detail: dict) -> list[str]:
    lines = []
    if "changed" in detail and not action.startswith("campaign"):
        fields = detail.pop("changed") or []
        label = (_source_field if action.startswith("source") else
                 _actor_field if action.startswith("actor") else field_label)
        lines.append(gettext("Changed: %(fields)s", fields=", ".join(map(label, fields)))
                     if fields else gettext("Nothing changed"))
    if "refused_changes" in detail:
        fields = [c.get("field", "") for c in detail.pop("refused_changes") or []]
        lines.append(gettext("Changes refused: %(fields)s",
                             fields=", ".join(map(field_label, fields))))
    return lines


def _actor_field(field: str) -> str:
    from agenda.web.actors.labels import ACTOR_FIELDS  # the actors' part may change its labels

    return gettext(ACTOR_FIELDS[field]) if field in ACTOR_FIELDS else field


def _source_field(field: str) -> str:
    return gettext(SOURCE_FIELDS[field]) if field in SOURCE_FIELDS else field


def _proof_lines(detail: dict) -> list[str]:
    """How a trusted publication was proved, and what revoking a trust forgot."""
    lines = []
    if detail.get("proof") in PROOFS:
        lines.append(gettext(PROOFS[detail.pop("proof")]))
    if "forgotten_confirmations" in detail:
        lines.append(gettext("Confirmed addresses forgotten: %(count)s",
                             count=detail.pop("forgotten_confirmations")))
    return lines


def _campaign_lines(detail: dict) -> list[str]:
    """A changed campaign: each value changed, 'before → after'; a new one: its dates."""
    changed = detail.pop("changed", None)
    if changed is None:
        first, last = detail.pop("starts_on", None), detail.pop("ends_on", None)
        for key in ("slug", "name", "description"):
            detail.pop(key, None)
        return [gettext("Dates: %(first)s – %(last)s", first=_day(first), last=_day(last))] \
            if first and last else []
    lines = []
    for key in changed:
        value = detail.pop(key, None)
        label = gettext(CAMPAIGN_FIELDS[key]) if key in CAMPAIGN_FIELDS else key
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}{gettext(':')} {_value(key, value[0])} → {_value(key, value[1])}")
        else:
            lines.append(label)
    return lines


def _import_lines(detail: dict) -> list[str]:
    return [f"{gettext(label)}{gettext(':')} {_plain(detail.pop(key))}"
            for key, label in IMPORT_FIELDS.items() if key in detail]


def _value(key: str, value) -> str:
    if key in ("starts_on", "ends_on"):
        return _day(value)
    return str(value) if value not in (None, "") else "—"


def _day(value) -> str:
    try:
        return date_label(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
