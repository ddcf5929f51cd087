"""A source's owner and the staff hear once when it breaks down (3 failures in a row) and once
when it works again: never a flood, never a failed collection because of an e-mail."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from agenda.collectors.fetcher import FetchResult
from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.errors import FetchError
from agenda.services import source_alerts
from agenda.services.source_alerts import FAILING, RECOVERED, alert_to_send, build_alert
from agenda.store.sources import add_source, get_source

DATA = Path(__file__).resolve().parents[1] / "data" / "alerts"
CONTACT = "contact@repar37.example.org"
TEAM = "equipe@agenda-centre.example"
URL = "https://repar37.example.org/agenda.ics"


@pytest.mark.parametrize("status, failures, alerted, expected", [
    ("error", 1, None, None),  # one failure: it often passes
    ("error", 2, None, None),
    ("error", 3, None, FAILING),  # the third in a row: tell them
    ("broken", 8, None, FAILING),  # broken and never told (alerts came later): tell them
    ("error", 4, FAILING, None),  # already told
    ("broken", 9, FAILING, None),
    ("ok", 0, FAILING, RECOVERED),  # works again after an alert
    ("ok", 0, None, None),  # works, nobody was told it failed
    ("never", 0, FAILING, None),  # errors reset by the staff: nothing to say yet
    ("never", 0, None, None),
])
def test_the_alert_decision(status, failures, alerted, expected):
    assert alert_to_send(status=status, consecutive_failures=failures,
                         alert_state=alerted) == expected


def failing_fetch(url, **_):
    raise FetchError("The server answered HTTP 404 (Not Found).", code="fetch.http_status",
                     status=404, reason="Not Found")


def working_fetch(url, **_):
    return FetchResult(url=url, status=200, body=(DATA / "calendar_that_works_again.ics")
                       .read_bytes(), content_type="text/calendar", etag=None,
                       last_modified=None)


@pytest.fixture
def mail_settings(settings, sink):
    return settings.with_overrides(smtp_host="127.0.0.1", smtp_port=sink.port,
                                   smtp_starttls=False, team_email=TEAM,
                                   public_url="https://agenda-centre.example")


@pytest.fixture
def source_id(factory, now):
    with transaction(factory) as session:
        source = add_source(session, name="Agenda de Répar'37", url=URL, actor_name="Répar'37",
                            now=now)
        source.contact_email = CONTACT
        return source.id


def collect(factory, settings, source_id, now, times: int, fetch_func, start: int = 0):
    for n in range(start, start + times):
        refresh_source(factory, source_id, now=now + timedelta(hours=n), settings=settings,
                       fetch_func=fetch_func)


def test_three_failures_send_one_mail_to_the_contact_and_the_team(factory, mail_settings, sink,
                                                                  source_id, now):
    collect(factory, mail_settings, source_id, now, 2, failing_fetch)
    assert sink.messages == []
    collect(factory, mail_settings, source_id, now, 1, failing_fetch, start=2)
    assert len(sink.messages) == 1
    received = sink.messages[0]
    assert sorted(received.recipients) == sorted([CONTACT, TEAM])
    message = received.message
    assert message["Subject"] == "La source «\u00a0Agenda de Répar'37\u00a0» n’est plus collectée"
    body = message.get_content()
    assert "(3\u00a0tentatives de suite)" in body
    assert "Le serveur a répondu HTTP 404" in body  # the problem, in French
    assert "vérifiez le lien du flux sur votre site" in body  # and the fix
    assert f"https://agenda-centre.example/admin/sources/{source_id}" in body
    with transaction(factory) as session:
        assert get_source(session, source_id).alert_state == FAILING


def test_a_fourth_failure_sends_nothing_more(factory, mail_settings, sink, source_id, now):
    collect(factory, mail_settings, source_id, now, 5, failing_fetch)
    assert len(sink.messages) == 1


def test_recovery_sends_one_mail_and_only_one(factory, mail_settings, sink, source_id, now):
    collect(factory, mail_settings, source_id, now, 3, failing_fetch)
    collect(factory, mail_settings, source_id, now, 2, working_fetch, start=3)
    assert len(sink.messages) == 2
    recovered = sink.messages[1].message
    assert recovered["Subject"] == ("La source «\u00a0Agenda de Répar'37\u00a0» est de nouveau "
                                    "collectée")
    assert "Le problème" not in recovered.get_content()
    with transaction(factory) as session:
        assert get_source(session, source_id).alert_state is None
    collect(factory, mail_settings, source_id, now, 3, failing_fetch, start=5)
    assert len(sink.messages) == 3  # a new breakdown is a new change of state


def test_a_source_without_contact_alerts_the_staff_only(factory, mail_settings, sink,
                                                        source_id, now):
    with transaction(factory) as session:
        get_source(session, source_id).contact_email = None
    collect(factory, mail_settings, source_id, now, 3, failing_fetch)
    assert [m.recipients for m in sink.messages] == [[TEAM]]


def test_a_refused_mail_never_fails_the_collection_and_is_tried_again(
        factory, mail_settings, sink, source_id, now):
    sink.refuse_recipients = True
    collect(factory, mail_settings, source_id, now, 3, failing_fetch)
    with transaction(factory) as session:
        source = get_source(session, source_id)
        assert (source.consecutive_failures, source.alert_state) == (3, None)
    sink.refuse_recipients = False
    collect(factory, mail_settings, source_id, now, 1, failing_fetch, start=3)
    assert len(sink.messages) == 1 and "(4\u00a0tentatives" in sink.messages[0].message.get_content()


def test_an_error_while_alerting_never_fails_the_collection(factory, mail_settings, source_id,
                                                            now, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the alert")

    monkeypatch.setattr(source_alerts, "build_alert", broken)
    collect(factory, mail_settings, source_id, now, 2, failing_fetch)
    outcome = refresh_source(factory, source_id, now=now + timedelta(hours=3),
                             settings=mail_settings, fetch_func=working_fetch)
    assert outcome.outcome == "ok"


def test_the_mail_says_what_the_diagnosis_found(factory, mail_settings, source_id, now):
    """Its problems and warnings, each with its fix; tips and unknown codes are left out."""
    with transaction(factory) as session:
        source = get_source(session, source_id)
        source.consecutive_failures, source.status = 3, "error"
        source.diagnosis = {"format": "ics", "events": 10, "findings": [
            {"code": "doctor.floating_times", "severity": "warning",
             "params": {"count": 3, "total": 10, "zone": "Europe/Paris"}},
            {"code": "doctor.no_cache_headers", "severity": "tip", "params": {}},
            {"code": "doctor.not_known_yet", "severity": "problem", "params": {}}]}
        english = build_alert(source, FAILING, mail_settings, language="en").body
        french = build_alert(source, FAILING, mail_settings).body
    assert ("What the source's diagnosis found:\n\n- Warning: Events whose times have no time "
            "zone: 3 of 10. They are read in the Europe/Paris time zone.\n  In your calendar "
            "software, choose the Europe/Paris time zone") in english
    assert "cache" not in english and "not_known_yet" not in english
    assert "Ce que le diagnostic de la source a relevé\u00a0:" in french
