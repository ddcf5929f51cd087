"""Alerts to a source's owner and the staff: one e-mail when it starts failing, one when it
recovers, never more (one per change of state).

``alert_to_send`` decides, pure: a source failing ``FAILURES_BEFORE_ALERT`` times in a row and
not yet alerted gets a "failing" alert; a source alerted as failing that works again gets a
"recovered" one; nothing else does.  ``notify_state_change`` runs after each collection: it
moves the source's ``alert_state`` first (a compare-and-set, so two processes never both send),
then sends the e-mail, in the instance's language, to the owner's contact and the team's
address, with the problem, what the owner can do, the feed doctor's findings and a link to the
source's staff page.  If no e-mail could be delivered the state goes back, and the next
collection tries again.  It never raises: a collection never fails because of an e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from babel.dates import format_date
from sqlalchemy.orm import Session, sessionmaker

from agenda.collectors.doctor import Diagnosis
from agenda.db import transaction
from agenda.errors import NotFound
from agenda.models import Source
from agenda.services.mailer import send_notice
from agenda.settings import Settings
from agenda.store.source_admin import set_alert_state
from agenda.store.sources import get_source
from agenda.wording import source_errors
from agenda.wording.doctor_sentences import FINDINGS, say_finding
from agenda.wording.language import in_language

log = logging.getLogger(__name__)

FAILURES_BEFORE_ALERT = 3
FAILING, RECOVERED = "failing", "recovered"
TROUBLED = ("error", "broken")
INSTANCE_LANGUAGE = "fr"
ALERTED_SEVERITIES = ("problem", "warning")  # tips wait for the source's page

TEXTS = {
    "fr": {
        FAILING: {
            "subject": "La source «\u00a0{name}\u00a0» n’est plus collectée",
            "intro": "Bonjour,\n\nL’Agenda commun n’a pas pu collecter la source «\u00a0{name}\u00a0» "
                     "({failures}\u00a0tentatives de suite). Les évènements déjà collectés restent "
                     "publiés, mais les nouveaux n’arrivent plus.",
        },
        RECOVERED: {
            "subject": "La source «\u00a0{name}\u00a0» est de nouveau collectée",
            "intro": "Bonjour,\n\nBonne nouvelle\u00a0: la source «\u00a0{name}\u00a0» est de nouveau "
                     "collectée normalement. Il n’y a plus rien à faire.",
        },
        "problem": "Le problème\u00a0: {text}",
        "hint": "Ce que vous pouvez faire\u00a0: {text}",
        "findings": "Ce que le diagnostic de la source a relevé\u00a0:",
        "finding": "- {label}\u00a0: {problem}\n  {fix}",
        "address": "Adresse collectée\u00a0: {url}",
        "link": "La page de la source pour l’équipe\u00a0: {link}",
        "end": "Vous recevez ce message parce que cette adresse est le contact de la source. "
               "Un seul message est envoyé quand elle tombe en panne, et un quand elle "
               "repart.\n\nAgenda commun\n",
    },
    "en": {
        FAILING: {
            "subject": "The source “{name}” is no longer collected",
            "intro": "Hello,\n\nAgenda commun could not collect the source “{name}” ({failures} "
                     "attempts in a row). The events already collected stay published, but new "
                     "ones no longer come in.",
        },
        RECOVERED: {
            "subject": "The source “{name}” is collected again",
            "intro": "Hello,\n\nGood news: the source “{name}” is collected normally again. "
                     "Nothing more to do.",
        },
        "problem": "The problem: {text}",
        "hint": "What you can do: {text}",
        "findings": "What the source's diagnosis found:",
        "finding": "- {label}: {problem}\n  {fix}",
        "address": "Address collected: {url}",
        "link": "The source's page for the team: {link}",
        "end": "You receive this message because this address is the source's contact. One "
               "message is sent when it breaks down, and one when it works again.\n\n"
               "Agenda commun\n",
    },
}


def alert_to_send(*, status: str, consecutive_failures: int,
                  alert_state: str | None) -> str | None:
    """FAILING, RECOVERED or None: what the owner must be told after a collection."""
    if alert_state != FAILING:
        if status in TROUBLED and consecutive_failures >= FAILURES_BEFORE_ALERT:
            return FAILING
        return None
    return RECOVERED if status == "ok" else None


@dataclass(frozen=True)
class Alert:
    """One e-mail: to whom, and what it says."""

    kind: str
    recipients: list[str]
    subject: str
    body: str


def notify_state_change(factory: sessionmaker[Session], settings: Settings, source_id: int, *,
                        now: datetime, language: str = INSTANCE_LANGUAGE) -> str | None:
    """Tell the owner and the staff if the source changed state; returns the alert sent."""
    try:
        return _notify(factory, settings, source_id, language)
    except Exception:  # an alert must never fail the collection that triggered it
        log.exception("source %s: the alert could not be decided or sent", source_id)
        return None


def _notify(factory, settings: Settings, source_id: int, language: str) -> str | None:
    with transaction(factory) as session:
        try:
            source = get_source(session, source_id)
        except NotFound:
            return None
        kind = alert_to_send(status=source.status, consecutive_failures=source.consecutive_failures,
                             alert_state=source.alert_state)
        if kind is None:
            return None
        before = source.alert_state
        if not set_alert_state(session, source_id, expected=before,
                               new=FAILING if kind == FAILING else None):
            return None  # another process is telling them
        alert = build_alert(source, kind, settings, language=language)
    if not alert.recipients or not settings.smtp_host:
        log.info("source %s: %s, no e-mail (no address or no SMTP server)", source_id, kind)
        return kind
    if send_notice(settings, to=alert.recipients, subject=alert.subject, body=alert.body,
                   about=f"the {kind} alert of source {source_id}"):
        return kind
    with transaction(factory) as session:  # not told: the next collection tries again
        set_alert_state(session, source_id, expected=FAILING if kind == FAILING else None,
                        new=before)
    return None


def build_alert(source: Source, kind: str, settings: Settings, *,
                language: str = INSTANCE_LANGUAGE) -> Alert:
    """The e-mail about ``source`` (in ``language``): its subject, body and recipients."""
    texts = TEXTS.get(language, TEXTS[INSTANCE_LANGUAGE])
    said = in_language(language)
    lines = [texts[kind]["intro"].format(name=source.name, failures=source.consecutive_failures)]
    if kind == FAILING:
        problem = source_errors.problem(source, said)
        hint = source_errors.hint(source.last_error_code, source.last_error_params, said)
        lines += [texts["problem"].format(text=problem)] if problem else []
        lines += [texts["hint"].format(text=hint)] if hint else []
        lines += _findings(source, texts, language)
    lines.append(texts["address"].format(url=source.url))
    lines.append(texts["link"].format(link=staff_page_link(settings, source.id)))
    lines.append(texts["end"])
    return Alert(kind=kind, recipients=recipients(source, settings),
                 subject=texts[kind]["subject"].format(name=source.name),
                 body="\n\n".join(lines))


def recipients(source: Source, settings: Settings) -> list[str]:
    """The owner's contact, then the team's address (each once)."""
    found = [a for a in (source.contact_email, settings.team_email) if a]
    return list(dict.fromkeys(found))


def staff_page_link(settings: Settings, source_id: int) -> str:
    return f"{settings.public_url.rstrip('/')}/admin/sources/{source_id}"


def _findings(source: Source, texts: dict, language: str) -> list[str]:
    """The feed doctor's problems and warnings stored on the source, each with its fix."""
    diagnosis = Diagnosis.from_json(source.diagnosis)
    if diagnosis is None:
        return []
    said, day = in_language(language), partial(format_date, format="long", locale=language)
    lines = [texts["finding"].format(label=f.label, problem=f.problem, fix=f.fix)
             for f in (say_finding(finding, said, day) for finding in diagnosis.findings
                       if finding.severity in ALERTED_SEVERITIES and finding.code in FINDINGS)]
    return [texts["findings"] + "\n\n" + "\n".join(lines)] if lines else []
