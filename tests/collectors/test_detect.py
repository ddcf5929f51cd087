"""Format detection from the first bytes, with the Content-Type as a hint."""

import pytest

from agenda.collectors.detect import detect_format
from agenda.errors import ParseError


@pytest.mark.parametrize("body, content_type, expected", [
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "text/plain", "ics"),
    (b"\xef\xbb\xbfBEGIN:VCALENDAR\n", None, "ics"),
    (b"\n\n  begin:vcalendar\n", None, "ics"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel>', "text/html", "feed"),
    (b'\n<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', None, "feed"),
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', None, "feed"),
    ("<?xml version='1.0' encoding='utf-16'?><rss>".encode("utf-16"), None, "feed"),
    (b"something odd", "text/calendar; charset=utf-8", "ics"),
    (b'<?xml version="1.0"?><unknown/>', None, "feed"),
])
def test_formats_are_told_from_content(body, content_type, expected):
    assert detect_format(body, content_type) == expected


@pytest.mark.parametrize("body, code", [
    (b"", "parse.empty"),
    (b"   \n", "parse.empty"),
    (b"<!DOCTYPE html><html><body>Agenda</body></html>", "parse.html_page"),
    (b'{"version": "https://jsonfeed.org/version/1.1"}', "parse.unknown_format"),
    (b"\x89PNG\r\n\x1a\n", "parse.unknown_format"),
])
def test_what_is_neither_gets_a_clear_error(body, code):
    with pytest.raises(ParseError) as caught:
        detect_format(body, "application/octet-stream")
    assert caught.value.code == code
    assert caught.value.message.endswith(".")


def test_a_declared_kind_wins():
    assert detect_format(b"<html>", None, declared="ics") == "ics"
