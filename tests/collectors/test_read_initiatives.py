"""The reader of a feed of projects (pure): items become initiative records with their text
sanitised, their dates, categories and place; a document that is no feed is a ParseError;
the number of items read is bounded."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors import read_initiatives as reader
from agenda.collectors.read_initiatives import read_initiatives
from agenda.errors import ParseError

PARIS = ZoneInfo("Europe/Paris")
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss">
  <title>Projets</title><id>urn:projets</id><updated>2026-11-01T10:00:00Z</updated>
  <entry><title type="html">Jardin &lt;em&gt;partagé&lt;/em&gt;</title><id>urn:jardin</id>
    <updated>2026-10-31T23:30:00Z</updated>
    <content type="html">&lt;p onclick="x()"&gt;Des &lt;a href="javascript:alert(1)"&gt;bacs&lt;/a&gt;&lt;/p&gt;&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</content>
    <category term="Alimentation"/><category term="alimentation"/>
    <georss:point>47.39 0.68</georss:point>
    <link href="https://jardin.example/"/></entry>
  <entry><id>urn:sans-titre</id><updated>2026-11-01T10:00:00Z</updated></entry>
  <entry><title>Sans date ni lien</title></entry>
</feed>
"""


def test_an_atom_feed_of_projects_gives_sanitised_records():
    reading = read_initiatives(ATOM.encode(), default_tz=PARIS)
    assert reading.skipped == 1 and reading.warnings[0].code == "feed.item_skipped"
    garden, bare = reading.records
    assert garden.title == "Jardin partagé" and garden.guid == "urn:jardin"
    assert "onclick" not in garden.description_html and "javascript" not in \
        garden.description_html and "iframe" not in garden.description_html
    assert garden.description_text == "Des bacs"
    assert garden.categories == ("Alimentation",)
    assert (garden.lat, garden.lon) == (47.39, 0.68)
    assert garden.starts_on == date(2026, 11, 1)  # 23:30 UTC is already 1 November in Paris
    assert garden.url == "https://jardin.example/"
    assert bare.guid.startswith("item-") and bare.starts_on is None and bare.url is None


@pytest.mark.parametrize("body, code", [
    (b"<html><body>Page</body></html>", "parse.html_page"),
    (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "parse.not_feed"),
    (b"", "parse.not_feed"),
])
def test_what_is_no_feed_is_a_parse_error(body, code):
    with pytest.raises(ParseError) as error:
        read_initiatives(body, default_tz=PARIS)
    assert error.value.code == code


def test_an_empty_feed_gives_nothing_and_no_error():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert read_initiatives(body, default_tz=PARIS).records == []


def test_the_number_of_items_read_is_bounded(monkeypatch):
    monkeypatch.setattr(reader, "MAX_ITEMS", 3)
    items = "".join(f"<item><title>P{i}</title><guid>g{i}</guid></item>" for i in range(5))
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    reading = read_initiatives(body, default_tz=PARIS)
    assert [r.title for r in reading.records] == ["P0", "P1", "P2"]
    assert reading.warnings[0].code == "initiatives.too_many"


def test_an_item_repeated_in_the_feed_is_read_once():
    items = "<item><title>A</title><guid>g</guid></item>" * 2
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    reading = read_initiatives(body, default_tz=PARIS)
    assert len(reading.records) == 1 and reading.skipped == 1
