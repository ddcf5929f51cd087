"""E-mail to submitters, sent by SMTP when ``smtp_host`` is set: the secret link of their
proposal, new secret links when they lost theirs, and the one-time link that confirms a trusted
actor's contact address.

Sending never fails the caller: the proposal is already stored and its link shown on the
confirmation page, so a refused or unreachable SMTP server is logged (without the address or
the link) and the function answers False.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from agenda.settings import Settings

log = logging.getLogger(__name__)

TIMEOUT = 15.0
SUBJECT_TITLE_MAX = 80
IMPLICIT_TLS_PORT = 465

TEXTS = {
    "fr": {
        "subject": "Votre proposition «\u00a0{title}\u00a0» ({reference})",
        "body": (
            "Bonjour,\n\n"
            "Nous avons bien reçu votre proposition «\u00a0{title}\u00a0» (référence {reference}).\n\n"
            "Avec ce lien, vous pouvez voir où elle en est (en attente de relecture, publiée ou "
            "refusée), la modifier ou l'annuler\u00a0:\n\n{link}\n\n"
            "Gardez ce lien pour vous\u00a0: toute personne qui le connaît peut modifier votre "
            "proposition.\n\n"
            "Agenda commun\n"
        ),
    },
    "en": {
        "subject": "Your proposal “{title}” ({reference})",
        "body": (
            "Hello,\n\n"
            "We have received your proposal “{title}” (reference {reference}).\n\n"
            "With this link you can see where it stands (waiting for review, published or "
            "refused), change it or cancel it:\n\n{link}\n\n"
            "Keep this link to yourself: anyone who has it can change your proposal.\n\n"
            "Agenda commun\n"
        ),
    },
}


CONFIRMATION_TEXTS = {
    "fr": {
        "subject": "Confirmez la proposition «\u00a0{title}\u00a0» ({reference})",
        "body": (
            "Bonjour,\n\n"
            "Une proposition «\u00a0{title}\u00a0» (référence {reference}) vient d'être envoyée au nom "
            "de «\u00a0{actor}\u00a0» avec cette adresse e-mail.\n\n"
            "Si c'est bien vous, confirmez-la avec ce lien (valable 24 heures, une seule "
            "fois)\u00a0: elle sera publiée aussitôt, et vos prochaines propositions envoyées depuis "
            "le même navigateur le seront sans attendre.\n\n{link}\n\n"
            "Si ce n'est pas vous, ignorez ce message\u00a0: rien ne sera publié sans la relecture "
            "de l'équipe régionale.\n\n"
            "Agenda commun\n"
        ),
    },
    "en": {
        "subject": "Confirm the proposal “{title}” ({reference})",
        "body": (
            "Hello,\n\n"
            "A proposal “{title}” (reference {reference}) has just been sent on behalf of "
            "“{actor}” with this e-mail address.\n\n"
            "If it was you, confirm it with this link (valid for 24 hours, once): it will be "
            "published at once, and your next proposals sent from the same browser will be "
            "published without waiting.\n\n{link}\n\n"
            "If it was not you, ignore this message: nothing will be published without the "
            "regional team's review.\n\n"
            "Agenda commun\n"
        ),
    },
}


LOST_LINK_TEXTS = {
    "fr": {
        "subject": "Vos liens secrets sur Agenda commun",
        "body": (
            "Bonjour,\n\n"
            "Quelqu’un (vous, sans doute) a demandé le lien secret des propositions envoyées "
            "avec cette adresse e-mail. Le voici pour chacune\u00a0; les liens que vous aviez "
            "restent valables.\n\n{items}\n"
            "Gardez ces liens pour vous\u00a0: toute personne qui les connaît peut modifier vos "
            "propositions. Si vous n’avez rien demandé, ignorez ce message.\n\n"
            "Agenda commun\n"
        ),
        "item": "«\u00a0{title}\u00a0» ({reference})\u00a0:\n{link}\n",
    },
    "en": {
        "subject": "Your secret links on Agenda commun",
        "body": (
            "Hello,\n\n"
            "Someone (you, no doubt) asked for the secret link of the proposals sent with this "
            "e-mail address. Here it is for each of them; the links you had still work.\n\n"
            "{items}\n"
            "Keep these links to yourself: anyone who has them can change your proposals. If "
            "you asked for nothing, ignore this message.\n\n"
            "Agenda commun\n"
        ),
        "item": "“{title}” ({reference}):\n{link}\n",
    },
}

def send_secret_link(settings: Settings, *, to: str, reference: str, link: str, title: str,
                     language: str = "fr") -> bool:
    """Send the proposal's secret link to ``to``; True when the SMTP server accepted it."""
    if not settings.smtp_host:
        return False
    try:
        message = secret_link_message(settings, to=to, reference=reference, link=link,
                                      title=title, language=language)
        deliver(settings, message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        # Neither the address nor the link is logged: the error's text could hold them.
        log.warning("the link of proposal %s was not sent by e-mail (%s)", reference,
                    type(error).__name__)
        return False
    log.info("the link of proposal %s was sent by e-mail", reference)
    return True


def send_confirmation_link(settings: Settings, *, to: str, reference: str, link: str,
                           title: str, actor: str, language: str = "fr") -> bool:
    """Send the one-time link that proves ``to`` speaks for the trusted ``actor``; True when the
    SMTP server accepted it (otherwise the proposal simply waits for moderation)."""
    if not settings.smtp_host:
        return False
    try:
        texts = CONFIRMATION_TEXTS.get(language, CONFIRMATION_TEXTS["fr"])
        deliver(settings, _message(settings, texts, to=to, title=title, reference=reference,
                                   link=link, actor=actor))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("the confirmation link of proposal %s was not sent by e-mail (%s)",
                    reference, type(error).__name__)
        return False
    log.info("the confirmation link of proposal %s was sent by e-mail", reference)
    return True


def send_lost_links(settings: Settings, *, to: str, links: list[tuple[str, str, str]],
                    language: str = "fr") -> bool:
    """Send new secret links, (title, reference, link) each, to ``to``; True when the SMTP
    server accepted them."""
    if not settings.smtp_host or not links:
        return False
    texts = LOST_LINK_TEXTS.get(language, LOST_LINK_TEXTS["fr"])
    items = "\n".join(texts["item"].format(title=title, reference=reference, link=link)
                      for title, reference, link in links)
    try:
        deliver(settings, _message(settings, texts, to=to, title="", items=items))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("new secret links were not sent by e-mail (%s)", type(error).__name__)
        return False
    log.info("new secret links of %d proposal(s) were sent by e-mail", len(links))
    return True

def send_notice(settings: Settings, *, to: list[str], subject: str, body: str,
                about: str) -> bool:
    """Send one plain message to every address of ``to`` (the first in To:, the others in Cc:);
    True when the SMTP server accepted it.  ``about`` says what it was, for the log (never the
    addresses)."""
    if not settings.smtp_host or not to:
        return False
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to[0]
    if len(to) > 1:
        message["Cc"] = ", ".join(to[1:])
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.mail_from))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    try:
        deliver(settings, message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("%s was not sent by e-mail (%s)", about, type(error).__name__)
        return False
    log.info("%s was sent by e-mail", about)
    return True


def secret_link_message(settings: Settings, *, to: str, reference: str, link: str, title: str,
                        language: str = "fr") -> EmailMessage:
    """The e-mail, in French unless ``language`` is 'en'."""
    return _message(settings, TEXTS.get(language, TEXTS["fr"]), to=to, title=title,
                    reference=reference, link=link)


def _message(settings: Settings, texts: dict, *, to: str, title: str, **values) -> EmailMessage:
    short = title if len(title) <= SUBJECT_TITLE_MAX else title[:SUBJECT_TITLE_MAX - 1] + "…"
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = texts["subject"].format(title=short, **values)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.mail_from))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(texts["body"].format(title=title, **values))
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Hand ``message`` to the configured SMTP server (TLS as configured, login if a user)."""
    if settings.smtp_port == IMPLICIT_TLS_PORT:
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
    with client as smtp:
        if settings.smtp_starttls and settings.smtp_port != IMPLICIT_TLS_PORT:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def _sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"
