"""The secret link by e-mail after a proposal (on the site's public address), in the
visitor's language; a failing SMTP server never loses the proposal."""

from __future__ import annotations

import socket

from tests.services.smtp_sink import SmtpSink
from tests.web.submitting import EVENT_FORM, make_app, post_form, secret_path, stored


def test_the_link_is_e_mailed_to_the_submitter(settings, engine, factory, monkeypatch):
    with SmtpSink() as sink:
        app = make_app(settings, monkeypatch, smtp_host="127.0.0.1", smtp_port=sink.port,
                       smtp_starttls=False, public_url="https://agenda.example.org")
        client = app.test_client()
        assert post_form(client, "/submit?lang=en", EVENT_FORM).status_code == 302
    confirmation = client.get("/submit/received").get_data(as_text=True)
    assert "We have also sent it by e-mail to the address you gave." in confirmation
    assert "No e-mail was sent" not in confirmation
    [received] = sink.messages
    assert received.recipients == ["benevole@example.org"]
    body = received.message.get_content()
    link = "https://agenda.example.org" + secret_path(confirmation)
    assert link in body  # the site's public address, whatever the request's Host
    assert "We have received your proposal “Repair café solidaire”" in body
    assert stored(factory)[0].reference in received.message["Subject"]


def test_a_failing_smtp_server_does_not_lose_the_proposal(settings, engine, factory,
                                                          monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the probe is: connections are refused
    app = make_app(settings, monkeypatch, smtp_host="127.0.0.1", smtp_port=port,
                   smtp_starttls=False)
    client = app.test_client()
    assert post_form(client, "/submit?lang=en", EVENT_FORM).status_code == 302
    confirmation = client.get("/submit/received").get_data(as_text=True)
    assert "/submit/manage/" in confirmation
    assert "We have also sent it" not in confirmation
    assert "The e-mail could not be sent: copy this link now." in confirmation
    assert stored(factory)[0].status == "pending"
