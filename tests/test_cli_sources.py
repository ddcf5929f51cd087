"""`agenda source add|check`: discovery says what it found and why, the diagnosis follows, the
id alone goes to stdout; refusals are sentences with a non-zero exit; an API key is read from a
file or the environment and never printed; `check` stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import main
from agenda.db import transaction
from agenda.models import Source
from tests.cli_env import cli_env

DATA = Path(__file__).resolve().parent / "data/discovery"
KEY = "k3y-Secret-0penAgenda-1234567890"


@pytest.fixture
def agenda(settings, engine):
    env = cli_env(settings)

    def run(*args, extra_env: dict | None = None):
        return CliRunner().invoke(main, list(args), env={**env, **(extra_env or {})},
                                  catch_exceptions=False)
    return run


def serve(httpserver, path: str, name: str, content_type: str) -> str:
    httpserver.expect_request(path).respond_with_data((DATA / name).read_bytes(),
                                                      content_type=content_type)
    return httpserver.url_for(path)


def stored(factory) -> list[Source]:
    with transaction(factory) as session:
        sources = session.query(Source).order_by(Source.id).all()
        session.expunge_all()
        return sources


def test_add_follows_the_subscribe_link_says_why_and_stores_the_diagnosis(
        agenda, httpserver, factory):
    page = serve(httpserver, "/agenda/", "page_with_subscribe_link.html", "text/html")
    serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    serve(httpserver, "/events.rss", "events.rss", "application/rss+xml")
    result = agenda("source", "add", page, "--name", "Tiers-lieu", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert ("This page offers an iCalendar calendar in a “S’abonner” link: that calendar will "
            "be collected.") in result.stderr
    assert "Also found, not used: RSS or Atom feed." in result.stderr
    assert "Format: iCalendar calendar" in result.stderr
    assert "Events: 1, on January 14, 2027." in result.stderr
    [source] = stored(factory)
    assert result.stdout.strip() == str(source.id)
    assert (source.url, source.kind) == (httpserver.url_for("/agenda.ics"), "ics")
    assert source.diagnosis["format"] == "ics" and source.diagnosis["events"] == 1


def test_add_refuses_a_page_with_nothing_to_collect_and_stores_nothing(
        agenda, httpserver, factory):
    page = serve(httpserver, "/", "page_without_anything.html", "text/html")
    result = agenda("source", "add", page, "--name", "Asso", "--lang", "en")
    assert result.exit_code == 1
    assert ("Refused: This address returns a web page that holds neither readable events nor a "
            "link to a calendar or a feed.") in result.stderr
    assert "iCal or RSS export" in result.stderr  # what to do
    assert result.stdout == "" and stored(factory) == []


def test_a_kind_given_by_hand_is_registered_even_when_unreadable_now(agenda, httpserver,
                                                                      factory):
    httpserver.expect_request("/down.ics").respond_with_data("", status=503)
    result = agenda("source", "add", httpserver.url_for("/down.ics"), "--name", "Down",
                    "--kind", "ics", "--lang", "en")
    assert result.exit_code == 0
    assert "It is registered as asked; it will be read at each collection." in result.stderr
    [source] = stored(factory)
    assert (source.kind, source.diagnosis) == ("ics", None)


@pytest.mark.parametrize("how", ["file", "env"])
def test_the_api_key_is_stored_apart_and_never_printed(agenda, httpserver, factory, tmp_path,
                                                         how):
    url = serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    args = ("--api-key-file", str(key_file)) if how == "file" else ("--api-key-env", "OA_KEY")
    result = agenda("source", "add", url, "--name", "Agenda", *args,
                    extra_env={"OA_KEY": KEY})
    assert result.exit_code == 0
    [source] = stored(factory)
    assert source.api_key == KEY and source.url == url
    listed = agenda("source", "list").output + agenda("source", "list", "--json").output
    assert KEY not in result.output + listed and "api_key" not in listed


@pytest.mark.parametrize("args, env", [
    (("--api-key-env", "NOT_SET_ANYWHERE"), {}),
    (("--api-key-env", "OA_KEY", "--api-key-file", "/dev/null"), {"OA_KEY": KEY}),
    (("--api-key-env", "OA_KEY"), {"OA_KEY": "two words"}),
    (("--contact", "not an address"), {}),
    (("--kind", "pdf"), {}),
])
def test_bad_options_are_usage_errors_that_never_echo_a_key(agenda, factory, args, env):
    result = agenda("source", "add", "http://127.0.0.1:9/a.ics", "--name", "x", *args,
                    extra_env=env)
    assert result.exit_code == 2 and KEY not in result.output
    assert stored(factory) == []


def test_the_contact_address_is_stored(agenda, httpserver, factory):
    url = serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    assert agenda("source", "add", url, "--name", "A", "--contact",
                  "Contact@Tiers-Lieu.example").exit_code == 0
    assert stored(factory)[0].contact_email == "contact@tiers-lieu.example"


def test_adding_the_address_a_page_leads_to_twice_is_refused(agenda, httpserver, factory):
    page = serve(httpserver, "/agenda/", "page_with_alternate_calendar.html", "text/html")
    serve(httpserver, "/agenda/calendar/export.ics", "agenda.ics", "text/calendar")
    assert agenda("source", "add", page, "--name", "A").exit_code == 0
    assert agenda("source", "add", page, "--name", "B").exit_code == 2
    assert len(stored(factory)) == 1


def test_check_prints_the_diagnosis_and_stores_nothing(agenda, httpserver, factory):
    page = serve(httpserver, "/agenda", "page_with_jsonld_events.html", "text/html")
    result = agenda("source", "check", page, "--lang", "en")
    assert result.exit_code == 0
    assert "This page embeds schema.org events (JSON-LD)" in result.stdout
    assert "Events: 2, from January 14, 2027 to January 21, 2027." in result.stdout
    assert "Tip: The server sends neither ETag nor Last-Modified" in result.stdout
    assert stored(factory) == []
    assert [r.path for r, _ in httpserver.log].count("/agenda") == 2  # read twice


def test_check_refusal_is_said_in_french_by_default(agenda, httpserver):
    httpserver.expect_request("/gone.ics").respond_with_data("no", status=404)
    result = agenda("source", "check", httpserver.url_for("/gone.ics"))
    assert result.exit_code == 1
    assert "Le serveur a répondu HTTP 404 (page introuvable)." in result.output


def test_check_json_free_of_secrets_and_list_unchanged(agenda, httpserver):
    url = serve(httpserver, "/agenda.ics", "agenda.ics", "text/calendar")
    result = agenda("source", "check", url, "--api-key-env", "OA_KEY", "--lang", "en",
                    extra_env={"OA_KEY": KEY})
    assert result.exit_code == 0 and KEY not in result.output
    assert json.loads(agenda("source", "list", "--json").output) == {"items": []}


def test_an_openagenda_source_keeps_its_key_apart_from_its_address(agenda, httpserver, factory):
    from tests.collectors.test_discovery import openagenda_api

    url = openagenda_api(httpserver)
    result = agenda("source", "add", url, "--name", "CRESS", "--api-key-env", "OA_KEY",
                    "--lang", "en", extra_env={"OA_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert "This is an OpenAgenda agenda" in result.stderr and KEY not in result.output
    [source] = stored(factory)
    assert (source.kind, source.url, source.api_key) == ("openagenda", url, KEY)
    assert {request.headers.get("key") for request, _ in httpserver.log} == {KEY}
