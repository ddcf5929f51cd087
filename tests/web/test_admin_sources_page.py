"""The staff sources page: every source with its state in words, and what the staff do to one
(change it, collect it now, pause, resume, reset its errors), each written in the audit log;
the API key never appears in a page nor in the log; staff only, CSRF enforced."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from agenda.db import transaction
from agenda.models import AuditEntry, Source
from agenda.store.runs import add_run
from agenda.store.sources import add_source, get_source, record_failure, record_success
from tests.web.pages import NOW
from tests.web.staff import accounts, csrf_token, form_values, post, sign_in

__all__ = ["accounts"]

ALERTS = Path(__file__).resolve().parents[1] / "data" / "alerts"
SECRET_KEY = "oa-SECRET-7f3a9c1e55"
NOT_FOUND = {"status": 404, "reason": "Not Found"}
REPAR = "Agenda de Répar'37"


@pytest.fixture
def sources(factory) -> dict[str, int]:
    """A working calendar, one failing 3 times in a row, one paused, the form's source."""
    with transaction(factory) as session:
        made = {name: add_source(session, name=name, url=f"https://{slug}.example.org/agenda.ics",
                                 kind=kind, actor_name=actor, now=NOW - timedelta(days=9))
                for name, slug, kind, actor in (
                    ("Tiers-lieu", "tiers", "ics", "La Fabrique"),
                    ("Agenda de Répar'37", "repar", "feed", "Répar'37"),
                    ("Ancien flux", "ancien", "ics", None),
                    ("Propositions", "form", "form", None))}
        working, failing = made["Tiers-lieu"], made["Agenda de Répar'37"]
        record_success(session, working, now=NOW - timedelta(hours=2),
                       next_run_at=NOW + timedelta(hours=1), validators=None, parsed=True)
        add_run(session, source_id=working.id, started_at=NOW - timedelta(hours=2),
                finished_at=NOW - timedelta(hours=2), outcome="ok", new=4)
        for n in range(3):
            add_run(session, source_id=failing.id, started_at=NOW - timedelta(hours=3 - n),
                    finished_at=NOW - timedelta(hours=3 - n), outcome="error",
                    error_code="fetch.http_status", error_params=NOT_FOUND,
                    error_message="The server answered HTTP 404 (Not Found).")
        record_failure(session, failing, now=NOW - timedelta(hours=1), code="fetch.http_status",
                       params=NOT_FOUND, message="The server answered HTTP 404 (Not Found).",
                       failures=3, status="error", next_run_at=NOW + timedelta(hours=4))
        failing.alert_state = "failing"
        failing.api_key = SECRET_KEY
        failing.contact_email = "contact@repar37.example.org"
        made["Ancien flux"].enabled = False
        return {name: source.id for name, source in made.items()}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True).replace("\u202f", " ").replace("\xa0", " ")


