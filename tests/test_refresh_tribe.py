"""The Events Calendar (WordPress) sources collected end to end, against a REST API served on
loopback: paging through next_rest_url, the window's start asked, a site that pages forever."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug import Response

from agenda.collectors import read_tribe
from tests.test_refresh import collect, published, register, source

__all__ = ["register"]  # a fixture

DATA = Path(__file__).parent / "data" / "reading"
API = "/wp-json/tribe/events/v1/events"


class FakeSite:
    def __init__(self, root: str):
        self.root, self.requests = root, []

    def __call__(self, request):
        self.requests.append(request.args.to_dict())
        name = "tribe_page_2.json" if request.args.get("page") == "2" else "tribe_page_1.json"
        body = (DATA / name).read_text().replace("{root}", self.root)
        return Response(body, content_type="application/json; charset=UTF-8")


@pytest.fixture
def site(httpserver):
    fake = FakeSite(httpserver.url_for("").rstrip("/"))
    httpserver.expect_request(API).respond_with_handler(fake)
    return fake




def test_every_page_is_read_from_the_window_start(site, httpserver, factory, settings, now,
                                                  register):
    sid = register(httpserver.url_for(API))  # auto: the address says it
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 3)
    assert site.requests[0] == {"start_date": "2026-08-23", "per_page": "50"}  # now - 90 days
    assert site.requests[1] == {"page": "2"}  # the API's own next_rest_url
    events = published(factory, sid)
    assert events["501"].title == "Forum de l’emploi solidaire"
    assert (events["501"].city, events["501"].department) == ("Tours", "37")
    assert source(factory, sid).detected_format == "tribe"


def test_a_site_address_reads_its_api(site, httpserver, factory, settings, now, register):
    sid = register(httpserver.url_for("/agenda/"), kind="tribe")
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 3)


def test_an_answer_of_the_api_is_recognised_by_its_shape(httpserver, factory, settings, now,
                                                         register):
    body = json.loads((DATA / "tribe_page_2.json").read_text())
    body.pop("previous_rest_url")
    httpserver.expect_request("/export/events").respond_with_json(body)
    sid = register(httpserver.url_for("/export/events"))
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.new) == ("ok", 1)
    assert source(factory, sid).detected_format == "tribe"


def test_a_site_that_pages_forever_is_stopped_and_keeps_the_events_not_reached(
        httpserver, factory, settings, now, register, monkeypatch):
    monkeypatch.setattr(read_tribe, "MAX_API_PAGES", 3)
    root, served = httpserver.url_for("").rstrip("/"), []

    def forever(request):
        number = int(request.args.get("page", 1))
        served.append(number)
        body = json.loads((DATA / "tribe_page_1.json").read_text().replace("{root}", root))
        body["events"] = [{**body["events"][1], "id": 600 + number}]
        body["next_rest_url"] = f"{root}{API}?page={number + 1}"
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(API).respond_with_handler(forever)
    sid = register(httpserver.url_for(API))
    first = collect(factory, settings, sid, now)
    assert served == [1, 2, 3] and first.new == 3
    assert any("3 pages" in warning for warning in first.warnings)
    monkeypatch.setattr(read_tribe, "MAX_API_PAGES", 1)
    second = collect(factory, settings, sid, now)
    assert (second.outcome, second.removed) == ("ok", 0)  # partial: 602 and 603 stay
    assert set(published(factory, sid)) == {"601", "602", "603"}


def test_a_wordpress_error_is_the_sources_error(httpserver, factory, settings, now, register):
    httpserver.expect_request(API).respond_with_json(
        {"code": "rest_no_route", "message": "No route", "data": {"status": 404}})
    sid = register(httpserver.url_for(API), kind="tribe")
    outcome = collect(factory, settings, sid, now)
    assert (outcome.outcome, outcome.error_code) == ("error", "tribe.error")
