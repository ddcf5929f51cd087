"""E-mail to submitters: the secret link of their proposal, sent by SMTP when ``smtp_host`` is set.

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
        "subject": "Votre proposition « {title} » ({reference})",
        "body": (
            "Bonjour,\n\n"
            "Nous avons bien reçu votre proposition « {title} » (référence {reference}).\n\n"
            "Avec ce lien, vous pouvez voir où elle en est (en attente de relecture, publiée ou "
            "refusée), la modifier ou l'annuler :\n\n{link}\n\n"
            "Gardez ce lien pour vous : toute personne qui le connaît peut modifier votre "
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


def secret_link_message(settings: Settings, *, to: str, reference: str, link: str, title: str,
                        language: str = "fr") -> EmailMessage:
    """The e-mail, in French unless ``language`` is 'en'."""
    texts = TEXTS.get(language, TEXTS["fr"])
    short = title if len(title) <= SUBJECT_TITLE_MAX else title[:SUBJECT_TITLE_MAX - 1] + "…"
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = texts["subject"].format(title=short, reference=reference)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(settings.mail_from))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(texts["body"].format(title=title, reference=reference, link=link))
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
