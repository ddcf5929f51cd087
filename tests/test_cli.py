"""The `agenda` command: add, list, collect with exit codes 0/1/2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agenda.cli import main
from tests.cli_env import cli_env

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
       "DTSTART:20261127T130000Z\r\nDTEND:20261127T150000Z\r\nSUMMARY:Forum ESS\r\n"
       "LOCATION:Salle, 1 rue Nationale, 41000 Blois\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def agenda(settings, engine):
    env = cli_env(settings)

    def run(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return run


def test_add_detects_the_format_and_prints_the_id(agenda, httpserver):
    httpserver.expect_request("/a").respond_with_data(ICS, content_type="text/plain")
    result = agenda("source", "add", httpserver.url_for("/a"), "--name", "Cress",
                    "--actor", "CRESS Centre-Val de Loire", "--every", "30")
    assert result.exit_code == 0
    source_id = int(result.stdout.strip())  # the report goes to stderr
    listed = json.loads(agenda("source", "list", "--json").output)["items"]
    assert [(s["id"], s["kind"], s["interval_minutes"], s["actor"]) for s in listed] == [
        (source_id, "ics", 30, "CRESS Centre-Val de Loire")]


def test_collect_prints_counts_and_exits_0(agenda, httpserver):
    httpserver.expect_request("/a").respond_with_data(ICS, content_type="text/calendar")
    source_id = agenda("source", "add", httpserver.url_for("/a"), "--name", "Cress",
                       "--kind", "ics").stdout.strip()
    result = agenda("collect", source_id)
    assert result.exit_code == 0
    assert f"[{source_id}] Cress: 1 new, 0 updated, 0 removed, 0 skipped" in result.output


def test_collect_exits_1_when_one_source_fails_and_stores_the_others(agenda, httpserver):
    httpserver.expect_request("/good").respond_with_data(ICS, content_type="text/calendar")
    httpserver.expect_request("/bad").respond_with_data("not here", status=404)
    agenda("source", "add", httpserver.url_for("/good"), "--name", "Good", "--kind", "ics")
    agenda("source", "add", httpserver.url_for("/bad"), "--name", "Bad", "--kind", "ics")
    result = agenda("collect", "--all")
    assert result.exit_code == 1
    assert "Good: 1 new" in result.output
    assert "Bad: ERROR fetch.http_status: The server answered HTTP 404" in result.output
    listed = {s["name"]: s for s in json.loads(agenda("source", "list", "--json").output)["items"]}
    assert listed["Good"]["event_count"] == 1 and listed["Bad"]["status"] == "error"


@pytest.mark.parametrize("args", [
    ("collect",), ("collect", "999"), ("collect", "1", "--all"),
    ("source", "add", "ftp://example.org/a.ics", "--name", "x"),
    ("source", "add", "http://127.0.0.1/a.ics"),
    ("source", "add", "http://127.0.0.1/a.ics", "--name", "x", "--kind", "pdf"),
])
def test_usage_errors_exit_2(agenda, args):
    assert agenda(*args).exit_code == 2


def test_adding_the_same_url_twice_is_refused(agenda, httpserver):
    httpserver.expect_request("/a").respond_with_data(ICS, content_type="text/calendar")
    url = httpserver.url_for("/a")
    assert agenda("source", "add", url, "--name", "A", "--kind", "ics").exit_code == 0
    assert agenda("source", "add", url, "--name", "B", "--kind", "ics").exit_code == 2


def test_collect_due_runs_the_worker_once(agenda, httpserver):
    httpserver.expect_request("/a").respond_with_data(ICS, content_type="text/calendar")
    agenda("source", "add", httpserver.url_for("/a"), "--name", "Cress", "--kind", "ics")
    first = agenda("collect", "--due")
    assert first.exit_code == 0 and "1 new" in first.output
    second = agenda("collect", "--due")  # not due any more for an hour
    assert second.exit_code == 0 and "Cress" not in second.output


def test_demo_registers_its_sources_once(agenda, settings):
    from agenda.demo import load_demo_sources

    count = len(load_demo_sources(settings.config_dir))
    assert count >= 10  # iCalendar, feeds, a JSON-LD page, OpenAgenda, The Events Calendar
    assert agenda("demo").output.startswith(f"{count} demo source(s) added")
    assert agenda("demo").output.startswith("0 demo source(s) added")
    listed = json.loads(agenda("source", "list", "--json").output)["items"]
    assert len(listed) == count and all(s["url"].startswith("http://127.0.0.1:") for s in listed)


def test_demo_creates_the_mois_de_l_ess_campaign_once(agenda, factory):
    from agenda.db import transaction
    from agenda.store.campaigns import list_campaigns

    assert "/campagnes/mois-ess\n" in agenda("demo").output
    agenda("demo")
    with transaction(factory) as session:
        (campaign,) = list_campaigns(session)
        assert campaign.name.startswith("Mois de l'ESS ")
        assert (campaign.starts_on.month, campaign.starts_on.day) == (11, 1)
        assert (campaign.ends_on.month, campaign.ends_on.day) == (11, 30)
