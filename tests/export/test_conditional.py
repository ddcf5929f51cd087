"""Validators and conditional requests (RFC 9110): a table of cases."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from agenda.export.conditional import etag_of, http_date, is_not_modified, parse_http_date

ETAG = etag_of(b"body")
CHANGED = datetime(2026, 11, 21, 9, 0, 0, 500_000, tzinfo=timezone.utc)


@pytest.mark.parametrize("if_none_match, if_modified_since, not_modified", [
    (None, None, False),
    (ETAG, None, True),
    (f"W/{ETAG}", None, True),  # a compressing proxy made it weak
    (f'"other", {ETAG}', None, True),
    ("*", None, True),
    ('"other"', None, False),
    ('"other"', "Sat, 21 Nov 2026 09:00:00 GMT", False),  # If-None-Match wins
    (None, "Sat, 21 Nov 2026 09:00:00 GMT", True),  # same second
    (None, "Sat, 21 Nov 2026 10:00:00 GMT", True),
    (None, "Sat, 21 Nov 2026 08:59:59 GMT", False),
    (None, "not a date", False),
    (None, "x" * 500, False),
])
def test_not_modified(if_none_match, if_modified_since, not_modified):
    assert is_not_modified(etag=ETAG, last_modified=CHANGED, if_none_match=if_none_match,
                           if_modified_since=if_modified_since) is not_modified


def test_without_last_modified_only_the_etag_counts():
    assert not is_not_modified(etag=ETAG, last_modified=None, if_none_match=None,
                               if_modified_since="Sat, 21 Nov 2026 09:00:00 GMT")


def test_http_dates_round_trip():
    assert http_date(CHANGED) == "Sat, 21 Nov 2026 09:00:00 GMT"
    assert parse_http_date(http_date(CHANGED)) == CHANGED.replace(microsecond=0)


def test_the_etag_is_the_body_hash():
    assert etag_of(b"body") == etag_of(b"body") != etag_of(b"other")
    assert ETAG.startswith('"') and ETAG.endswith('"')
