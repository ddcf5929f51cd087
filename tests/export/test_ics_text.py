"""Content lines: escaping, parameters, URIs and folding (RFC 5545 §3.1-3.3)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from agenda.export.ics_text import (
    escape_text,
    fold,
    param_value,
    time_property,
    uri_value,
)


@pytest.mark.parametrize("value, written", [
    ("Repair café", "Repair café"),
    ("a, b; c", "a\\, b\\; c"),
    ("back\\slash", "back\\\\slash"),
    ("line\nnext", "line\\nnext"),
    ("windows\r\nline", "windows\\nline"),
    ("old mac\rline", "old mac\\nline"),
    ("nul\x00bell\x07vt\x0bdel\x7f", "nulbellvtdel"),
    ("tab\tkept", "tab\tkept"),
    ("lone \ud800 surrogate", "lone  surrogate"),
    ("END:VEVENT", "END:VEVENT"),  # harmless: it can never start a line
])
def test_text_values_are_escaped(value, written):
    assert escape_text(value) == written


@pytest.mark.parametrize("value, written", [
    ("Association Répar'37", '"Association Répar\'37"'),
    ('Les "Amis": du vélo; et, du reste', '"Les Amis: du vélo; et, du reste"'),
    ("new\nline\x00", '"new line"'),
])
def test_parameter_values_are_quoted_without_quotes_inside(value, written):
    assert param_value(value) == written


@pytest.mark.parametrize("value, kept", [
    ("https://exemple.org/a?b=1&c=2,3;4", True),
    ("HTTP://EXEMPLE.ORG/", True),
    ("javascript:alert(1)", False),
    ("data:text/html,<script>", False),
    ("https:///no-host", False),
    ("https://exemple.org/with space", False),
    ("https://exemple.org/\r\nBEGIN:VEVENT", False),
    ("", False),
    (None, False),
    ("https://exemple.org/" + "x" * 3000, False),
])
def test_only_plain_http_uris_are_written(value, kept):
    assert uri_value(value) == (value if kept else None)


@pytest.mark.parametrize("line", [
    "SUMMARY:" + "a" * 300,
    "DESCRIPTION:" + "é" * 200,
    "DESCRIPTION:" + "🚲 vélo " * 40,
    "LOCATION:" + "x" * 74 + "é" * 3,
    "SUMMARY:short",
    "X:" + "a" * 73,
])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(line):
    folded = fold(line)
    physical = folded.encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    for part in physical:
        part.decode("utf-8")  # never cut inside a character
    assert all(part.startswith(b" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line  # unfolding gives the line back


def test_times_are_written_with_their_zone_or_in_utc():
    instant = datetime(2026, 7, 1, 16, 0, tzinfo=timezone.utc)
    assert time_property("DTSTART", instant, ZoneInfo("Europe/Paris")) == \
        "DTSTART;TZID=Europe/Paris:20260701T180000"
    assert time_property("DTEND", instant, ZoneInfo("UTC")) == "DTEND:20260701T160000Z"
