"""Every real-world feed of the corpus: a ParseResult or a ParseError, and no invented event.

The corpus feeds are blogs, news and parser test cases: none carries event dates, so every
item must be counted as skipped. MANIFEST.tsv gives feedparser's entry count and version.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.feed import parse_feed
from agenda.errors import ParseError
from agenda.records import ParseResult

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
FEEDS = sorted(p for p in (CORPUS / "feeds").iterdir() if p.suffix not in {".md", ".tsv"})
PARIS = ZoneInfo("Europe/Paris")


def manifest() -> dict[str, tuple[int, str]]:
    """feedparser's (entries, version) for each feed file, as MANIFEST.tsv states them."""
    rows = {}
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            entries = re.search(r"entries=(\d+)", row["expected"])
            version = re.search(r"version=([\w-]+)", row["expected"])
            if row["file"].startswith("feeds/") and entries and version:
                rows[row["file"].removeprefix("feeds/")] = (int(entries[1]), version[1])
    return rows


MANIFEST = manifest()


def test_the_manifest_describes_every_corpus_feed():
    assert sorted(MANIFEST) == [p.name for p in FEEDS]


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_corpus_feed_gives_a_result_or_a_parse_error(path):
    entries, version = MANIFEST[path.name]
    try:
        result = parse_feed(path.read_bytes(), default_tz=PARIS)
    except ParseError as error:
        assert error.code in ("parse.not_feed", "parse.html_page")
        assert (entries, version) == (0, "-"), "a document with a feed version was refused"
        return
    assert isinstance(result, ParseResult)
    assert version != "-" or entries > 0
    assert result.events == []  # blogs and news: no event dates, none invented
    assert result.skipped == entries
    assert all(isinstance(w, str) and w for w in result.warnings)


def test_rss10_with_modules_has_no_event_module_fields():
    result = parse_feed((CORPUS / "feeds" / "feedparser__rss1.0withModules.xml").read_bytes(),
                        default_tz=PARIS)
    assert (result.events, result.skipped) == ([], 1)
