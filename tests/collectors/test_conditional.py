"""Conditional GET: which validators we send, which we keep."""

from __future__ import annotations

import pytest

from agenda.collectors.conditional import conditional_headers, validators_after

LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"


@pytest.mark.parametrize("etag, last_modified, expected", [
    (None, None, {}),
    ("", "  ", {}),
    ('"v1"', None, {"If-None-Match": '"v1"'}),
    ('W/"v1"', None, {"If-None-Match": 'W/"v1"'}),
    (None, LAST_MODIFIED, {"If-Modified-Since": LAST_MODIFIED}),
    (' "v1" ', LAST_MODIFIED, {"If-None-Match": '"v1"', "If-Modified-Since": LAST_MODIFIED}),
])
def test_conditional_headers(etag, last_modified, expected):
    assert conditional_headers(etag, last_modified) == expected


@pytest.mark.parametrize("status, response_headers, sent, expected", [
    # a new answer brings its own validators
    (200, {"ETag": '"v2"', "Last-Modified": LAST_MODIFIED}, ('"v1"', None), ('"v2"', LAST_MODIFIED)),
    # a new answer without validators drops the old ones
    (200, {}, ('"v1"', LAST_MODIFIED), (None, None)),
    (200, {"ETag": " "}, (None, None), (None, None)),
    # a 304 that does not repeat them keeps the ones we sent
    (304, {}, ('"v1"', LAST_MODIFIED), ('"v1"', LAST_MODIFIED)),
    (304, {"ETag": '"v1"'}, ('"v1"', None), ('"v1"', None)),
    # a 304 may update one of them
    (304, {"ETag": '"v2"'}, ('"v1"', LAST_MODIFIED), ('"v2"', LAST_MODIFIED)),
])
def test_validators_after(status, response_headers, sent, expected):
    etag, last_modified = sent
    assert validators_after(status, response_headers, etag=etag,
                            last_modified=last_modified) == expected
