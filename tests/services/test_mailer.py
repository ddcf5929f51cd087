"""The submitter's e-mail: the secret link sent through a real SMTP conversation (a tiny server
on loopback), in French by default; no SMTP configured or a failing server never raises."""

from __future__ import annotations

import logging
import socket

import pytest

from agenda.services.mailer import send_secret_link
from agenda.settings import load_settings
from tests.services.smtp_sink import SmtpSink

LINK = "https://agenda.example.org/submit/manage/s3cr3t-T0ken"


def mail_settings(tmp_path, **overrides):
    values = {"smtp_host": "127.0.0.1", "smtp_port": 25, "smtp_starttls": False,
              "mail_from": "Agenda commun <ne-pas-repondre@agenda.example.org>"}
    values.update(overrides)
    return load_settings(env={}, instance_path=tmp_path, **values)


def send(settings, **overrides) -> bool:
    values = {"to": "benevole@example.org", "reference": "P-7KQ2M9AB", "link": LINK,
              "title": "Repair café « solidaire »", "language": "fr"}
    values.update(overrides)
    return send_secret_link(settings, **values)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_link_is_sent_in_french_by_default(tmp_path):
    with SmtpSink() as sink:
        assert send(mail_settings(tmp_path, smtp_port=sink.port)) is True
    [received] = sink.messages
    assert received.recipients == ["benevole@example.org"]
    message = received.message
    assert message["To"] == "benevole@example.org"
    assert message["From"] == "Agenda commun <ne-pas-repondre@agenda.example.org>"
    assert message["Subject"] == "Votre proposition «\u00a0Repair café « solidaire »\u00a0» (P-7KQ2M9AB)"
    assert message["Message-ID"].endswith("@agenda.example.org>")
    body = message.get_content()
    assert LINK in body
    assert "Nous avons bien reçu votre proposition" in body


def test_the_link_is_sent_in_english_when_asked(tmp_path):
    with SmtpSink() as sink:
        send(mail_settings(tmp_path, smtp_port=sink.port), language="en")
    message = sink.messages[0].message
    assert message["Subject"].startswith("Your proposal")
    assert "We have received your proposal" in message.get_content()


def test_a_long_title_is_shortened_in_the_subject_only(tmp_path):
    title = "Très long titre " * 20
    with SmtpSink() as sink:
        send(mail_settings(tmp_path, smtp_port=sink.port), title=title)
    message = sink.messages[0].message
    assert len(message["Subject"]) < 120 and "…" in message["Subject"]
    assert title.strip() in " ".join(message.get_content().split())


def test_nothing_is_sent_without_an_smtp_host(tmp_path, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("no SMTP connection expected")

    monkeypatch.setattr("smtplib.SMTP", no_connection)
    assert send(mail_settings(tmp_path, smtp_host="")) is False


@pytest.mark.parametrize("failure", ["unreachable", "recipient refused"])
def test_a_failing_server_is_logged_without_the_address_or_link(tmp_path, caplog, failure):
    caplog.set_level(logging.DEBUG)
    if failure == "unreachable":
        assert send(mail_settings(tmp_path, smtp_port=closed_port())) is False
    else:
        with SmtpSink(refuse_recipients=True) as sink:
            assert send(mail_settings(tmp_path, smtp_port=sink.port)) is False
        assert sink.messages == []
    assert "P-7KQ2M9AB was not sent" in caplog.text
    assert "benevole@example.org" not in caplog.text
    assert "s3cr3t" not in caplog.text
