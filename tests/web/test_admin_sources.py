"""The dashboard shows the sources in trouble (in error or broken), their problem in the page's
language and since when, each linking to a staff page of its health with its latest runs."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from agenda.db import transaction
from agenda.store.runs import add_run
from agenda.store.source_health import failing_since, sources_in_trouble
from agenda.store.sources import add_source, get_source, record_failure, record_success
from tests.web.staff import accounts, sign_in

__all__ = ["accounts"]

NOT_FOUND = {"status": 404, "reason": "Not Found"}


def day(n: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, n, hour, 0, tzinfo=timezone.utc)


def collect(session, source, at: datetime, ok: bool, *, failures: int = 0,
            status: str = "error") -> None:
    """One collection of ``source`` at ``at``, recorded as the worker does."""
    add_run(session, source_id=source.id, started_at=at, finished_at=at + timedelta(seconds=2),
            outcome="ok" if ok else "error", new=3 if ok else 0,
            error_code=None if ok else "fetch.http_status", error_params=None if ok else NOT_FOUND,
            error_message=None if ok else "The server answered HTTP 404 (Not Found).")
    if ok:
        record_success(session, source, now=at, next_run_at=at + timedelta(hours=1),
                       validators=None, parsed=True)
    else:
        record_failure(session, source, now=at, code="fetch.http_status", params=NOT_FOUND,
                       message="The server answered HTTP 404 (Not Found).", failures=failures,
                       status=status, next_run_at=at + timedelta(hours=2))


@pytest.fixture
def sources(factory) -> dict[str, int]:
    """Répar'37 failing since the 19th (after a success on the 18th), a feed broken from the
    start, a working one and a disabled broken one."""
    with transaction(factory) as session:
        made = {name: add_source(session, name=name, url=f"https://{slug}.example.org/agenda.ics",
                                 now=day(1))
                for name, slug in (("Agenda de Répar'37", "repar"), ("Flux cassé", "casse"),
                                   ("Tiers-lieu", "tiers"), ("Ancien flux", "ancien"))}
        collect(session, made["Agenda de Répar'37"], day(17), False, failures=1)
        collect(session, made["Agenda de Répar'37"], day(18), True)
        collect(session, made["Agenda de Répar'37"], day(19), False, failures=1)
        collect(session, made["Agenda de Répar'37"], day(20), False, failures=2)
        collect(session, made["Flux cassé"], day(10), False, failures=1)
        collect(session, made["Flux cassé"], day(15), False, failures=8, status="broken")
        collect(session, made["Tiers-lieu"], day(20), True)
        collect(session, made["Ancien flux"], day(12), False, failures=9, status="broken")
        made["Ancien flux"].enabled = False
        return {name: source.id for name, source in made.items()}


def test_sources_in_trouble_say_since_when_they_fail(factory, sources):
    with transaction(factory) as session:
        found = [(t.source.name, t.since) for t in sources_in_trouble(session)]
        since = failing_since(session, get_source(session, sources["Tiers-lieu"]))
    assert found == [("Flux cassé", day(10)), ("Agenda de Répar'37", day(19))]
    assert since is None


def test_the_dashboard_lists_the_sources_in_trouble(client, accounts, sources):
    sign_in(client)
    page = client.get("/admin/?lang=en").get_data(as_text=True).replace("\u202f", " ")
    assert re.search(r'id="troubled-count">2</strong> sources with a problem', page)
    names = re.findall(r'<p class="trouble-name"><a href="/admin/sources/(\d+)" lang="fr">([^<]+)</a>',
                       page)  # French names on an English page, marked so
    assert names == [(str(sources["Flux cassé"]), "Flux cassé"),
                     (str(sources["Agenda de Répar'37"]), "Agenda de Répar&#39;37")]
    assert "Failing since Nov 19, 2026, 11:00 AM · 2 failed attempts in a row" in page
    assert "The server answered HTTP 404 (Not Found)." in page
    assert "Tiers-lieu" not in page and "Ancien flux" not in page
    french = client.get("/admin/?lang=fr").get_data(as_text=True)
    assert "Le serveur a répondu HTTP 404 (page introuvable)." in french
    assert "En échec depuis le 19 novembre 2026, 11\u00a0h · 2 tentatives échouées d’affilée" in french


def test_the_dashboard_says_when_every_source_works(client, accounts):
    sign_in(client)
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    assert 'id="troubled-count">0</strong>' in page
    assert "Every source was collected without a problem at its last attempt." in page


def test_a_source_page_shows_its_problem_and_latest_runs(client, accounts, sources):
    sign_in(client)
    path = "/admin/sources/%d" % sources["Agenda de Répar'37"]
    page = client.get(f"{path}?lang=en").get_data(as_text=True).replace("\u202f", " ")
    assert '<dd id="source-status"><span class="badge status-error">in error</span>' in page
    assert "The server answered HTTP 404 (Not Found)." in page
    assert re.search(r"Failing since</dt><dd>Nov 19, 2026, 11:00 AM", page)
    outcomes = re.findall(r'<tr class="run-(\w+)">', page)
    assert outcomes == ["error", "error", "ok", "error"]  # the most recent first
    assert client.get(f"{path}?lang=fr").status_code == 200
    assert client.get("/admin/sources/9999").status_code == 404


def test_a_source_page_is_for_the_staff_only(client, sources):
    response = client.get(f"/admin/sources/{sources['Flux cassé']}")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
