"""A proposal's fields as the staff read them: labels, values in words, dates, the organiser.

Values come from ``Submission.data`` (see ``agenda.services.proposals``); links are only made of
http(s) URLs and the description is sanitised again before it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import get_locale, gettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Submission
from agenda.services.proposals import sanitize_description
from agenda.store.actors import get_actor
from agenda.store.campaigns import get_campaign
from agenda.web.moderation.compact_dates import compact_when
from agenda.web.public.listing import current_region
from agenda.web.shared.dates import clock_label, date_label, day_label
from agenda.web.shared.i18n import N_, current_language, theme_label
from agenda.web.shared.links import http_url

LABELS = {
    "title": N_("Title"), "all_day": N_("All day"), "start": N_("Start"), "end": N_("End"),
    "recurrence": N_("Repeats"), "until": N_("Until"), "location_name": N_("Place"),
    "address": N_("Address"), "postcode": N_("Postcode"), "city": N_("Town"),
    "online_url": N_("Online link"), "description_html": N_("Description"),
    "themes": N_("Themes"), "actor_id": N_("Organiser"), "new_actor": N_("New organiser"),
    "public_contact": N_("Public contact"), "image_url": N_("Image"),
    "url": N_("More information"), "campaign_id": N_("Campaign"),
    "department": N_("Department"), "territory": N_("Territory"), "status": N_("Status"),
    "structure": N_("Kind of structure"), "kind": N_("Kind"), "approvals": N_("Approvals"),
    "siren": N_("SIREN number"), "siret": N_("SIRET number"), "rna": N_("RNA number"),
    "website": N_("Website"), "public_email": N_("Public contact e-mail"),
    "public_phone": N_("Public phone"),
}
KINDS = {"event": N_("Event"), "initiative": N_("Initiative"), "actor": N_("Organisation")}
STATUSES = {"pending": N_("Waiting for moderation"), "approved": N_("Approved"),
            "rejected": N_("Rejected"), "cancelled": N_("Cancelled by the submitter")}
RECURRENCES = {"": N_("Does not repeat"), "weekly": N_("Every week"),
               "monthly": N_("Every month")}
INITIATIVE_STATUSES = {"project": N_("Project"), "active": N_("Active"), "ended": N_("Ended")}
LINK_FIELDS = ("online_url", "image_url", "url", "website")
DATE_FIELDS = ("start", "end", "until")
EMPTY = "—"
# An image uploaded with the form, served by the app itself (agenda.web.submit's uploads)
UPLOADED_IMAGE = re.compile(r"/images/[A-Za-z0-9_-]{8,64}\.(?:webp|jpe?g|png)")


@dataclass(frozen=True)
class Shown:
    """A value on the page: text, or a link, or (the description) sanitised HTML."""

    text: str
    href: str | None = None
    html: Markup | None = None


def field_label(field: str) -> str:
    return gettext(LABELS[field]) if field in LABELS else field


def label_of(table: dict[str, str], key: str) -> str:
    return gettext(table[key]) if key in table else key


def show_value(session: Session, field: str, value) -> Shown:
    """``value`` of ``field`` in words."""
    if value is None or value == "" or value == [] or value == {}:
        return Shown(gettext(RECURRENCES[""]) if field == "recurrence" else EMPTY)
    if field == "description_html":
        return Shown(EMPTY, html=Markup(sanitize_description(str(value))))
    if field == "image_url":
        return Shown(str(value), href=preview_image_url(str(value)))
    if field in LINK_FIELDS:
        return Shown(str(value), href=http_url(str(value)))
    return Shown(_words(session, field, value))


def _words(session: Session, field: str, value) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if field in DATE_FIELDS:
        return local_date_text(str(value))
    if field == "themes":
        return ", ".join(_theme(slug) for slug in value)
    if field == "new_actor" and isinstance(value, dict):
        return " · ".join(str(value[k]) for k in ("name", "kind", "website") if value.get(k))
    lookups = {"recurrence": lambda: label_of(RECURRENCES, value),
               "status": lambda: label_of(INITIATIVE_STATUSES, value),
               "department": lambda: _department(value),
               "structure": lambda: _structure(value),
               "actor_id": lambda: _named(get_actor, session, value),
               "campaign_id": lambda: _named(get_campaign, session, value)}
    return lookups[field]() if field in lookups else _plain(value)


def _structure(value) -> str:
    from agenda.web.actors.labels import STRUCTURE_LABELS

    return label_of(STRUCTURE_LABELS, value)


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def local_date_text(value: str) -> str:
    """'2026-11-26T18:00' or '2026-11-26' (local wall time) in the page's language."""
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            return get_locale().datetime_formats["medium"].format(
                clock_label(moment.time()), date_label(moment.date(), "medium"))
        return day_label(date.fromisoformat(value))
    except ValueError:
        return value


def _theme(slug: str) -> str:
    theme = current_region().theme(slug)
    return theme_label(theme) if theme else slug


def _department(code: str) -> str:
    department = current_region().department(code)
    return f"{department.name} ({department.code})" if department else code


def _named(getter, session: Session, object_id) -> str:
    try:
        return getter(session, int(object_id)).name
    except (NotFound, TypeError, ValueError):
        return f"#{object_id}"


def when_summary(submission: Submission) -> str:
    """The dates of an event proposal on one line ('' for an initiative)."""
    data = submission.data or {}
    if submission.kind != "event" or not data.get("start"):
        return ""
    start, end = data["start"], data.get("end") or ""
    if not end or end == start:
        return local_date_text(start)
    return f"{local_date_text(start)} – {local_date_text(end)}"


def organiser_name(submission: Submission) -> str:
    """The existing actor's name, or the new one described by the submitter."""
    if submission.actor is not None:
        return submission.actor.name
    new_actor = (submission.data or {}).get("new_actor") or {}
    if new_actor.get("name"):
        return gettext("%(name)s (new)", name=new_actor["name"])
    return EMPTY


def queue_when(submission: Submission) -> str:
    """The dates of an event proposal, short: '13 nov. 2027, 14 h – 18 h' ('' otherwise)."""
    if submission.kind != "event":
        return ""
    return compact_when(submission.data or {}, current_language())


def preview_image_url(value: str | None) -> str | None:
    """Where to load a proposal's image from: an http(s) address, or an image uploaded to this
    site (``/images/...``); None for anything else (javascript:, data:, other paths)."""
    if value and UPLOADED_IMAGE.fullmatch(value.strip()):
        return value.strip()
    return http_url(value)
