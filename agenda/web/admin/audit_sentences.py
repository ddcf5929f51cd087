"""Audit entries as sentences in the page's language: "Claire a approuvé la proposition
« Repair café »", "Claire a exclu l’évènement « X » de la campagne « Mois de l’ESS 2026 »".

Each action written by ``add_audit`` anywhere in ``agenda/`` has a sentence here (a test walks
the code for them); an unknown action still reads as a sentence naming it.  Who did it: a staff
account by the name its address suggests (claire.martin@… -> Claire Martin), submitters and
confirmed addresses in words, never by their address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from agenda.models import AuditEntry
from agenda.web.admin.match_audit import match_event_link
from agenda.web.shared.i18n import N_, content_lang

SENTENCES = {
    "submit": N_("%(who)s sent the proposal “%(title)s”"),
    "edit_by_submitter": N_("%(who)s changed the proposal “%(title)s”"),
    "cancel_by_submitter": N_("%(who)s cancelled the proposal “%(title)s”"),
    "approve": N_("%(who)s approved the proposal “%(title)s”"),
    "edit": N_("%(who)s edited the proposal “%(title)s”"),
    "reject": N_("%(who)s rejected the proposal “%(title)s”"),
    "reject_changes": N_("%(who)s refused the changes to the proposal “%(title)s”"),
    "publish_trusted": N_("%(who)s published the proposal “%(title)s” of %(actor)s, a trusted "
                          "actor, at once"),
    "address_confirm": N_("%(who)s confirmed the proposal “%(title)s” of %(actor)s"),
    "campaign_create": N_("%(who)s created the campaign “%(campaign)s”"),
    "campaign_update": N_("%(who)s changed the campaign “%(campaign)s”"),
    "campaign_include": N_("%(who)s added the event “%(event)s” to the campaign "
                           "“%(campaign)s”"),
    "campaign_exclude": N_("%(who)s excluded the event “%(event)s” from the campaign "
                           "“%(campaign)s”"),
    "campaign_unpick_included": N_("%(who)s took back the event “%(event)s”, added by hand to "
                                   "the campaign “%(campaign)s”: its rules decide again"),
    "campaign_unpick_excluded": N_("%(who)s took back the exclusion of the event “%(event)s” "
                                   "from the campaign “%(campaign)s”: its rules decide again"),
    "lost_link": N_("%(who)s was sent a new secret link to the proposal “%(title)s”"),
    "actor_trust": N_("%(who)s trusted %(actor)s"),
    "actor_distrust": N_("%(who)s stopped trusting %(actor)s"),
    "actor_create": N_("%(who)s added the actor %(actor)s"),
    "actor_edit": N_("%(who)s changed the actor %(actor)s"),
    "actor_confirm": N_("%(who)s confirmed the actor %(actor)s"),
    "actor_remove": N_("%(who)s removed the actor %(actor)s from the directory"),
    "actor_link": N_("%(who)s linked the actors %(actor)s and %(other)s"),
    "actor_link_member": N_("%(who)s recorded %(actor)s as a member of the network %(other)s"),
    "actor_link_partner": N_("%(who)s recorded %(actor)s and %(other)s as partners"),
    "actor_unlink": N_("%(who)s unlinked the actors %(actor)s and %(other)s"),
    "actor_unlink_member": N_("%(who)s recorded that %(actor)s is no longer a member of the "
                              "network %(other)s"),
    "actor_unlink_partner": N_("%(who)s recorded that %(actor)s and %(other)s are no longer "
                               "partners"),
    "event_actor_link": N_("%(who)s recorded that %(actor)s organises the event “%(event)s”"),
    "event_actor_unlink": N_("%(who)s recorded that %(actor)s does not organise the event "
                             "“%(event)s”"),
    "event_initiative_link": N_("%(who)s added the event “%(event)s” to the initiative "
                                "“%(initiative)s”"),
    "event_initiative_unlink": N_("%(who)s took the event “%(event)s” out of the initiative "
                                  "“%(initiative)s”"),
    "initiative_actor_add": N_("%(who)s added %(actor)s to the actors of the initiative "
                               "“%(initiative)s”"),
    "initiative_actor_remove": N_("%(who)s took %(actor)s out of the actors of the initiative "
                                  "“%(initiative)s”"),
    "user_add": N_("%(who)s created the account %(email)s (%(role)s)"),
    "sessions_end": N_("%(who)s signed %(email)s out everywhere"),
    "sessions_end_own": N_("%(who)s signed out everywhere"),
    "source_add": N_("%(who)s added the source “%(source)s”"),
    "source_edit": N_("%(who)s changed the source “%(source)s”"),
    "source_collect": N_("%(who)s collected the source “%(source)s” by hand"),
    "source_pause": N_("%(who)s paused the source “%(source)s”"),
    "source_resume": N_("%(who)s resumed the source “%(source)s”"),
    "source_reset": N_("%(who)s reset the errors of the source “%(source)s”"),
    "spreadsheet_import": N_("%(who)s imported a spreadsheet of events"),
    "directory_import": N_("%(who)s imported a directory of actors or initiatives"),
    "match_confirm": N_("%(who)s confirmed that two announcements are the same event: "
                        "%(first)s and %(second)s"),
    "match_refuse": N_("%(who)s said that two announcements are not the same event: "
                       "%(first)s and %(second)s"),
    "match_split": N_("%(who)s split the announcement %(first)s from the event %(second)s"),
}
UNKNOWN = N_("%(who)s: “%(action)s”")
WHO = {"submitter": N_("The submitter"), "system": N_("The system"),
       "command line": N_("The command line")}
CONFIRMED_ADDRESS = N_("A confirmed contact address")
ROLES = {"staff": N_("staff"), "admin": N_("administrator")}
NO_TITLE = "—"


@dataclass(frozen=True)
class Subject:
    """What an entry is about, found by the caller: the proposal's title and id, the
    campaign's name, when there are."""

    title: str | None = None
    submission_id: int | None = None
    campaign: str | None = None


