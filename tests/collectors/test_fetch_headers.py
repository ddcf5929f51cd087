"""Extra request headers (an API's key) go to their own origin only."""

from __future__ import annotations

from werkzeug import Response

from agenda.collectors.fetcher import FetchPolicy, fetch

POLICY = FetchPolicy(allow_private=True, total_timeout=5.0)


def keys_seen(httpserver):
    seen = []

    def answer(request):
        seen.append((request.host.split(":")[0], request.headers.get("key")))
        return Response("{}", content_type="application/json")
    return seen, answer


def test_extra_headers_are_sent_to_the_address(httpserver):
    seen, answer = keys_seen(httpserver)
    httpserver.expect_request("/events").respond_with_handler(answer)
    fetch(httpserver.url_for("/events"), policy=POLICY, headers={"key": "secret"})
    assert seen == [("localhost", "secret")]


def test_a_redirect_to_another_origin_drops_them(httpserver):
    seen, answer = keys_seen(httpserver)
    other = httpserver.url_for("/landing").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/events").respond_with_data("", status=302,
                                                           headers={"Location": other})
    httpserver.expect_request("/landing").respond_with_handler(answer)
    fetched = fetch(httpserver.url_for("/events"), policy=POLICY, headers={"key": "secret"})
    assert fetched.url == other
    assert seen == [("127.0.0.1", None)]


def test_a_redirect_within_the_origin_keeps_them(httpserver):
    seen, answer = keys_seen(httpserver)
    httpserver.expect_request("/events").respond_with_data(
        "", status=301, headers={"Location": "/v2/events"})
    httpserver.expect_request("/v2/events").respond_with_handler(answer)
    fetch(httpserver.url_for("/events"), policy=POLICY, headers={"key": "secret"})
    assert seen == [("localhost", "secret")]
