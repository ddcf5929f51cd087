"""Adding a source from the staff page: discovery says what it found, why, and its diagnosis
before anything is saved; "Save this source" stores what was found (checked again); an address
where nothing fits is refused with a sentence, the fields kept; the API key is never sent back."""

from __future__ import annotations

from pathlib import Path

import pytest

from agenda.db import transaction
from agenda.demo_server import DemoFeedServer
from agenda.models import AuditEntry, Source
from tests.test_cli_sources_demo import DEMO_KINDS
from tests.web.staff import accounts, form_values, sign_in

__all__ = ["accounts"]

DATA = Path(__file__).resolve().parents[1] / "data"
KEY = "oa-KEY-never-shown-1234"
NEW = "/admin/sources/new"


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/agenda.ics").respond_with_data(
        (DATA / "alerts" / "calendar_that_works_again.ics").read_bytes(),
        content_type="text/calendar")
    httpserver.expect_request("/jardins/").respond_with_data(
        (DATA / "sources_page" / "page_without_events.html").read_bytes(),
        content_type="text/html; charset=utf-8")
    return httpserver


def look(client, url: str, **fields):
    values = form_values(client.get(NEW).get_data(as_text=True), NEW)
    values.update(url=url, name="Repair café de Tours", owner="Répar'37",
                  contact_email="contact@repar37.example.org", step="look", **fields)
    return client.post(NEW + "?lang=en", data=values)


def stored(factory) -> list[tuple]:
    with transaction(factory) as session:
        return [(s.name, s.kind, s.url, s.actor.name if s.actor else None, s.contact_email,
                 s.api_key, bool(s.diagnosis))
                for s in session.query(Source).order_by(Source.id)]


def test_discovery_shows_what_it_found_before_saving(client, accounts, factory, site):
    sign_in(client)
    response = look(client, site.url_for("/agenda.ics"))
    shown = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What was found" in shown and "iCalendar file" in shown
    assert "This address is an iCalendar calendar: it will be collected as it is." in shown
    assert 'class="diagnosis"' in shown  # the feed doctor's findings
    assert "Save this source" in shown
    assert stored(factory) == []  # nothing saved yet

    values = form_values(shown, NEW)
    values["step"] = "save"
    response = client.post(NEW + "?lang=en", data=values)
    assert response.status_code == 302
    assert stored(factory) == [("Repair café de Tours", "ics", site.url_for("/agenda.ics"),
                                "Répar'37", "contact@repar37.example.org", None, True)]
    with transaction(factory) as session:
        entry = session.query(AuditEntry).filter_by(action="source_add").one()
        assert entry.detail["kind"] == "ics"
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "The source was added" in page and 'class="diagnosis"' in page


def test_the_kind_carried_by_the_confirmation_is_checked_again(client, accounts, factory, site):
    sign_in(client)
    values = form_values(look(client, site.url_for("/agenda.ics")).get_data(as_text=True), NEW)
    values.update(step="save", found_kind="form")  # not a kind discovery gives
    response = client.post(NEW + "?lang=en", data=values)
    assert response.status_code == 200 and "Save this source" in response.get_data(as_text=True)
    assert stored(factory) == []


def test_an_address_where_nothing_fits_is_refused_with_the_fields_kept(client, accounts,
                                                                       factory, site):
    sign_in(client)
    response = look(client, site.url_for("/jardins/"))
    shown = response.get_data(as_text=True)
    assert "Nothing that can be collected was found at this address." in shown
    assert "holds neither readable events nor a link to a calendar or a feed" in shown
    values = form_values(shown, NEW)
    assert (values["url"], values["name"], values["owner"]) == (
        site.url_for("/jardins/"), "Repair café de Tours", "Répar'37")
    assert "Save this source" not in shown
    assert stored(factory) == []


def test_the_api_key_is_never_sent_back(client, accounts, factory, site):
    sign_in(client)
    shown = look(client, site.url_for("/agenda.ics"), api_key=KEY).get_data(as_text=True)
    assert KEY not in shown
    assert "Type the API key again to save" in shown
    values = form_values(shown, NEW)
    values.update(step="save", api_key=KEY)
    response = client.post(NEW, data=values)
    assert KEY not in response.get_data(as_text=True)
    assert stored(factory)[0][5] == KEY
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert KEY not in page and "a key is set" in page
    assert KEY not in client.get("/admin/audit").get_data(as_text=True)
    with transaction(factory) as session:
        assert KEY not in repr([e.detail for e in session.query(AuditEntry)])


def test_an_address_already_collected_is_refused(client, accounts, factory, site):
    sign_in(client)
    for _ in range(2):
        values = form_values(look(client, site.url_for("/agenda.ics")).get_data(as_text=True),
                             NEW)
        values["step"] = "save"
        response = client.post(NEW + "?lang=en", data=values)
    assert response.status_code == 400
    assert "A source already collects this address." in response.get_data(as_text=True)
    assert len(stored(factory)) == 1


@pytest.fixture
def demo(settings):
    with DemoFeedServer(settings.config_dir) as server:
        yield server.base_url.rstrip("/")


@pytest.mark.parametrize("path, kind", DEMO_KINDS)
def test_each_demo_kind_is_added_from_the_page_without_saying_it(client, accounts, factory,
                                                                 demo, path, kind):
    """The issue's "done when", on the staff page: the demo's every kind, found by itself."""
    sign_in(client)
    shown = look(client, f"{demo}/{path}").get_data(as_text=True)
    assert "Save this source" in shown, shown
    values = form_values(shown, NEW)
    values["step"] = "save"
    assert client.post(NEW + "?lang=en", data=values).status_code == 302
    with transaction(factory) as session:
        source = session.query(Source).one()
        assert (source.kind, source.diagnosis["format"]) == (kind, kind)
        assert source.diagnosis["events"] > 0


def test_a_key_given_to_discovery_must_be_typed_again_to_save(client, accounts, factory, demo):
    sign_in(client)
    shown = look(client, f"{demo}/openagenda/v2/agendas/8803/events",
                 api_key=KEY).get_data(as_text=True)
    values = form_values(shown, NEW)
    values["step"] = "save"  # the key not typed again
    response = client.post(NEW + "?lang=en", data=values)
    assert "Type the API key again to save" in response.get_data(as_text=True)
    assert stored(factory) == []