def audit_sentence(entry: AuditEntry, subject: Subject) -> Markup:
    """The entry as one sentence (safe HTML: the proposal's title is a link to it)."""
    detail = entry.detail or {}
    key = sentence_key(entry.action, detail, entry.who)
    role = str(detail.get("role") or "")
    values = {"who": person(entry.who), "title": _proposal(subject),
              "actor": detail.get("actor") or NO_TITLE,
              "other": detail.get("other") or NO_TITLE, "campaign": subject.campaign or campaign_name(detail),
              "event": _event(detail), "email": detail.get("email") or NO_TITLE,
              "role": gettext(ROLES[role]) if role in ROLES else role,
              "action": entry.action.replace("_", " ").replace(".", " "),
              "source": _source(detail), "first": match_event_link(detail.get("first")),
              "second": match_event_link(detail.get("second")),
              "initiative": _initiative(detail)}
    template = SENTENCES[key] if key else UNKNOWN
    return Markup(escape(gettext(template))) % values


def sentence_key(action: str, detail: dict, who: str) -> str | None:
    """Which sentence says ``action`` (some actions read differently by their detail)."""
    if action == "reject" and detail.get("refused_changes") is not None:
        return "reject_changes"
    if action == "actor_trust" and not detail.get("trusted", False):
        return "actor_distrust"
    if action == "sessions_end" and detail.get("email") == who:
        return "sessions_end_own"
    if action in ("actor_link", "actor_unlink") and detail.get("relation") in ("member",
                                                                               "partner"):
        action = f"{action}_{detail['relation']}"
    if action == "campaign_unpick":
        action = f"campaign_unpick_{detail.get('was')}"
    return action if action in SENTENCES else None


def person(who: str) -> Markup | str:
    """Who did it, as people say it: a name for a staff account (its address on hover)."""
    if who in WHO:
        return gettext(WHO[who])
    if who.startswith("address "):
        return gettext(CONFIRMED_ADDRESS)
    if "@" not in who:
        return who
    words = [w for w in re.split(r"[._+-]+", who.split("@", 1)[0]) if w and not w.isdigit()]
    name = " ".join(w[:1].upper() + w[1:] for w in words) or who
    return Markup('<span class="audit-who" title="{}">{}</span>').format(who, name)


def campaign_name(detail: dict) -> str:
    """The campaign's name as the entry recorded it (the new name when it changed)."""
    for key in ("campaign_name", "name", "campaign", "slug"):
        value = detail.get(key)
        if isinstance(value, list) and value:
            value = value[-1]
        if isinstance(value, str) and value:
            return value
    return NO_TITLE


def _event(detail: dict) -> Markup | str:
    """The event's title as recorded, a link to its page."""
    title = next((detail[key] for key in ("event_title", "title", "event")
                  if isinstance(detail.get(key), str) and detail[key]), NO_TITLE)
    if not isinstance(detail.get("event_id"), str):
        return title
    href = url_for("public.event", event_id=detail["event_id"])
    return Markup('<a href="{}"{}>{}</a>').format(href, content_lang(), title)


def _initiative(detail: dict) -> Markup | str:
    """The initiative's title as recorded, a link to its page."""
    title = detail.get("initiative") if isinstance(detail.get("initiative"), str) else NO_TITLE
    if not isinstance(detail.get("initiative_id"), str):
        return title
    href = url_for("initiatives.initiative", initiative_id=detail["initiative_id"])
    return Markup('<a href="{}"{}>{}</a>').format(href, content_lang(), title)


def _source(detail: dict) -> Markup | str:
    """The source's name as recorded, a link to its staff page."""
    name = detail.get("source") if isinstance(detail.get("source"), str) else NO_TITLE
    if not isinstance(detail.get("source_id"), int):
        return name
    href = url_for("admin.source", source_id=detail["source_id"])
    return Markup('<a href="{}"{}>{}</a>').format(href, content_lang(), name)


def _proposal(subject: Subject) -> Markup | str:
    if not subject.title:
        return NO_TITLE
    if subject.submission_id is None:
        return subject.title
    href = url_for("moderation.proposal", submission_id=subject.submission_id)
    return Markup('<a href="{}"{}>{}</a>').format(href, content_lang(), subject.title)