def rows(html: str) -> dict[str, str]:
    """Each source's row of the list, as text, by name."""
    found = {}
    for row in re.findall(r'<tr id="source-\d+">(.*?)</tr>', html, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        name = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', row).group(1)
        found[name.replace("&#39;", "'")] = text.replace("&#39;", "'")
    return found


def audit_actions(factory) -> list[tuple[str, dict]]:
    """The audit entries about sources (creating the accounts writes some too)."""
    with transaction(factory) as session:
        return [(e.action, e.detail) for e in session.query(AuditEntry).order_by(AuditEntry.id)
                if e.action.startswith("source")]


def test_the_list_says_each_source_in_words(client, accounts, sources):
    sign_in(client)
    listed = rows(page(client, "/admin/sources?lang=en"))
    assert list(listed) == ["Agenda de Répar'37", "Ancien flux", "Propositions", "Tiers-lieu"]
    assert listed["Tiers-lieu"] == ("Tiers-lieu working iCalendar file La Fabrique "
                                    "Nov 21, 2026, 8:00 AM Nov 21, 2026, 11:00 AM 0 succeeded")
    failing = listed["Agenda de Répar'37"]
    assert failing.startswith("Agenda de Répar'37 in error owner told RSS or Atom feed Répar'37 "
                              "never The server answered HTTP 404 (Not Found).")
    assert failing.endswith("failed failed failed")
    assert "paused" in listed["Ancien flux"] and "not collected" in listed["Propositions"]


def test_an_auto_source_says_what_it_was_found_to_be(client, accounts, sources, factory):
    with transaction(factory) as session:
        source = session.get(Source, sources["Ancien flux"])
        source.kind = "auto"
        source.detected_format = "jsonld"
    sign_in(client)
    assert "web pages with schema.org events (detected)" in rows(
        page(client, "/admin/sources?lang=en"))["Ancien flux"]
    assert "pages web avec des évènements schema.org (détecté)" in page(
        client, f"/admin/sources/{sources['Ancien flux']}?lang=fr")


def test_the_list_in_french_and_filtered_by_state(client, accounts, sources):
    sign_in(client)
    listed = rows(page(client, "/admin/sources?state=error&lang=fr"))
    assert list(listed) == ["Agenda de Répar'37"]
    assert "Le serveur a répondu HTTP 404" in listed["Agenda de Répar'37"]
    assert list(rows(page(client, "/admin/sources?state=paused"))) == ["Ancien flux"]


def test_the_sources_are_in_the_staff_menu(client, accounts, sources):
    sign_in(client)
    assert '<a href="/admin/sources">Sources</a>' in page(client, "/admin/?lang=en")


def test_pause_then_resume(client, accounts, sources, factory):
    sign_in(client)
    source_id = sources["Tiers-lieu"]
    path = f"/admin/sources/{source_id}"
    response = post(client, f"{path}/pause?lang=en", token_from=path)
    assert response.status_code == 302
    shown = page(client, path + "?lang=en")
    assert "The source is paused" in shown and "never: the source is paused" in shown
    assert f'action="{path}/resume"' in shown
    post(client, f"{path}/resume", token_from=path)
    with transaction(factory) as session:
        source = get_source(session, source_id)
        assert source.enabled and source.next_run_at == NOW
    assert [a for a, _ in audit_actions(factory)] == ["source_pause", "source_resume"]
    log = page(client, "/admin/audit?lang=en")
    assert re.search(r'paused the source “<a href="/admin/sources/\d+"[^>]*>Tiers-lieu</a>”', log)
    assert "resumed the source" in log


def test_reset_errors_tries_the_source_again_at_once(client, accounts, sources, factory):
    sign_in(client)
    path = f"/admin/sources/{sources[REPAR]}"
    assert "Reset errors" in page(client, path + "?lang=en")
    post(client, f"{path}/reset", token_from=path)
    with transaction(factory) as session:
        source = get_source(session, sources["Agenda de Répar'37"])
        assert (source.consecutive_failures, source.status, source.last_error_code,
                source.next_run_at) == (0, "never", None, NOW)
    assert audit_actions(factory) == [("source_reset", {
        "source_id": sources["Agenda de Répar'37"], "source": "Agenda de Répar'37",
        "failures": 3})]
    assert "Reset errors" not in page(client, path + "?lang=en")


def test_collect_now_says_what_it_collected(client, accounts, sources, factory, httpserver):
    httpserver.expect_request("/agenda.ics").respond_with_data(
        (ALERTS / "calendar_that_works_again.ics").read_bytes(), content_type="text/calendar")
    with transaction(factory) as session:
        get_source(session, sources["Tiers-lieu"]).url = httpserver.url_for("/agenda.ics")
    sign_in(client)
    path = f"/admin/sources/{sources['Tiers-lieu']}"
    post(client, f"{path}/collect", token_from=path)
    shown = page(client, path + "?lang=en")
    assert "Collected: 1 event, 1 new, 0 changed, 0 removed." in shown
    assert audit_actions(factory)[-1] == ("source_collect", {
        "source_id": sources["Tiers-lieu"], "source": "Tiers-lieu", "outcome": "ok"})


def test_collect_now_says_the_problem_when_it_fails(client, accounts, sources, factory,
                                                    httpserver):
    httpserver.expect_request("/gone.ics").respond_with_data("", status=410)
    with transaction(factory) as session:
        get_source(session, sources["Tiers-lieu"]).url = httpserver.url_for("/gone.ics")
    sign_in(client)
    path = f"/admin/sources/{sources['Tiers-lieu']}"
    post(client, f"{path}/collect", token_from=path)
    assert "The collection failed: The server answered HTTP 410 (Gone)." in page(
        client, path + "?lang=en")


def test_editing_changes_the_source_and_never_shows_the_key(client, accounts, sources, factory):
    sign_in(client)
    source_id = sources["Agenda de Répar'37"]
    edit = f"/admin/sources/{source_id}/edit"
    form = page(client, edit + "?lang=en")
    assert "A key is set: it is never shown." in form and SECRET_KEY not in form
    values = form_values(form, edit)
    values.update(name="Répar'37 : agenda", owner="Répar'37 Tours", interval_minutes="120",
                  api_key="oa-NEW-KEY-0042")
    response = client.post(edit, data=values)
    assert response.status_code == 302
    with transaction(factory) as session:
        source = get_source(session, source_id)
        assert (source.name, source.actor.name, source.interval_minutes, source.api_key) == (
            "Répar'37 : agenda", "Répar'37 Tours", 120, "oa-NEW-KEY-0042")
    action, detail = audit_actions(factory)[-1]
    assert (action, detail["changed"]) == ("source_edit",
                                           ["owner", "name", "interval_minutes", "api_key"])
    for shown in (page(client, f"/admin/sources/{source_id}?lang=en"),
                  page(client, "/admin/audit?lang=en"), page(client, edit),
                  page(client, "/admin/sources")):
        assert "oa-NEW-KEY-0042" not in shown and SECRET_KEY not in shown
    assert "Changed: Owner, Name, Minutes between two collections, API key" in page(
        client, "/admin/audit?lang=en")
    assert "oa-NEW-KEY" not in repr(audit_actions(factory))


def test_the_key_can_be_removed(client, accounts, sources, factory):
    sign_in(client)
    edit = f"/admin/sources/{sources[REPAR]}/edit"
    values = form_values(page(client, edit), edit)
    values["remove_key"] = "y"
    client.post(edit, data=values)
    with transaction(factory) as session:
        assert get_source(session, sources["Agenda de Répar'37"]).api_key is None


def test_a_bad_edit_is_refused_with_the_fields_kept(client, accounts, sources, factory):
    sign_in(client)
    edit = f"/admin/sources/{sources['Tiers-lieu']}/edit"
    values = form_values(page(client, edit), edit)
    values.update(name="", interval_minutes="2", contact_email="not an address")
    response = client.post(edit + "?lang=en", data=values)
    shown = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the source a name." in shown and "Between 5 and 10080 minutes." in shown
    assert "Give a valid e-mail address" in shown
    assert audit_actions(factory) == []


def test_the_pages_are_for_staff_only(client, sources):
    source_id = sources["Tiers-lieu"]
    for path in ("/admin/sources", f"/admin/sources/{source_id}/edit", "/admin/sources/new"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    response = client.post(f"/admin/sources/{source_id}/pause")
    assert response.status_code in (400, 401)


def test_actions_need_the_csrf_token(client, accounts, sources, factory):
    sign_in(client)
    source_id = sources["Tiers-lieu"]
    response = client.post(f"/admin/sources/{source_id}/pause", data={"csrf_token": "forged"})
    assert response.status_code == 400
    with transaction(factory) as session:
        assert get_source(session, source_id).enabled
    assert audit_actions(factory) == []


def test_sources_not_collected_have_no_actions(client, accounts, sources):
    sign_in(client)
    path = f"/admin/sources/{sources['Propositions']}"
    assert "Collect now" not in page(client, path + "?lang=en")
    assert post(client, f"{path}/collect", token_from=path).status_code == 400
    assert csrf_token(client, path)


def test_collect_now_while_a_worker_collects_it_says_so(client, accounts, sources, factory):
    with transaction(factory) as session:
        source = get_source(session, sources["Tiers-lieu"])
        source.claimed_by, source.claim_token = "worker-1", "0" * 32
        source.claimed_until, source.claim_started = NOW + timedelta(minutes=10), True
    sign_in(client)
    path = f"/admin/sources/{sources['Tiers-lieu']}"
    post(client, f"{path}/collect", token_from=path)
    assert "A worker is collecting this source right now" in page(client, path + "?lang=en")
    with transaction(factory) as session:
        assert get_source(session, sources["Tiers-lieu"]).claimed_by == "worker-1"
